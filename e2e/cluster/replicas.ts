/*
 * Two backend replicas on one PostgreSQL, against the local AWS's demo mesh:
 *
 * 1. the DataZone sync runs once per interval across the replicas, not once per replica;
 * 2. the same approval sent to both replicas at once grants exactly once;
 * 3. the expiry job, running on both, revokes an expired grant exactly once;
 * 4. a replica killed in the middle of a sync leaves the catalog intact, and the
 *    survivor's next run converges (a product created meanwhile appears).
 *
 *   source scripts/toolchain.sh && source scripts/lib.sh && start_test_postgres
 *   node -r @backstage/cli/config/nodeTransform.cjs e2e/cluster/replicas.ts
 *
 * Prints each check's figures and PASS/FAIL; exits non-zero if any failed.
 */
import {
  CreateAssetCommand,
  CreateDataProductCommand,
  CreateListingChangeSetCommand,
  DataZoneClient,
} from '@aws-sdk/client-datazone';
import { LocalAwsAdminClient } from '@data-mesh-portal/local-aws';
import { Client } from 'pg';
import { Cluster, demoUserToken, log, logLines, Replica, sleep, startCluster } from './cluster';

const SYNC_SECONDS = 20;
const SYNC_DONE = /DataZone sync of domain \S+ (applied|failed|refused): /;
const SYNC_STARTED = /DataZone sync of domain \S+ started/;
// A fixed id of the demo seed (catalog/demo-org.yaml): the sales domain team's project.
const SALES_PROJECT_ID = 'po1v8iiuso92sn';

const results: { check: string; pass: boolean; detail: string }[] = [];
function report(check: string, pass: boolean, detail: string) {
  results.push({ check, pass, detail });
  log(`${pass ? 'PASS' : 'FAIL'}  ${check}: ${detail}`);
}

