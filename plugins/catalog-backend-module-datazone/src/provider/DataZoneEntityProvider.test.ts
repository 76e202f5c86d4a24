import { stringifyEntityRef } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { EntityProviderConnection, EntityProviderMutation } from '@backstage/plugin-catalog-node';
import { DataZoneApi } from '../read/DataZoneReader';
import { DataZoneEntityProvider } from './DataZoneEntityProvider';

const DOMAIN = 'dzd_fake1';

interface FakeMesh {
  products: number;
  assetsPerProduct: number;
  extraListings?: unknown[];
}

/**
 * A DataZone client double answering the paged operations from a generated
 * mesh, counting calls per operation; `fail` makes one operation throw.
 */
function fakeDataZone(mesh: FakeMesh) {
  const calls: Record<string, number> = {};
  const state = { mesh, fail: undefined as string | undefined };
  const generateListings = () => {
    const items: unknown[] = [];
    for (let p = 0; p < state.mesh.products; p++) {
      const itemIds = Array.from({ length: state.mesh.assetsPerProduct }, (_, a) => `l-a${p}-${a}`);
      items.push({
        dataProductListing: {
          listingId: `l-p${p}`,
          listingRevision: '1',
          entityId: `dp-${p}`,
          name: `Product ${p}`,
          owningProjectId: 'p-1',
          items: itemIds.map(listingId => ({ listingId })),
          additionalAttributes: { forms: '{}' },
        },
      });
      for (let a = 0; a < state.mesh.assetsPerProduct; a++) {
        items.push({
          assetListing: {
            listingId: `l-a${p}-${a}`,
            listingRevision: '1',
            entityId: `a-${p}-${a}`,
            entityType: 'amazon.datazone.GlueTableAssetType',
            name: `table_${p}_${a}`,
            owningProjectId: 'p-1',
            additionalAttributes: {
              forms: JSON.stringify({
                GlueTableForm: {
                  tableArn: `arn:aws:glue:us-east-1:111122223333:table/db_${p}/table_${p}_${a}`,
                  columns: [{ columnName: 'id', dataType: 'int' }],
                },
              }),
            },
          },
        });
      }
    }
    return [...items, ...(state.mesh.extraListings ?? [])];
  };
  // Generated once per mesh: the large-mesh test pages through 20,000 listings.
  let generated: { mesh: FakeMesh; items: unknown[] } | undefined;
  const listings = () => {
    if (generated?.mesh !== state.mesh) {
      generated = { mesh: state.mesh, items: generateListings() };
    }
    return generated.items;
  };
  const page = (items: unknown[], input: { nextToken?: string; maxResults?: number }, key = 'items') => {
    const start = Number(input.nextToken ?? 0);
    const size = input.maxResults ?? 50;
    const next = start + size < items.length ? String(start + size) : undefined;
    return { [key]: items.slice(start, start + size), nextToken: next };
  };
  const client: DataZoneApi = {
    send: (async (command: { constructor: { name: string }; input: any }) => {
      const op = command.constructor.name.replace(/Command$/, '');
      calls[op] = (calls[op] ?? 0) + 1;
      if (state.fail === op) {
        throw Object.assign(new Error('We encountered an internal error.'), {
          name: 'InternalServerException',
          $metadata: { httpStatusCode: 500 },
        });
      }
      switch (op) {
        case 'GetDomain':
          return { id: DOMAIN, name: 'Fake', rootDomainUnitId: 'root', portalUrl: 'https://fake.portal' };
        case 'ListDomainUnitsForParent':
          return command.input.parentDomainUnitIdentifier === 'root'
            ? { items: [{ id: 'u-1', name: 'Unit' }] }
            : { items: [] };
        case 'ListProjects':
          return { items: [{ id: 'p-1', name: 'Team', domainUnitId: 'u-1', projectStatus: 'ACTIVE' }] };
        case 'ListProjectMemberships':
          return { members: [{ memberDetails: { user: { userId: 'up-1' } }, designation: 'PROJECT_OWNER' }] };
        case 'SearchUserProfiles':
          return { items: [{ id: 'up-1', details: { sso: { username: 'Alice@Example.com' } } }] };
        case 'SearchListings':
          return page(listings(), command.input);
        case 'ListSubscriptions':
          return { items: [] };
        default:
          throw new Error(`fake DataZone: unexpected ${op}`);
      }
    }) as DataZoneApi['send'],
  };
  return { client, calls, state };
}

