/*
 * Faults on a production-like deployment (two backend replicas on one PostgreSQL,
 * the local AWS's demo mesh):
 *
 * 1. DataZone throttled (every call), then down (every call a 5xx), each for a
 *    whole sync window: every run fails naming the operation, the catalog keeps
 *    every entity, the first run after recovery applies;
 * 2. the local AWS restarted in the middle of a "New data product" scaffolder
 *    run: the task fails with a clear error, a retry completes, and nothing exists
 *    twice (S3 bucket, Glue database and table, DataZone product and listing);
 * 3. PostgreSQL stopped for 10 s under load: requests fail clearly while it is down,
 *    both replicas recover without a restart, and every acknowledged access
 *    request is still there.
 *
 *   source scripts/toolchain.sh && source scripts/lib.sh && start_test_postgres
 *   node -r @backstage/cli/config/nodeTransform.cjs e2e/cluster/faults.ts [--only datazone,scaffolder,postgres]
 *
 * Needs DMP_PG_DIR (set by start_test_postgres) to restart PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import { DataZoneClient, SearchListingsCommand } from '@aws-sdk/client-datazone';
import { GetDatabasesCommand, GetTablesCommand, GlueClient } from '@aws-sdk/client-glue';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { LocalAwsAdminClient } from '@data-mesh-portal/local-aws';
import {
  callApi,
  catalogEntities,
  checkReporter,
  Cluster,
  dataZoneEntityCount,
  demoUserToken,
  log,
  logLines,
  Replica,
  sleep,
  startCluster,
  SYNC_DONE,
  syncScheduleConfig,
  until,
} from './cluster';

const SYNC_SECONDS = 15;
const { report, finish } = checkReporter('faults check');
// `--only datazone,scaffolder,postgres` runs some of the checks (default: all).
const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1].split(',')
  : undefined;
const selected = (check: string) => !only || only.includes(check);

const syncLines = (cluster: Cluster) => cluster.replicas.flatMap(r => logLines(r, SYNC_DONE));
const syncErrors = (cluster: Cluster) =>
  cluster.replicas.flatMap(r => logLines(r, /DataZone sync of domain \S+ failed, catalog left unchanged: /));

async function checkDataZoneOutage(cluster: Cluster, admin: LocalAwsAdminClient, kind: 'throttle' | 'error') {
  const label = kind === 'throttle' ? 'DataZone throttled' : 'DataZone down (5xx)';
  const before = await dataZoneEntityCount(cluster, cluster.replicas[0]);
  const mark = syncLines(cluster).length;
  const errorMark = syncErrors(cluster).length;
  await admin.addFaults({ service: 'datazone', kind, ...(kind === 'error' ? { status: 503 } : {}) });
  await sleep(2.5 * SYNC_SECONDS * 1000);
  const during = await Promise.all(cluster.replicas.map(r => dataZoneEntityCount(cluster, r)));
  await admin.clearFaults();
  const windowLines = syncLines(cluster).slice(mark);
  const failedRuns = windowLines.filter(l => /failed/.test(l));
  const example = syncErrors(cluster)[errorMark]?.match(/catalog left unchanged: (.{0,160})/)?.[1];
  const recoveredMark = syncLines(cluster).length;
  const recovered = await until('a sync applies after the outage', 120_000, async () =>
    syncLines(cluster).slice(recoveredMark).find(l => /applied/.test(l)),
  );
  const after = await dataZoneEntityCount(cluster, cluster.replicas[1]);
  report(
    `${label} for ${(2.5 * SYNC_SECONDS).toFixed(0)} s`,
    failedRuns.length >= 1 && windowLines.every(l => !/applied/.test(l)) && during.every(n => n === before) && after === before && !!recovered,
    `${failedRuns.length} of ${windowLines.length} runs in the window failed, e.g. "${example}"; entities before ${before}, during ${during.join('/')} (per replica), after recovery ${after}`,
  );
}

async function producerClients(cluster: Cluster) {
  const base = {
    endpoint: cluster.awsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const sts = new STSClient(base);
  const role = await sts.send(
    new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::222222222222:role/DataMeshProducerAccess',
      RoleSessionName: 'faults-check',
    }),
  );
  sts.destroy();
  const credentials = {
    accessKeyId: role.Credentials!.AccessKeyId!,
    secretAccessKey: role.Credentials!.SecretAccessKey!,
    sessionToken: role.Credentials!.SessionToken!,
  };
  return {
    s3: new S3Client({ ...base, credentials, forcePathStyle: true }),
    glue: new GlueClient({ ...base, credentials }),
    dz: new DataZoneClient(base),
  };
}

async function countCreated(cluster: Cluster, productId: string, productName: string) {
  const { s3, glue, dz } = await producerClients(cluster);
  try {
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets ?? [];
    const dbName = productId.replace(/-/g, '_');
    const databases = ((await glue.send(new GetDatabasesCommand({}))).DatabaseList ?? []).filter(d => d.Name?.includes(dbName));
    const tables = databases.length
      ? (await glue.send(new GetTablesCommand({ DatabaseName: databases[0].Name! }))).TableList ?? []
      : [];
    const listings = (
      await dz.send(new SearchListingsCommand({ domainIdentifier: cluster.dataZoneDomainId, searchText: productName, maxResults: 50 }))
    ).items ?? [];
    return {
      buckets: buckets.filter(b => b.Name?.includes(productId)).length,
      databases: databases.length,
      tables: tables.length,
      productListings: listings.filter(l => l.dataProductListing?.name === productName).length,
    };
  } finally {
    s3.destroy();
    glue.destroy();
    dz.destroy();
  }
}

async function taskStatus(replica: Replica, token: string, taskId: string) {
  return (await callApi(replica, token, `/api/scaffolder/v2/tasks/${taskId}`)).body.status as string;
}

async function taskLog(replica: Replica, token: string, taskId: string) {
  const events = (await callApi(replica, token, `/api/scaffolder/v2/tasks/${taskId}/events`)).body as any[];
  return events.map(e => e.body?.message).filter(Boolean) as string[];
}

async function checkLocalAwsRestartDuringScaffolder(cluster: Cluster, admin: LocalAwsAdminClient) {
  const [a, b] = cluster.replicas;
  const alice = await demoUserToken(a.url, 'alice');
  const domains = await catalogEntities(cluster, a, 'kind=domain');
  const domain = domains.find(d => /sales/i.test(d.metadata.title ?? d.metadata.name)) ?? domains[0];
  const productId = `fault-${Date.now().toString(36)}`;
  const productName = `Fault check ${productId}`;
  // Slow Lake Formation down, so the restart lands after storage and Glue exist.
  await admin.addFaults({ service: 'lakeformation', kind: 'latency', latencyMs: 8000 });
  const created = await callApi(a, alice, '/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({
      templateRef: 'template:default/new-data-product',
      values: {
        productName,
        productId,
        description: 'Checks that a retried task creates nothing twice.',
        domain: `domain:default/${domain.metadata.name}`,
        owner: 'group:default/sales-domain',
        classification: 'internal',
        datasetName: 'fault_events',
        storageFormat: 'parquet',
        schemaSource: 'columns',
        columns: [
          { name: 'event_id', type: 'bigint' },
          { name: 'happened_at', type: 'timestamp' },
        ],
        freshnessHours: 24,
        frequency: 'daily',
        completenessPercent: 99,
        availabilityPercent: 99.5,
        approverGroup: 'group:default/platform-team',
        accountId: '222222222222',
        region: 'us-east-1',
      },
    }),
  });
  if (created.status !== 201) throw new Error(`creating the task: ${created.status} ${JSON.stringify(created.body)}`);
  const taskId = created.body.id as string;
  await until('the task reaches Lake Formation', 120_000, async () =>
    ((await admin.counters()).services.lakeformation ? true : undefined),
  );
  await cluster.restartLocalAws(); // drops the connection in flight; state is replayed
  const failed = await until('the task fails', 180_000, async () => {
    const status = await taskStatus(a, alice, taskId);
    return ['failed', 'completed'].includes(status) ? status : undefined;
  });
  const failureLog = (await taskLog(a, alice, taskId))
    .filter(l => /error|fail|exist/i.test(l) && !/^Skipping step|^Run completed/.test(l))
    .slice(-2)
    .map(l => l.slice(0, 300));
  const retried = await callApi(b, alice, `/api/scaffolder/v2/tasks/${taskId}/retry`, { method: 'POST', body: '{}' });
  // The retry reopens the task before it answers; wait for its end.
  const final = await until('the retried task ends', 240_000, async () => {
    const status = await taskStatus(a, alice, taskId);
    return ['failed', 'completed', 'cancelled'].includes(status) ? status : undefined;
  });
  const counts = await countCreated(cluster, productId, productName);
  report(
    'local AWS restarted during a scaffolder run; the retry completes without duplicates',
    failed === 'failed' && retried.status < 300 && final === 'completed' &&
      counts.buckets === 1 && counts.databases === 1 && counts.tables === 1 && counts.productListings === 1,
    `first run ${failed} with ${JSON.stringify(failureLog)}; retry ${retried.status} → ${final}; exist once each? buckets ${counts.buckets}, Glue databases ${counts.databases}, tables ${counts.tables}, DataZone product listings ${counts.productListings}`,
  );
}

const OUTAGE_SECONDS = 10;

/**
 * Stops PostgreSQL (fast shutdown: open connections are cut), waits, starts it again
 * with the options scripts/lib.sh's start_test_postgres gave it.
 */