async function api(replica: Replica, token: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${replica.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

async function entitiesByFilter(cluster: Cluster, replica: Replica, filter: string) {
  const { status, body } = await api(
    replica,
    cluster.scriptToken,
    `/api/catalog/entities/by-query?filter=${encodeURIComponent(filter)}&limit=500`,
  );
  if (status !== 200) throw new Error(`catalog query ${filter}: ${status}`);
  return body.items as any[];
}

async function datazoneEntityCount(cluster: Cluster, replica: Replica) {
  const location = `datazone:us-east-1/${cluster.dataZoneDomainId}`;
  const items = await entitiesByFilter(
    cluster,
    replica,
    `metadata.annotations.backstage.io/managed-by-location=${location}`,
  );
  return items.length;
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== null && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}

function syncRuns(replicas: Replica[]) {
  return replicas.map(r => logLines(r, SYNC_DONE).length);
}

async function checkSyncOncePerInterval(cluster: Cluster) {
  const before = syncRuns(cluster.replicas);
  const started = Date.now();
  await sleep(6 * SYNC_SECONDS * 1000);
  const elapsed = (Date.now() - started) / 1000;
  const after = syncRuns(cluster.replicas);
  const perReplica = after.map((n, i) => n - before[i]);
  const total = perReplica.reduce((a, b) => a + b, 0);
  const intervals = elapsed / SYNC_SECONDS;
  report(
    'DataZone sync once per interval across 2 replicas',
    total >= Math.floor(intervals) - 1 && total <= Math.ceil(intervals) + 1,
    `${total} runs in ${elapsed.toFixed(0)} s at one per ${SYNC_SECONDS} s (${intervals.toFixed(1)} intervals); per replica ${perReplica.join(' + ')}`,
  );
}

async function checkApprovalRace(cluster: Cluster, admin: LocalAwsAdminClient) {
  const [a, b] = cluster.replicas;
  const bob = await demoUserToken(a.url, 'bob');
  const alice = await demoUserToken(a.url, 'alice');
  const [product] = (
    await entitiesByFilter(cluster, a, 'kind=system,spec.type=data-product')
  ).filter(e => e.metadata.title === 'Order history');
  if (!product) throw new Error('the demo product "Order history" is not in the catalog');
  const entityRef = `system:default/${product.metadata.name}`;
  const created = await api(a, bob, '/api/data-mesh/access-requests', {
    method: 'POST',
    body: JSON.stringify({
      entityRef,
      teamRef: 'group:default/marketing-analytics',
      purpose: 'Replica race check: campaign attribution',
      durationDays: 30,
    }),
  });
  if (created.status !== 201) {
    throw new Error(`creating the request: ${created.status} ${JSON.stringify(created.body)}`);
  }
  const id = created.body.id as string;
  await admin.resetCounters();
  // Four approvals to each replica, all at once.
  const approvals = await Promise.all(
    [a, b, a, b, a, b, a, b].map(r =>
      api(r, alice, `/api/data-mesh/access-requests/${id}/approve`, {
        method: 'POST',
        body: '{}',
      }),
    ),
  );
  const statuses = approvals.map(x => x.status);
  const ok = statuses.filter(s => s >= 200 && s < 300).length;
  const conflicts = statuses.filter(s => s === 409).length;
  const dz = (await admin.counters()).services.datazone ?? {};
  const accepted = dz.AcceptSubscriptionRequest?.calls ?? 0;
  const subscribed = dz.CreateSubscriptionRequest?.calls ?? 0;
  const after = await api(a, alice, `/api/data-mesh/access-requests/${id}`);
  report(
    'one approval sent 8 times to 2 replicas grants once',
    ok === 1 && conflicts === 7 && accepted === 1 && after.body.status === 'active',
    `responses ${statuses.join(',')} (${ok} ok, ${conflicts} × 409); DataZone CreateSubscriptionRequest ${subscribed}, AcceptSubscriptionRequest ${accepted}; request ${after.body.status}`,
  );
  return id;
}

async function checkExpiryOnce(cluster: Cluster, admin: LocalAwsAdminClient, id: string) {
  const [a] = cluster.replicas;
  const alice = await demoUserToken(a.url, 'alice');
  await admin.resetCounters();
  // The access period ends now: move its end into the past, as time would.
  const db = new Client({ ...cluster.pg, database: `${cluster.databasePrefix}data-mesh` });
  await db.connect();
  try {
    const updated = await db.query(
      `UPDATE access_requests SET expires_at = now() - interval '1 minute' WHERE id = $1 AND status = 'active'`,
      [id],
    );
    if (updated.rowCount !== 1) throw new Error(`request ${id} is not active in the database`);
  } finally {
    await db.end();
  }
  const status = await until('the request expires', 90_000, async () => {
    const r = await api(a, alice, `/api/data-mesh/access-requests/${id}`);
    return r.body.status === 'expired' ? r.body.status : undefined;
  });
  await sleep(15_000); // both replicas' expiry jobs run again meanwhile
  const dz = (await admin.counters()).services.datazone ?? {};
  const revokes = dz.RevokeSubscription?.calls ?? 0;
  const events = await api(a, alice, `/api/data-mesh/access-requests/${id}/events`);
  const expiredEvents = (events.body.items as any[]).filter(e => e.action === 'expired' || e.toStatus === 'expired').length;
  const expiryLines = cluster.replicas.map(r => logLines(r, /Access expiry: 1 expired/).length);
  report(
    'the expiry job on 2 replicas revokes once',
    status === 'expired' && revokes === 1 && expiredEvents === 1,
    `request ${status}; DataZone RevokeSubscription ${revokes}; audit events for the expiry ${expiredEvents}; "1 expired" log lines per replica ${expiryLines.join(' + ')}`,
  );
}

async function createProduct(cluster: Cluster, name: string) {
  const dz = new DataZoneClient({
    endpoint: cluster.awsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const domainIdentifier = cluster.dataZoneDomainId;
    const tableName = name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    const asset = await dz.send(
      new CreateAssetCommand({
        domainIdentifier,
        owningProjectIdentifier: SALES_PROJECT_ID,
        name: tableName,
        typeIdentifier: 'amazon.datazone.GlueTableAssetType',
        formsInput: [
          {
            formName: 'GlueTableForm',
            content: JSON.stringify({
              catalogId: '222222222222',
              region: 'us-east-1',
              tableArn: `arn:aws:glue:us-east-1:222222222222:table/replica_check/${tableName}`,
              tableName,
              columns: [{ columnName: 'id', dataType: 'bigint' }],
            }),
          },
        ],
      }),
    );
    const product = await dz.send(
      new CreateDataProductCommand({
        domainIdentifier,
        owningProjectIdentifier: SALES_PROJECT_ID,
        name,
        items: [{ itemType: 'ASSET', identifier: asset.id! }],
      }),
    );
    await dz.send(
      new CreateListingChangeSetCommand({
        domainIdentifier,
        entityIdentifier: product.id!,
        entityType: 'DATA_PRODUCT',
        action: 'PUBLISH',
      }),
    );
  } finally {
    dz.destroy();
  }
}

async function checkKillMidSync(cluster: Cluster, admin: LocalAwsAdminClient) {
  const before = await datazoneEntityCount(cluster, cluster.replicas[0]);
  const started = cluster.replicas.map(r => logLines(r, SYNC_STARTED).length);
  // Slow listing reads, so the next sync is still reading when it is killed.
  await admin.addFaults({ service: 'datazone', operation: 'SearchListings', kind: 'latency', latencyMs: 15_000 });
  const victim = await until('a sync starts', 90_000, async () =>
    cluster.replicas.find((r, i) => logLines(r, SYNC_STARTED).length > started[i]),
  );
  await sleep(3000);
  await victim.kill('SIGKILL');
  const killedAt = Date.now();
  const survivor = cluster.replicas.find(r => r !== victim)!;
  const afterKill = await datazoneEntityCount(cluster, survivor);
  await admin.clearFaults();
  const name = `Replica check ${Date.now().toString(36)}`;
  await createProduct(cluster, name);
  const doneBefore = logLines(survivor, SYNC_DONE).length;
  await until('the survivor syncs and the new product is in the catalog', 180_000, async () => {
    if (logLines(survivor, SYNC_DONE).length <= doneBefore) return undefined;
    const systems = await entitiesByFilter(cluster, survivor, 'kind=system,spec.type=data-product');
    return systems.some(e => e.metadata.title === name) || undefined;
  });
  const convergedS = (Date.now() - killedAt) / 1000;
  const final = await datazoneEntityCount(cluster, survivor);
  report(
    'a replica killed mid-sync leaves the catalog intact; the next run converges',
    afterKill === before && final > before,
    `killed ${victim.name} while its sync read DataZone; entities before ${before}, right after the kill ${afterKill}; ${survivor.name} synced the new product ${convergedS.toFixed(0)} s after the kill; entities now ${final}`,
  );
  await victim.restart();
  const rejoined = await datazoneEntityCount(cluster, victim);
  report('the killed replica restarts and serves the same catalog', rejoined === final, `${victim.name} serves ${rejoined} DataZone entities`);
}

async function main() {
  log(`replicas check: 2 backends on one PostgreSQL, DataZone sync every ${SYNC_SECONDS} s`);
  const cluster = await startCluster({
    replicas: 2,
    env: { LOG_LEVEL: 'debug' },
    extraConfig: [
      'catalog:',
      '  providers:',
      '    datazone:',
      '      schedule:',
      `        frequency: PT${SYNC_SECONDS}S`,
      '        timeout: PT40S',
      '        initialDelay: PT3S',
      'dataMesh:',
      '  accessRequests:',
      '    schedule:',
      '      expiry: { frequency: PT5S, timeout: PT30S }',
      '      reconciliation: { frequency: PT30M, timeout: PT1M }',
    ].join('\n'),
  });
  log(`cluster up: ${cluster.replicas.map(r => r.url).join(', ')}; local AWS ${cluster.awsEndpoint}; logs in ${cluster.dataDir}`);
  const admin = new LocalAwsAdminClient(cluster.awsEndpoint);
  try {
    await until('the demo mesh is in the catalog', 180_000, async () =>
      (await datazoneEntityCount(cluster, cluster.replicas[1])) > 20 || undefined,
    );
    await checkSyncOncePerInterval(cluster);
    const id = await checkApprovalRace(cluster, admin);
    await checkExpiryOnce(cluster, admin, id);
    await checkKillMidSync(cluster, admin);
  } finally {
    await cluster.stop();
  }
  const failed = results.filter(r => !r.pass).length;
  log(`replicas check: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