// What the fake catalog holds from the provider: the last full mutation.
let catalogRefs = new Set<string>();

function connection() {
  const mutations: EntityProviderMutation[] = [];
  catalogRefs = new Set();
  const conn: EntityProviderConnection = {
    applyMutation: jest.fn(async (m: EntityProviderMutation) => {
      mutations.push(m);
      if (m.type === 'full') {
        catalogRefs = new Set(m.entities.map(e => stringifyEntityRef(e.entity)));
      }
    }),
    refresh: jest.fn(),
  };
  return { conn, mutations };
}

function provider(
  fake: ReturnType<typeof fakeDataZone>,
  extra: object = {},
  now?: () => Date,
  catalogExtra: object = {},
) {
  const logger = mockServices.logger.mock();
  const [p] = DataZoneEntityProvider.fromConfig(
    new ConfigReader({
      catalog: {
        ...catalogExtra,
        providers: { datazone: { domainId: DOMAIN, region: 'us-east-1', subscriptions: true, ...extra } },
      },
    }),
    {
      logger: { ...logger, child: () => logger } as any,
      clients: async () => fake.client,
      schedule: { run: async () => {} },
      catalog: {
        usersByEmail: async () => new Map([['alice@example.com', 'user:default/alice']]),
        entityRefsAt: async () => new Set(catalogRefs),
      },
      now,
    },
  );
  return { provider: p, logger };
}

