/*
 * Reliability and bad-input tests: the provider against the local DataZone
 * stand-in's fault injection (throttling, 5xx on one page, timeouts) and
 * malformed items, with a real catalog behind it. Every failed run must leave
 * the catalog as it was, and the next good run must converge.
 */
import { CreateProjectCommand, DataZoneClient } from '@aws-sdk/client-datazone';
import {
  ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS,
  DATA_CONTRACT_FORM_TYPE_NAME,
  dataMeshEntityName,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { AwsClientFactory } from '@data-mesh-portal/plugin-data-mesh-node';
import { startLocalAws, type LocalAws } from '@data-mesh-portal/local-aws';
import { parse, stringify } from 'yaml';
import {
  CatalogHarness,
  countAtLocation,
  getEntity,
  relationTargets,
  startCatalogHarness,
  waitFor,
} from './__testUtils__/catalogHarness';
import { DataZoneApi } from './read/DataZoneReader';

// Two attempts and a short request timeout keep failing runs fast; the
// production defaults (5 attempts, 60 s) only make them slower.
function clientFactory(localAws: LocalAws, requestTimeoutMs = 1500) {
  return AwsClientFactory.create({
    endpoint: localAws.endpoint,
    maxAttempts: 2,
    requestTimeoutMs,
    credentialsManager: {
      getCredentialProvider: async () => ({
        sdkCredentialProvider: async () => localAws.clientConfig().credentials,
      }),
    },
  });
}

function locationOf(localAws: LocalAws) {
  return `datazone:${localAws.region}/${localAws.domainId}`;
}

const pages = (items: number, pageSize: number) => Math.max(1, Math.ceil(items / pageSize));

describe('the DataZone provider under faults, against the seeded demo and a real catalog', () => {
  let localAws: LocalAws;
  let factory: AwsClientFactory;
  let harness: CatalogHarness;
  let baseline: number;

  beforeAll(async () => {
    localAws = await startLocalAws({ seed: true });
    factory = clientFactory(localAws);
    harness = await startCatalogHarness({
      domainId: localAws.domainId!,
      region: localAws.region,
      clients: target => factory.getClient(DataZoneClient, target) as Promise<DataZoneApi>,
      datazone: { ownerMapping: { default: 'group:default/platform-team' } },
    });
    // Users must be in the catalog for project members to match by email.
    await waitFor('demo users', () => getEntity(harness.server, 'user/default/alice'));
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    await factory?.destroy();
    await localAws?.stop();
  });

  const provider = () => harness.provider!;

  it('reads the demo with the paged minimum of calls and relates the approved subscriber to the datasets', async () => {
    localAws.resetCounters();
    const summary = await provider().refresh();
    expect(summary).toMatchObject({ status: 'applied', skipped: 0 });

    // The paged minimum, from the stand-in's own state: one call per page of
    // each listing (50 per page, domain units 25), nothing per item.
    const domainId = localAws.domainId!;
    const state = localAws.dataZone.store.state;
    const inDomain = <T extends { domainId: string }>(records: Record<string, T>) =>
      Object.values(records).filter(r => r.domainId === domainId);
    const units = inDomain(state.domainUnits);
    const projects = inDomain(state.projects);
    const active = inDomain(state.listings).filter(
      l => l.revisions[l.revisions.length - 1].status === 'ACTIVE',
    );
    const owners = new Set(active.map(l => l.revisions[l.revisions.length - 1].owningProjectId));
    const expected: Record<string, number> = {
      GetDomain: 1,
      ListDomainUnitsForParent: units.reduce(
        (sum, unit) =>
          sum + pages(units.filter(u => u.parentDomainUnitId === unit.id).length, 25),
        0,
      ),
      ListProjects: pages(projects.length, 50),
      ListProjectMemberships: projects.length,
      SearchUserProfiles: pages(
        inDomain(state.userProfiles).filter(p => p.type === 'SSO').length,
        50,
      ),
      SearchListings: pages(active.length, 50),
      ListSubscriptions: owners.size,
    };
    const counted = localAws.counters().services.datazone;
    expect(
      Object.fromEntries(Object.entries(counted).map(([op, c]) => [op, c.calls])),
    ).toEqual(expected);
    for (const op of Object.keys(expected)) {
      expect(localAws.calls(op)).toBe(expected[op]);
    }
    expect(summary.calls).toEqual(expected);

    // The approved subscription: Marketing analytics → Customer 360.
    const demo = localAws.demo!;
    const approved = demo.workflows.subscriptions.approved[0];
    const consumer = demo.projects[approved.project];
    const groupRef = `group:default/${dataMeshEntityName({ kind: 'project', id: consumer.id, name: consumer.name, domainId })}`;
    const product = demo.dataProducts.find(p => p.key === approved.product)!;
    const apiRefs = product.assets
      .map(a => `api:default/${dataMeshEntityName({ kind: 'asset', id: a.assetId, name: a.table, domainId })}`)
      .sort();
    const group = await waitFor('the consuming group with its consumesApi relations', async () => {
      const entity = await getEntity(harness.server, groupRef.replace(':', '/'));
      return entity && relationTargets(entity, 'consumesApi').length === apiRefs.length
        ? entity
        : undefined;
    });
    expect(relationTargets(group, 'consumesApi')).toEqual(apiRefs);
    const server = harness.server;
    for (const apiRef of apiRefs) {
      const api = await waitFor(`${apiRef} consumed by the group`, async () => {
        const entity = await getEntity(server, apiRef.replace(':', '/'));
        return entity && relationTargets(entity, 'apiConsumedBy').length > 0 ? entity : undefined;
      });
      expect(relationTargets(api, 'apiConsumedBy')).toEqual([groupRef]);
    }
    // Pending requests relate nothing.
    for (const pending of demo.workflows.subscriptions.pending) {
      const p = demo.projects[pending.project];
      const ref = `group/default/${dataMeshEntityName({ kind: 'project', id: p.id, name: p.name, domainId })}`;
      const pendingGroup = (await getEntity(harness.server, ref))!;
      const pendingApis = demo.dataProducts
        .find(dp => dp.key === pending.product)!
        .assets.map(a => `api:default/${dataMeshEntityName({ kind: 'asset', id: a.assetId, name: a.table, domainId })}`);
      expect(relationTargets(pendingGroup, 'consumesApi')).toEqual(
        expect.not.arrayContaining(pendingApis),
      );
      expect(pendingApis.length).toBeGreaterThan(0);
    }

    baseline = await waitFor('every entity queryable', async () => {
      const count = await countAtLocation(harness.server, locationOf(localAws));
      return count === summary.entities ? count : undefined;
    });
  }, 120_000);

  it('fails a run throttled 100 % without touching the catalog, and the next good run converges', async () => {
    const mutationsBefore = harness.mutations.length;
    // Something changes in DataZone meanwhile: a new project.
    const admin = new DataZoneClient(localAws.clientConfig());
    const created = await admin.send(
      new CreateProjectCommand({ domainIdentifier: localAws.domainId!, name: 'Fault test team' }),
    );
    admin.destroy();
    const groupRef = `group/default/${dataMeshEntityName({ kind: 'project', id: created.id!, name: 'Fault test team', domainId: localAws.domainId! })}`;

    const rule = localAws.injectFault({ service: 'datazone', operation: '*', kind: 'throttle' });
    let failed;
    try {
      failed = await provider().refresh();
    } finally {
      localAws.clearFaults();
    }
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toMatch(/ThrottlingException/);
    expect(failed.error?.message).toContain(localAws.domainId!);
    expect(rule.id).toBeDefined();
    // Every attempt of the first call (GetDomain) was throttled; nothing else was called.
    expect(localAws.counters().services.datazone.GetDomain.throttled).toBeGreaterThanOrEqual(2);
    expect(harness.mutations).toHaveLength(mutationsBefore);
    expect(harness.logs.some(l => l.level === 'error' && /failed, catalog left unchanged/.test(l.message))).toBe(true);
    expect(await countAtLocation(harness.server, locationOf(localAws))).toBe(baseline);

    const good = await provider().refresh();
    expect(good).toMatchObject({ status: 'applied', added: 1, removed: 0 });
    expect(harness.mutations).toHaveLength(mutationsBefore + 1);
    await waitFor('the new project as a group', () => getEntity(harness.server, groupRef));
    baseline = await waitFor('every entity queryable', async () => {
      const count = await countAtLocation(harness.server, locationOf(localAws));
      return count === good.entities ? count : undefined;
    });
  }, 120_000);

  it('fails a run whose call times out (the request timeout fires) without touching the catalog', async () => {
    const mutationsBefore = harness.mutations.length;
    localAws.injectFault({ operation: 'ListProjects', kind: 'timeout', holdMs: 60_000 });
    const started = Date.now();
    let failed;
    try {
      failed = await provider().refresh();
    } finally {
      localAws.clearFaults();
    }
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toMatch(/DataZone ListProjects failed/);
    expect(((failed.error as Error).cause as Error).message).toMatch(/requestTimeout|TimeoutError/);
    // Two attempts of 1.5 s plus backoff, far below the 60 s hold.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(harness.mutations).toHaveLength(mutationsBefore);
    expect(await countAtLocation(harness.server, locationOf(localAws))).toBe(baseline);

    const good = await provider().refresh();
    expect(good).toMatchObject({ status: 'applied', added: 0, updated: 0, removed: 0 });
  }, 60_000);

  it('skips malformed items with a warning naming them, keeps the rest, and converges once they are fixed', async () => {
    const domainId = localAws.domainId!;
    const store = localAws.dataZone.store;
    const state = store.state;
    const saved = JSON.stringify(state.listings);
    const latest = <T>(list: T[]) => list[list.length - 1];
    const template = Object.values(state.listings).find(
      l => l.domainId === domainId && l.entityType === 'ASSET' && latest(l.revisions).status === 'ACTIVE',
    )!;
    const addListing = (key: string, change: (rev: (typeof template.revisions)[number]) => void) => {
      const seq = store.nextSeq();
      const copy = JSON.parse(JSON.stringify(template)) as typeof template;
      copy.id = `malformed${key}${seq}`;
      copy.seq = seq;
      copy.entityId = `asset${key}${seq}`;
      const rev = latest(copy.revisions);
      change(rev);
      copy.revisions = [rev];
      state.listings[copy.id] = copy;
      return copy;
    };
    const nameless = addListing('nameless', rev => {
      rev.name = '';
    });
    const unknownType = addListing('unknowntype', rev => {
      rev.name = 'custom_thing';
      rev.assetType = 'acme.UnknownAssetType';
    });
    const oddName = addListing('oddname', rev => {
      rev.name = '  Ünïcode / Table!! ';
    });
    // An invalid contract: the order history product's contract loses its
    // required `status` and gets an unknown `kind`.
    const demo = localAws.demo!;
    const orderHistory = demo.dataProducts.find(p => p.key === 'order-history')!;
    const productRev = latest(state.listings[orderHistory.listingId!].revisions);
    const forms = JSON.parse(productRev.forms);
    const form = forms[DATA_CONTRACT_FORM_TYPE_NAME];
    const contract = parse(form.contract);
    delete contract.status;
    contract.kind = 'NotAContract';
    form.contract = stringify(contract);
    productRev.forms = JSON.stringify(forms);
    // Republished, as DataZone does it: a new listing revision (the provider maps
    // an unchanged revision from memory).
    productRev.listingRevision = String(Number(productRev.listingRevision) + 1);
    store.changed();

    try {
      const mutationsBefore = harness.mutations.length;
      const summary = await provider().refresh();
      expect(summary).toMatchObject({ status: 'applied', skipped: 2, added: 1, removed: 0 });
      expect(harness.mutations).toHaveLength(mutationsBefore + 1);
      const warnings = harness.logs.filter(l => l.level === 'warn').map(l => l.message);
      expect(warnings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`Skipped DataZone asset ${nameless.entityId} .*lacks its asset id, listing id or name`)),
          expect.stringMatching(new RegExp(`Skipped DataZone asset ${unknownType.entityId} \\("custom_thing"\\).*asset type acme.UnknownAssetType is not synced`)),
          expect.stringMatching(new RegExp(`data product ${orderHistory.id} .*invalid data contract.*`)),
        ]),
      );
      // A name that is no valid entity name becomes one; the title keeps it.
      const oddRef = `api/default/${dataMeshEntityName({ kind: 'asset', id: oddName.entityId, name: '  Ünïcode / Table!! ', domainId })}`;
      const odd = await waitFor('the oddly named dataset', () => getEntity(harness.server, oddRef));
      expect(odd.metadata.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(odd.metadata.title).toBe('  Ünïcode / Table!! ');
      // The invalid contract is synced with its validation errors.
      const orders = orderHistory.assets.find(a => a.table === 'orders')!;
      const ordersRef = `api/default/${dataMeshEntityName({ kind: 'asset', id: orders.assetId, name: 'orders', domainId })}`;
      const ordersApi = await waitFor('the orders dataset with its contract errors', async () => {
        const entity = await getEntity(harness.server, ordersRef);
        return entity?.metadata.annotations?.[ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS] ? entity : undefined;
      });
      expect(ordersApi.metadata.annotations![ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS]).toMatch(/status/);
      // Every good entity is still there.
      await waitFor('every entity queryable', async () => {
        const count = await countAtLocation(harness.server, locationOf(localAws));
        return count === baseline + 1 ? count : undefined;
      });
    } finally {
      state.listings = JSON.parse(saved);
      store.changed();
    }

    const fixed = await provider().refresh();
    expect(fixed).toMatchObject({ status: 'applied', skipped: 0, removed: 1 });
    await waitFor('the catalog back at the baseline', async () => {
      const count = await countAtLocation(harness.server, locationOf(localAws));
      return count === baseline ? count : undefined;
    });
  }, 120_000);
});

