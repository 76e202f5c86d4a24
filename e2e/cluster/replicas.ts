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
import { LocalAwsAdminClient } from '@data-mesh-portal/local-aws';
import knexFactory from 'knex';
import { publishDataProduct } from '../dataZone';
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

const SYNC_SECONDS = 20;
const SYNC_STARTED = /DataZone sync of domain \S+ started/;
const { report, finish } = checkReporter('replicas check');

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
    await catalogEntities(cluster, a, 'kind=system,spec.type=data-product')
  ).filter(e => e.metadata.title === 'Order history');
  if (!product) throw new Error('the demo product "Order history" is not in the catalog');
  const entityRef = `system:default/${product.metadata.name}`;
  const created = await callApi(a, bob, '/api/data-mesh/access-requests', {
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
      callApi(r, alice, `/api/data-mesh/access-requests/${id}/approve`, {
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
  const after = await callApi(a, alice, `/api/data-mesh/access-requests/${id}`);
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
  const db = knexFactory({
    client: 'pg',
    connection: { ...cluster.pg, database: `${cluster.databasePrefix}data-mesh` },
  });
  try {
    const updated = await db('access_requests')
      .where({ id, status: 'active' })
      .update({ expires_at: db.raw(`now() - interval '1 minute'`) });
    if (updated !== 1) throw new Error(`request ${id} is not active in the database`);
  } finally {
    await db.destroy();
  }
  const status = await until('the request expires', 90_000, async () => {
    const r = await callApi(a, alice, `/api/data-mesh/access-requests/${id}`);
    return r.body.status === 'expired' ? r.body.status : undefined;
  });
  await sleep(15_000); // both replicas' expiry jobs run again meanwhile
  const dz = (await admin.counters()).services.datazone ?? {};
  const revokes = dz.RevokeSubscription?.calls ?? 0;
  const events = await callApi(a, alice, `/api/data-mesh/access-requests/${id}/events`);
  const expiredEvents = (events.body.items as any[]).filter(e => e.action === 'expired' || e.toStatus === 'expired').length;
  const expiryLines = cluster.replicas.map(r => logLines(r, /Access expiry: 1 expired/).length);
  report(
    'the expiry job on 2 replicas revokes once',
    status === 'expired' && revokes === 1 && expiredEvents === 1,
    `request ${status}; DataZone RevokeSubscription ${revokes}; audit events for the expiry ${expiredEvents}; "1 expired" log lines per replica ${expiryLines.join(' + ')}`,
  );
}

async function checkKillMidSync(cluster: Cluster, admin: LocalAwsAdminClient) {
  const before = await dataZoneEntityCount(cluster, cluster.replicas[0]);
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
  const afterKill = await dataZoneEntityCount(cluster, survivor);
  await admin.clearFaults();
  const name = `Replica check ${Date.now().toString(36)}`;
  await publishDataProduct({ endpoint: cluster.awsEndpoint, domainId: cluster.dataZoneDomainId, name, database: 'replica_check' });
  const doneBefore = logLines(survivor, SYNC_DONE).length;
  await until('the survivor syncs and the new product is in the catalog', 180_000, async () => {
    if (logLines(survivor, SYNC_DONE).length <= doneBefore) return undefined;
    const systems = await catalogEntities(cluster, survivor, 'kind=system,spec.type=data-product');
    return systems.some(e => e.metadata.title === name) || undefined;
  });
  const convergedS = (Date.now() - killedAt) / 1000;
  const final = await dataZoneEntityCount(cluster, survivor);
  report(
    'a replica killed mid-sync leaves the catalog intact; the next run converges',
    afterKill === before && final > before,
    `killed ${victim.name} while its sync read DataZone; entities before ${before}, right after the kill ${afterKill}; ${survivor.name} synced the new product ${convergedS.toFixed(0)} s after the kill; entities now ${final}`,
  );
  await victim.restart();
  const rejoined = await dataZoneEntityCount(cluster, victim);
  report('the killed replica restarts and serves the same catalog', rejoined === final, `${victim.name} serves ${rejoined} DataZone entities`);
}

async function main() {
  log(`replicas check: 2 backends on one PostgreSQL, DataZone sync every ${SYNC_SECONDS} s`);
  const cluster = await startCluster({
    replicas: 2,
    env: { LOG_LEVEL: 'debug' },
    extraConfig: [
      ...syncScheduleConfig(SYNC_SECONDS),
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
      (await dataZoneEntityCount(cluster, cluster.replicas[1])) > 20 || undefined,
    );
    await checkSyncOncePerInterval(cluster);
    const id = await checkApprovalRace(cluster, admin);
    await checkExpiryOnce(cluster, admin, id);
    await checkKillMidSync(cluster, admin);
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