describe('DataZoneEntityProvider', () => {
  it('reads with paged calls only (50 per page), applies one full mutation and logs one line with counts', async () => {
    const fake = fakeDataZone({ products: 30, assetsPerProduct: 4 });
    const { provider: p, logger } = provider(fake);
    const { conn, mutations } = connection();
    await p.connect(conn);
    const summary = await p.refresh();

    expect(summary.status).toBe('applied');
    // 30 products + 120 assets = 150 listings = 3 pages; nothing per item.
    expect(fake.calls).toEqual({
      GetDomain: 1,
      ListDomainUnitsForParent: 2,
      ListProjects: 1,
      ListProjectMemberships: 1,
      SearchUserProfiles: 1,
      SearchListings: 3,
      ListSubscriptions: 1,
    });
    expect(mutations).toHaveLength(1);
    const entities = (mutations[0] as { type: 'full'; entities: any[] }).entities.map(e => e.entity);
    // domain + unit + group + 30 systems + 120 APIs + 30 Glue databases
    expect(entities).toHaveLength(2 + 1 + 30 + 120 + 30);
    expect(entities.find(e => e.kind === 'Group').spec.members).toEqual(['user:default/alice']);
    expect(summary).toMatchObject({ added: 183, updated: 0, removed: 0, skipped: 0 });
    const info = logger.info.mock.calls.map(c => c[0]).filter(m => m.startsWith('DataZone sync'));
    expect(info).toHaveLength(1);
    expect(info[0]).toMatch(/applied: 183 entities \(added 183, updated 0, unchanged 0, removed 0, skipped 0, refused 0\)/);

    const second = await p.refresh();
    expect(second).toMatchObject({ status: 'applied', added: 0, updated: 0, unchanged: 183, removed: 0 });
    expect(JSON.stringify(mutations[1])).toBe(JSON.stringify(mutations[0]));
  });

  it("warns once when a mesh of 20,000 entities runs with the catalog's default processing interval", async () => {
    const fake = fakeDataZone({ products: 100, assetsPerProduct: 200 });
    const advice = (logger: ReturnType<typeof provider>['logger']) =>
      logger.warn.mock.calls.map(c => c[0]).filter(m => m.includes('processingInterval'));

    const defaults = provider(fake);
    await defaults.provider.connect(connection().conn);
    expect((await defaults.provider.refresh()).entities).toBe(20_203);
    await defaults.provider.refresh();
    expect(advice(defaults.logger)).toEqual([
      expect.stringMatching(/^20203 entities from DataZone with the catalog's default processingInterval .* Set catalog.processingInterval to \{ minutes: 30 \}/),
    ]);

    const configured = provider(fake, {}, undefined, { processingInterval: { minutes: 30 } });
    await configured.provider.connect(connection().conn);
    await configured.provider.refresh();
    expect(advice(configured.logger)).toEqual([]);

    const small = provider(fakeDataZone({ products: 10, assetsPerProduct: 4 }));
    await small.provider.connect(connection().conn);
    await small.provider.refresh();
    expect(advice(small.logger)).toEqual([]);
  });

  it('never applies a mutation when a read fails, and names the domain and operation', async () => {
    const fake = fakeDataZone({ products: 3, assetsPerProduct: 2 });
    const { provider: p, logger } = provider(fake);
    const { conn } = connection();
    await p.connect(conn);
    for (const op of ['SearchListings', 'ListProjectMemberships', 'ListDomainUnitsForParent', 'ListSubscriptions', 'GetDomain']) {
      fake.state.fail = op;
      const summary = await p.refresh();
      expect(summary.status).toBe('failed');
      expect(summary.error?.message).toContain(`DataZone ${op} failed for domain ${DOMAIN}`);
    }
    expect(conn.applyMutation).not.toHaveBeenCalled();
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(/DataZone sync of domain dzd_fake1 failed, catalog left unchanged: DataZone SearchListings failed/),
    );
  });

  it('refuses a removal of more than 10 % or to zero, and lets it through once acknowledged', async () => {
    const fake = fakeDataZone({ products: 10, assetsPerProduct: 4 });
    let now = new Date('2026-11-01T00:00:00Z');
    const { provider: p, logger } = provider(
      fake,
      { removalGuard: { acceptRemovalsUntil: '2026-11-02T00:00:00Z' } },
      () => now,
    );
    const { conn, mutations } = connection();
    await p.connect(conn);
    now = new Date('2026-11-03T00:00:00Z');
    expect((await p.refresh()).status).toBe('applied'); // 3 + 10 + 40 + 10 = 63 entities

    fake.state.mesh = { products: 9, assetsPerProduct: 4 }; // -6 entities: 9.5 %
    expect(await p.refresh()).toMatchObject({ status: 'applied', removed: 6 });

    fake.state.mesh = { products: 5, assetsPerProduct: 4 }; // -24 of 57
    const refused = await p.refresh();
    expect(refused).toMatchObject({ status: 'refused', refused: 24 });
    expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/would remove 24 of 57 entities/));

    fake.state.mesh = { products: 0, assetsPerProduct: 0 };
    fake.state.fail = 'ListProjects';
    expect((await p.refresh()).status).toBe('failed');
    fake.state.fail = undefined;
    expect(await p.refresh()).toMatchObject({ status: 'refused' });
    expect(mutations).toHaveLength(2);

    // The one-time acknowledgement lets the cleanup through; it expires by itself.
    now = new Date('2026-11-01T12:00:00Z');
    fake.state.mesh = { products: 5, assetsPerProduct: 4 };
    expect(await p.refresh()).toMatchObject({ status: 'applied', removed: 24 });
    expect(mutations).toHaveLength(3);
  });

  it('guards removals against what the catalog holds, whichever replica applied it', async () => {
    const fake = fakeDataZone({ products: 10, assetsPerProduct: 4 });
    const replicaA = provider(fake).provider;
    const replicaB = provider(fake).provider;
    const { conn, mutations } = connection(); // one catalog for both
    await replicaA.connect(conn);
    await replicaB.connect(conn);
    expect(await replicaA.refresh()).toMatchObject({ status: 'applied', added: 63 });

    fake.state.mesh = { products: 20, assetsPerProduct: 4 }; // grows to 123 entities
    expect(await replicaB.refresh()).toMatchObject({ status: 'applied', added: 60, unchanged: 63 });

    // Replica A last applied 63 entities, but the catalog holds 123: going back
    // to 63 removes 60 of them, which the guard refuses.
    fake.state.mesh = { products: 10, assetsPerProduct: 4 };
    expect(await replicaA.refresh()).toMatchObject({ status: 'refused', refused: 60 });
    expect(mutations).toHaveLength(2);
  });

    it('skips bad items with a warning naming them and syncs the rest', async () => {
    const fake = fakeDataZone({
      products: 1,
      assetsPerProduct: 1,
      extraListings: [
        { assetListing: { listingId: 'l-bad', entityId: 'a-bad', name: 'broken_forms', entityType: 'amazon.datazone.GlueTableAssetType', owningProjectId: 'p-1', additionalAttributes: { forms: '{not json' } } },
        { assetListing: { listingId: 'l-odd', entityId: 'a-odd', name: 'odd', entityType: 'acme.Unknown', owningProjectId: 'p-1' } },
        { assetListing: { entityId: 'a-nolisting', name: 'no_listing', entityType: 'amazon.datazone.GlueTableAssetType' } },
        { unknownUnionMember: {} },
      ],
    });
    const { provider: p, logger } = provider(fake);
    const { conn } = connection();
    await p.connect(conn);
    const summary = await p.refresh();
    expect(summary).toMatchObject({ status: 'applied', skipped: 3 });
    const warnings = logger.warn.mock.calls.map(c => c[0]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Skipped DataZone asset a-bad \("broken_forms"\) of domain dzd_fake1: the listing forms are not JSON/),
        expect.stringMatching(/Skipped DataZone asset a-odd \("odd"\) .*asset type acme.Unknown is not synced/),
        expect.stringMatching(/Skipped DataZone asset a-nolisting .*lacks its asset id, listing id or name/),
      ]),
    );
  });

  it('syncs one product as a delta mutation', async () => {
    const fake = fakeDataZone({ products: 2, assetsPerProduct: 2 });
    const send = fake.client.send;
    fake.client.send = (async (command: any) => {
      const op = command.constructor.name;
      if (op === 'GetDataProductCommand') {
        if (command.input.identifier !== 'dp-1') {
          throw Object.assign(new Error('Data product not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
        }
        return { id: 'dp-1', owningProjectId: 'p-1' };
      }
      if (op === 'GetDomainUnitCommand') {
        return command.input.identifier === 'u-1' ? { id: 'u-1', name: 'Unit', parentDomainUnitId: 'root' } : { id: 'root', name: 'Fake' };
      }
      return (send as any)(command);
    }) as DataZoneApi['send'];
    const { provider: p } = provider(fake);
    const { conn, mutations } = connection();
    await p.connect(conn);
    const result = await p.syncDataProduct('dp-1');
    expect(result.entityRefs).toHaveLength(1 + 2 + 1);
    expect(mutations).toEqual([expect.objectContaining({ type: 'delta', removed: [] })]);
    await expect(p.syncDataProduct('dp-404')).rejects.toThrow(NotFoundError);

    // The delta's entities are identical to the full sync's: no churn between them.
    await p.refresh();
    const full = (mutations[1] as any).entities.map((e: any) => JSON.stringify(e.entity));
    for (const added of (mutations[0] as any).added) {
      expect(full).toContain(JSON.stringify(added.entity));
    }
  });

  it('fails at startup on invalid config, naming the key', () => {
    const make = (datazone: object) => () =>
      DataZoneEntityProvider.fromConfig(new ConfigReader({ catalog: { providers: { datazone } } }), {
        logger: mockServices.logger.mock(),
        clients: async () => ({}) as any,
        schedule: { run: async () => {} },
      });
    expect(make({ domainId: 'nope', region: 'us-east-1' })).toThrow(
      'Invalid DataZone provider config at catalog.providers.datazone.domainId',
    );
    expect(make({ prod: { domainId: DOMAIN, region: 'us-east-1', removalGuard: { maxRemovalPercent: 150 } } })).toThrow(
      'catalog.providers.datazone.prod.removalGuard.maxRemovalPercent',
    );
    expect(make({ prod: { domainId: DOMAIN, region: 'mars' } })).toThrow('catalog.providers.datazone.prod.region');
    expect(make({ domainId: DOMAIN, region: 'us-east-1', ownerMapping: { projects: [{ project: 'x', owner: 'component:a' }] } })).toThrow(
      'catalog.providers.datazone.ownerMapping.projects[0].owner',
    );
    expect(make({ domainId: DOMAIN, region: 'us-east-1', schedule: { frequency: 'often' } })).toThrow(
      'catalog.providers.datazone.schedule',
    );
    expect(make({ prod: { region: 'us-east-1' } })).toThrow(/domainId/);
  });
});