describe('the DataZone provider with a 5xx on page 7 of 20 of SearchListings', () => {
  let localAws: LocalAws;
  let factory: AwsClientFactory;
  let harness: CatalogHarness;

  beforeAll(async () => {
    // 49 products × 19 assets: 980 listings, 20 pages of 50.
    localAws = await startLocalAws({
      seed: false,
      persist: false,
      scale: { products: 49, assetsPerProduct: 19 },
    });
    factory = clientFactory(localAws);
    harness = await startCatalogHarness({
      domainId: localAws.domainId!,
      region: localAws.region,
      clients: target => factory.getClient(DataZoneClient, target) as Promise<DataZoneApi>,
      demoOrg: false,
      processingIntervalSeconds: 5,
    });
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    await factory?.destroy();
    await localAws?.stop();
  });

  it('fails the run without touching the catalog, and the next good run converges', async () => {
    expect(localAws.scale!.listings).toBe(980);
    const first = await harness.provider!.refresh();
    expect(first.error).toBeUndefined();
    expect(first).toMatchObject({ status: 'applied', skipped: 0 });
    expect(first.calls.SearchListings).toBe(20);
    // Ingesting ~1,100 entities takes minutes on a busy machine; the count
    // only grows while the catalog works, so "nothing removed" is checked as
    // "no fewer than before the failed run" (the demo suite checks exact counts).
    const before = await waitFor(
      'the first entities queryable',
      async () => {
        const count = await countAtLocation(harness.server, locationOf(localAws));
        return count > 0 ? count : undefined;
      },
      120_000,
      1000,
    );

    localAws.resetCounters();
    const rule = localAws.injectFault({ operation: 'SearchListings', kind: 'error', page: 7, status: 500 });
    const failed = await harness.provider!.refresh();
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toMatch(/DataZone SearchListings failed for domain .*InternalServerException/);
    // Pages 1–6, then page 7 twice (the SDK's retry), and no page after it.
    expect(localAws.calls('SearchListings')).toBe(8);
    expect(localAws.faults().find(f => f.id === rule.id)!.hits).toBe(2);
    expect(harness.mutations).toHaveLength(1);
    expect(await countAtLocation(harness.server, locationOf(localAws))).toBeGreaterThanOrEqual(before);

    // The same fault absorbed by the SDK's retry (times: 1): the run succeeds.
    localAws.setFaults([{ operation: 'SearchListings', kind: 'error', page: 7, status: 503, times: 1 }]);
    const absorbed = await harness.provider!.refresh();
    // (`added` counts what the catalog does not serve yet: it is still ingesting.)
    expect(absorbed).toMatchObject({ status: 'applied', updated: 0, removed: 0 });
    localAws.clearFaults();
    expect(harness.mutations).toHaveLength(2);
    expect(harness.mutations[1]).toEqual(harness.mutations[0]);
    expect(await countAtLocation(harness.server, locationOf(localAws))).toBeGreaterThanOrEqual(before);
  }, 240_000);
});
