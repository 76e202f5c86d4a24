/*
 * Benchmark of the DataZone entity provider against the local DataZone
 * stand-in seeded at scale, with a real catalog backend (in this process).
 *
 *   source scripts/toolchain.sh
 *   node -r @backstage/cli/config/nodeTransform.cjs \
 *     plugins/catalog-backend-module-datazone/scripts/benchmark.ts --assets 10000
 *
 * Options: --assets N (default 10000), --assets-per-product M (default 50),
 * --db sqlite|postgres (postgres: BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING),
 * --processing-interval S (catalog.processingInterval in seconds; default: the
 * catalog's own 100–150 s), --stitching immediate|deferred, --skip-floor,
 * --skip-quota, --skip-second, --skip-product, --timeout-minutes T (per wait, default 30).
 *
 * Prints: DataZone calls by operation (the stand-in's counters) against the
 * paged minimum, read time, time until every entity is queryable through the
 * catalog API, peak process RSS; the floor (the same entities handed to a
 * fresh catalog by a trivial static provider); a second sync of the unchanged
 * mesh (entity etags before/after); "sync product now" latency for a product
 * created in DataZone; and a run with DataZone quota emulation on.
 */
import { DataZoneClient } from '@aws-sdk/client-datazone';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  publishGlueTableProduct,
  startLocalAws,
  type LocalAws,
} from '@data-mesh-portal/local-aws';
import request from 'supertest';
import {
  CatalogHarness,
  countAtLocation,
  getEntity,
  startCatalogHarness,
} from '../src/__testUtils__/catalogHarness';
import { mapSnapshotToEntities } from '../src/mapping/mapSnapshot';
import { DataZoneReader } from '../src/read/DataZoneReader';
import { dataMeshEntityName } from '@data-mesh-portal/plugin-data-mesh-common';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const assets = Number(arg('assets') ?? 10_000);
const assetsPerProduct = Number(arg('assets-per-product') ?? 50);
const products = Math.max(1, Math.round(assets / assetsPerProduct));
const db = arg('db') ?? 'sqlite';
const processingInterval = arg('processing-interval');
const stitching = arg('stitching');
const waitTimeoutMs = Number(arg('timeout-minutes') ?? 30) * 60_000;

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

function log(line: string) {
  // eslint-disable-next-line no-console
  console.log(line);
}

/** Samples process RSS every 200 ms; `peak()` since the last `reset()`. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 200);
  timer.unref();
  return {
    reset() {
      peak = process.memoryUsage().rss;
    },
    peak() {
      return Math.max(peak, process.memoryUsage().rss);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** A fresh, empty catalog database for each harness (the floor and the provider must not share one). */
function database() {
  if (db === 'postgres') {
    const connection = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
    if (!connection) {
      throw new Error(
        'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set (source scripts/lib.sh && start_test_postgres)',
      );
    }
    const prefix = `dmpbench${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}_`;
    return { client: 'pg', connection, prefix };
  }
  return { client: 'better-sqlite3', connection: ':memory:' };
}