async function restartPostgres(port: number) {
  const dir = process.env.DMP_PG_DIR;
  if (!dir) throw new Error('DMP_PG_DIR is not set (start_test_postgres sets it)');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pgCtl = (action: string) => {
    const cmd = `/usr/lib/postgresql/15/bin/pg_ctl -D ${dir}/data -l ${dir}/server.log -m fast -w -o '${options}' ${action}`;
    if (process.getuid?.() === 0) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd], { stdio: 'ignore' });
    else execFileSync('sh', ['-c', cmd], { stdio: 'ignore' });
  };
  pgCtl('stop');
  await sleep(OUTAGE_SECONDS * 1000);
  pgCtl('start');
}

async function checkPostgresRestartUnderLoad(cluster: Cluster) {
  const [a, b] = cluster.replicas;
  const bob = await demoUserToken(a.url, 'bob');
  const datasets = await catalogEntities(cluster, a, 'kind=api,spec.type=dataset');
  const acknowledged: string[] = [];
  const outcomes: { t: number; ok: boolean; status: number; message?: string }[] = [];
  const started = Date.now();
  let restartAt = 0;
  let restartDone = 0;
  let n = 0;
  const load = (async () => {
    while (Date.now() - started < 60_000) {
      const i = n++;
      const replica = i % 2 ? b : a;
      const t = (Date.now() - started) / 1000;
      try {
        const r = i % 3 === 0
          ? await callApi(replica, bob, '/api/data-mesh/access-requests', {
              method: 'POST',
              body: JSON.stringify({
                entityRef: `api:default/${datasets[i % datasets.length].metadata.name}`,
                teamRef: 'group:default/marketing-analytics',
                purpose: `PostgreSQL restart check ${i}`,
                accessLevel: 'describe',
              }),
            })
          : await callApi(replica, bob, '/api/data-mesh/access-requests?view=mine&limit=20');
        if (r.status === 201) {
          acknowledged.push(r.body.id);
          await callApi(replica, bob, `/api/data-mesh/access-requests/${r.body.id}/withdraw`, { method: 'POST', body: '{}' });
        }
        const ok = r.status < 300 || r.status === 409;
        outcomes.push({ t, ok, status: r.status, message: ok ? undefined : JSON.stringify(r.body?.error?.message ?? r.body).slice(0, 160) });
      } catch (error) {
        outcomes.push({ t, ok: false, status: 0, message: String(error).slice(0, 160) });
      }
      await sleep(200);
    }
  })();
  await sleep(20_000);
  restartAt = (Date.now() - started) / 1000;
  await restartPostgres(cluster.pg.port);
  restartDone = (Date.now() - started) / 1000;
  await load;
  const afterRestart = outcomes.filter(o => o.t > restartDone + 5);
  const failedDuring = outcomes.filter(o => !o.ok);
  const statuses = [...new Set(failedDuring.map(o => o.status))];
  const lost: string[] = [];
  for (const id of acknowledged) {
    const r = await callApi(a, bob, `/api/data-mesh/access-requests/${id}`);
    if (r.status !== 200) lost.push(id);
  }
  report(
    `PostgreSQL down for ${OUTAGE_SECONDS} s under load`,
    afterRestart.length > 20 && afterRestart.every(o => o.ok) && lost.length === 0 && failedDuring.every(o => o.status === 503),
    `down from ${restartAt.toFixed(0)} s to ${restartDone.toFixed(0)} s of 60 s; ${outcomes.length} requests, ${failedDuring.length} failed (statuses ${statuses.join(',') || 'none'}${failedDuring[0] ? `, e.g. ${failedDuring[0].message}` : ''}), all ${afterRestart.length} requests from 5 s after the restart succeeded: ${afterRestart.every(o => o.ok)}; ${acknowledged.length} acknowledged requests, ${lost.length} missing afterwards`,
  );
}

async function main() {
  log(`faults check: 2 backends on one PostgreSQL, DataZone sync every ${SYNC_SECONDS} s`);
  const cluster = await startCluster({
    replicas: 2,
    extraConfig: [
      ...syncScheduleConfig(SYNC_SECONDS),
    ].join('\n'),
  });
  log(`cluster up: ${cluster.replicas.map(r => r.url).join(', ')}; local AWS ${cluster.awsEndpoint}; logs in ${cluster.dataDir}`);
  const admin = new LocalAwsAdminClient(cluster.awsEndpoint);
  try {
    await until('the demo mesh is in the catalog', 180_000, async () =>
      ((await dataZoneEntityCount(cluster, cluster.replicas[1])) > 20 ? true : undefined),
    );
    if (selected('datazone')) {
      await checkDataZoneOutage(cluster, admin, 'throttle');
      await checkDataZoneOutage(cluster, admin, 'error');
    }
    if (selected('scaffolder')) await checkLocalAwsRestartDuringScaffolder(cluster, admin);
    if (selected('postgres')) await checkPostgresRestartUnderLoad(cluster);
  } finally {
    await cluster.stop();
  }
  process.exit(finish());
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