/** Polls until the catalog serves `expected` entities at `location`; returns the elapsed ms from `since`. */
async function untilQueryable(
  server: any,
  location: string,
  expected: number,
  since: number,
): Promise<number> {
  const deadline = Date.now() + waitTimeoutMs;
  for (;;) {
    const count = await countAtLocation(server, location);
    if (count >= expected) {
      return Date.now() - since;
    }
    if (Date.now() > deadline) {
      throw new Error(`only ${count} of ${expected} entities queryable after ${s(waitTimeoutMs)}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/** Every entity at `location` with its etag, through the catalog API (paged). */
async function etagsAt(server: any, location: string): Promise<Map<string, string>> {
  const etags = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const res = await request(server)
      .get('/api/catalog/entities/by-query')
      .query(
        cursor
          ? { cursor, limit: 1000 }
          : {
              filter: `metadata.annotations.backstage.io/managed-by-location=${location}`,
              fields: 'kind,metadata.namespace,metadata.name,metadata.etag',
              limit: 1000,
            },
      )
      .set('Authorization', mockCredentials.service.header());
    if (res.status !== 200) {
      throw new Error(`catalog query failed: ${res.status}`);
    }
    for (const e of res.body.items as Entity[]) {
      etags.set(`${e.kind}:${e.metadata.namespace}/${e.metadata.name}`, e.metadata.etag!);
    }
    cursor = res.body.pageInfo?.nextCursor;
  } while (cursor);
  return etags;
}

class StaticProvider implements EntityProvider {
  connection?: EntityProviderConnection;
  getProviderName() {
    return 'benchmark-static';
  }
  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
  }
}

async function createProduct(localAws: LocalAws, key: string) {
  const dz = new DataZoneClient(localAws.clientConfig());
  try {
    const name = `Benchmark new product ${key}`;
    const { dataProductId } = await publishGlueTableProduct(dz, {
      domainId: localAws.domainId!,
      projectId: localAws.scale!.projectIds[0],
      name,
      tableName: `bench_new_${key}`,
      database: 'bench_new',
      accountId: localAws.accounts.producer,
      region: localAws.region,
    });
    return { id: dataProductId, name };
  } finally {
    dz.destroy();
  }
}

async function main() {
  const rss = rssSampler();
  log(
    `DataZone provider benchmark: ${products} products × ${assetsPerProduct} assets = ${products * assetsPerProduct} assets, ${db}, processingInterval ${processingInterval ? `${processingInterval} s` : 'catalog default (100–150 s)'}${stitching ? `, stitching ${stitching}` : ''}`,
  );
  log(`started ${new Date().toISOString()}, node ${process.version}, load average ${require('node:os').loadavg().map((l: number) => l.toFixed(1)).join(' ')}`);

  let started = Date.now();
  const localAws = await startLocalAws({
    seed: false,
    persist: false,
    scale: { products, assetsPerProduct },
  });
  const scale = localAws.scale!;
  const location = `datazone:${localAws.region}/${localAws.domainId}`;
  log(`seeded the stand-in in ${s(Date.now() - started)}: ${scale.listings} listings, ${scale.projectIds.length} projects, ${scale.domainUnitIds.length} domain units; RSS ${mb(process.memoryUsage().rss)}`);

  const dz = new DataZoneClient({ ...localAws.clientConfig(), maxAttempts: 5 });
  const clients = async () => dz;
  const catalogOptions = {
    domainId: localAws.domainId!,
    region: localAws.region,
    clients,
    demoOrg: false,
    processingIntervalSeconds: processingInterval ? Number(processingInterval) : null,
  };
  const harnessOptions = (extra: object = {}) => {
    const options: Parameters<typeof startCatalogHarness>[0] = {
      ...catalogOptions,
      database: database(),
      ...extra,
    };
    return options;
  };
  const withStitching = (h: Parameters<typeof startCatalogHarness>[0]) =>
    stitching ? { ...h, catalogExtra: { stitchingStrategy: { mode: stitching } } } : h;

  // The paged minimum: one call per page (50 per page; units 25), nothing per item.
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const state = localAws.dataZone.store.state;
  const inDomain = <T extends { domainId: string }>(r: Record<string, T>) =>
    Object.values(r).filter(x => x.domainId === localAws.domainId);
  const units = inDomain(state.domainUnits);
  const projects = inDomain(state.projects);
  const active = inDomain(state.listings).filter(l => l.revisions[l.revisions.length - 1].status === 'ACTIVE');
  const minimum: Record<string, number> = {
    GetDomain: 1,
    ListDomainUnitsForParent: units.reduce((n, u) => n + pages(units.filter(c => c.parentDomainUnitId === u.id).length, 25), 0),
    ListProjects: pages(projects.length, 50),
    ListProjectMemberships: projects.length,
    SearchUserProfiles: pages(inDomain(state.userProfiles).filter(p => p.type === 'SSO').length, 50),
    SearchListings: pages(active.length, 50),
    ListSubscriptions: new Set(active.map(l => l.revisions[l.revisions.length - 1].owningProjectId)).size,
  };
  const minimumTotal = Object.values(minimum).reduce((a, b) => a + b, 0);

  // Floor: the same entities, handed over by a trivial static provider to a fresh catalog.
  let floorMs: number | undefined;
  if (!flag('skip-floor')) {
    const reader = new DataZoneReader(dz, {
      domainId: localAws.domainId!,
      concurrency: 4,
      includeInventory: false,
      subscriptions: true,
      matchMembersByEmail: true,
    });
    const snapshot = await reader.readAll();
    const { entities } = mapSnapshotToEntities(snapshot, {
      location,
      region: localAws.region,
      projectOwners: {},
      domainUnitOwners: {},
      defaultOwner: 'group:default/data-platform',
      usersByEmail: new Map(),
      filters: {},
      additionalAssetTypes: [],
      dataContractFormName: 'DataMeshPortalDataContract',
    });
    const staticProvider = new StaticProvider();
    rss.reset();
    const floorHarness = await startCatalogHarness(
      withStitching(harnessOptions({ withoutDataZone: true, extraProviders: [staticProvider] })),
    );
    try {
      started = Date.now();
      await staticProvider.connection!.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({ entity, locationKey: location })),
      });
      const applyMs = Date.now() - started;
      floorMs = await untilQueryable(floorHarness.server, location, entities.length, started);
      log(`floor (static provider, ${entities.length} entities): applyMutation ${s(applyMs)}, every entity queryable after ${s(floorMs)} (${Math.round(entities.length / (floorMs / 1000))} entities/s); peak RSS ${mb(rss.peak())}`);
    } finally {
      await floorHarness.stop();
    }
  }

  // The provider, in a fresh catalog.
  rss.reset();
  const harness: CatalogHarness = await startCatalogHarness(withStitching(harnessOptions()));
  try {
    const provider = harness.provider!;
    localAws.resetCounters();
    started = Date.now();
    const first = await provider.refresh();
    if (first.status !== 'applied') {
      throw new Error(`the first sync ${first.status}: ${first.error?.message}`);
    }
    const appliedAt = Date.now();
    const queryableMs = await untilQueryable(harness.server, location, first.entities, started);
    const counters = localAws.counters().services.datazone;
    const calls = Object.fromEntries(Object.entries(counters).map(([op, c]) => [op, c.calls]));
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    log(`provider sync: ${first.entities} entities, status ${first.status}, skipped ${first.skipped}`);
    log(`  DataZone calls: ${total} (paged minimum ${minimumTotal}, ratio ${(total / minimumTotal).toFixed(2)})`);
    for (const op of Object.keys({ ...minimum, ...calls }).sort()) {
      log(`    ${op.padEnd(26)} ${String(calls[op] ?? 0).padStart(6)}   minimum ${minimum[op] ?? 0}`);
    }
    log(`  read ${s(first.readMs)}, mapping ${s(first.mapMs)}, mapping + applyMutation ${s(appliedAt - started - first.readMs)}, every entity queryable after ${s(queryableMs)} (after the read: ${s(queryableMs - first.readMs)}${floorMs ? `, ${((queryableMs - first.readMs) / floorMs).toFixed(2)} × the floor` : ''})`);
    log(`  peak RSS ${mb(rss.peak())} (the stand-in and the catalog share this process)`);

    // Second sync of the unchanged mesh.
    if (!flag('skip-second')) {
      const before = await etagsAt(harness.server, location);
      started = Date.now();
      const second = await provider.refresh();
      const secondMs = Date.now() - started;
      // Give the catalog a processing round to rewrite anything it would.
      const settleSeconds = Math.min(Number(processingInterval ?? 10), 10) + 5;
      await new Promise(r => setTimeout(r, settleSeconds * 1000));
      const after = await etagsAt(harness.server, location);
      let changed = 0;
      for (const [ref, etag] of before) {
        if (after.get(ref) !== etag) changed += 1;
      }
      log(`second sync (unchanged mesh): ${second.status} in ${s(secondMs)} (read ${s(second.readMs)}, mapping ${s(second.mapMs)} with ${second.memoHits} contracts and datasets from memory), added ${second.added}, updated ${second.updated}, removed ${second.removed}; entities whose etag changed ${settleSeconds} s later: ${changed} of ${before.size}`);
    }

    // "Sync product now" for a product created in DataZone.
    if (!flag('skip-product')) {
      const created = await createProduct(localAws, Date.now().toString(36));
      started = Date.now();
      const result = await provider.syncDataProduct(created.id);
      const syncedMs = Date.now() - started;
      const systemRef = `system/default/${dataMeshEntityName({ kind: 'data-product', id: created.id, name: created.name, domainId: localAws.domainId! })}`;
      const deadline = Date.now() + waitTimeoutMs;
      while (!(await getEntity(harness.server, systemRef))) {
        if (Date.now() > deadline) throw new Error(`${systemRef} never became queryable`);
        await new Promise(r => setTimeout(r, 100));
      }
      log(`sync product now: ${result.entityRefs.length} entities applied in ${s(syncedMs)}, the product's System queryable after ${s(Date.now() - started)}`);
    }

    // Quota emulation: DataZone's 20 requests/s per operation.
    if (!flag('skip-quota')) {
      localAws.setQuotas({ enabled: true });
      localAws.resetCounters();
      started = Date.now();
      const quota = await provider.refresh();
      const counted = localAws.counters().services.datazone;
      const quotaCalls = Object.values(counted).reduce((a, c) => a + c.calls, 0);
      const throttled = Object.values(counted).reduce((a, c) => a + c.throttled, 0);
      const searchListings = counted.SearchListings?.calls ?? 0;
      localAws.clearQuotas();
      log(`quota emulation on: ${quota.status}, read ${s(quota.readMs)}, ${quotaCalls} calls (${throttled} throttled and retried), SearchListings ${searchListings} calls: calls ÷ 20/s = ${s((quotaCalls / 20) * 1000)}, longest single operation ÷ 20/s = ${s((Math.max(...Object.values(counted).map(c => c.calls)) / 20) * 1000)}; read ÷ (calls ÷ 20/s) = ${(quota.readMs / ((quotaCalls / 20) * 1000)).toFixed(2)}`);
    }
  } finally {
    await harness.stop();
    dz.destroy();
    rss.stop();
    await localAws.stop();
  }
}

main().then(
  () => process.exit(0),
  error => {
    // eslint-disable-next-line no-console
    console.error(error);
    process.exit(1);
  },
);
