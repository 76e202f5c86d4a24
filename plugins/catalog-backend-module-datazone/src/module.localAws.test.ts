import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { DataZoneClient } from '@aws-sdk/client-datazone';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { dataMeshEntityName } from '@data-mesh-portal/plugin-data-mesh-common';
import {
  awsClientFactoryServiceRef,
  AwsClientFactory,
  DataMeshCatalogSyncService,
  dataMeshCatalogSyncServiceRef,
} from '@data-mesh-portal/plugin-data-mesh-node';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { startLocalAws, type LocalAws } from '@data-mesh-portal/local-aws';
import { backendDatabaseConfig } from '@data-mesh-portal/test-utils';
import request from 'supertest';
import { DataZoneRelationsProcessor } from './processor/DataZoneRelationsProcessor';
import { CatalogServiceView } from './provider/CatalogView';
import { DataZoneEntityProvider } from './provider/DataZoneEntityProvider';
import moduleFeatures from './index';

const repoRoot = path.resolve(__dirname, '../../..');

/**
 * A pass-through proxy to the local AWS that can fail DataZone operations on
 * demand, so failures reach the real SDK client over the wire.
 */
async function startFaultProxy(target: string) {
  const state = { failPath: undefined as RegExp | undefined };
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    if (state.failPath?.test(req.url ?? '')) {
      res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' });
      res.end(JSON.stringify({ message: 'injected failure' }));
      req.resume();
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      upstreamRes => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    state,
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

function catalogConfig(localAws: LocalAws, datazone: object) {
  return mockServices.rootConfig.factory({
    data: {
      backend: { baseUrl: 'http://localhost:7007', database: backendDatabaseConfig('SQLITE_3') },
      catalog: {
        rules: [{ allow: ['User', 'Group', 'System', 'Component', 'API', 'Domain', 'Resource', 'Location'] }],
        processingInterval: { seconds: 1 },
        locations: [{ type: 'file', target: path.join(repoRoot, 'catalog/demo-org.yaml') }],
        providers: { datazone: { domainId: localAws.domainId, region: localAws.region, ...datazone } },
      },
    },
  });
}

async function getEntity(server: any, ref: string): Promise<Entity | undefined> {
  const res = await request(server)
    .get(`/api/catalog/entities/by-name/${ref}`)
    .set('Authorization', mockCredentials.service.header());
  return res.status === 200 ? res.body : undefined;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

function relationTargets(entity: Entity, type: string) {
  return (entity.relations ?? []).filter(r => r.type === type).map(r => r.targetRef).sort();
}

describe('the DataZone provider against the local DataZone stand-in and a real catalog', () => {
  let localAws: LocalAws;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;

  beforeAll(async () => {
    localAws = await startLocalAws({ seed: true });
    proxy = await startFaultProxy(localAws.endpoint);
  }, 120_000);

  afterAll(async () => {
    await proxy?.stop();
    await localAws?.stop();
  });

  it('syncs the demo mesh with relations, rewrites nothing on an unchanged second sync, and keeps everything when a read fails', async () => {
    const demo = localAws.demo!;
    const domainId = localAws.domainId!;
    const client = new DataZoneClient({ ...localAws.clientConfig(), endpoint: proxy.endpoint, maxAttempts: 2 });
    let provider: DataZoneEntityProvider | undefined;
    const applyMutation = jest.fn();

    const testModule = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'datazone-test',
      register(reg) {
        reg.registerInit({
          deps: {
            catalog: catalogProcessingExtensionPoint,
            config: coreServices.rootConfig,
            logger: coreServices.logger,
            auth: coreServices.auth,
            catalogService: catalogServiceRef,
          },
          async init({ catalog, config, logger, auth, catalogService }) {
            [provider] = DataZoneEntityProvider.fromConfig(config, {
              logger,
              schedule: { run: async () => {} },
              catalog: new CatalogServiceView(catalogService, auth),
              clients: async () => client,
            });
            catalog.addProcessor(new DataZoneRelationsProcessor());
            catalog.addEntityProvider({
              getProviderName: () => provider!.getProviderName(),
              connect: (connection: EntityProviderConnection) =>
                provider!.connect({
                  refresh: options => connection.refresh(options),
                  applyMutation: async mutation => {
                    applyMutation(mutation);
                    await connection.applyMutation(mutation);
                  },
                }),
            });
          },
        });
      },
    });

    const backend = await startTestBackend({
      features: [
        catalogConfig(localAws, {
          subscriptions: false,
          ownerMapping: { default: 'group:default/platform-team' },
        }),
        catalogPlugin,
        testModule,
      ],
    });
    try {
      // Users must be in the catalog for members to match by email.
      await waitFor('demo users', () => getEntity(backend.server, 'user/default/alice'));
      const first = await provider!.refresh();
      expect(first).toMatchObject({ status: 'applied', skipped: 0 });

      const orderHistory = demo.dataProducts.find(p => p.key === 'order-history')!;
      const name = (kind: 'data-product' | 'asset' | 'project' | 'domain-unit', id: string, n: string) =>
        dataMeshEntityName({ kind, id, name: n, domainId });
      const systemName = name('data-product', orderHistory.id, orderHistory.name);
      const ordersAsset = orderHistory.assets.find(a => a.table === 'orders')!;
      const apiName = name('asset', ordersAsset.assetId, 'orders');
      const groupName = name('project', demo.projects.sales.id, demo.projects.sales.name);
      const unitName = name('domain-unit', demo.domainUnits.sales, 'Sales');

      const api = await waitFor('the orders dataset with its relations', async () => {
        const entity = await getEntity(backend.server, `api/default/${apiName}`);
        return entity && relationTargets(entity, 'dependsOn').length === 2 ? entity : undefined;
      });
      expect(api.spec).toMatchObject({ type: 'dataset', lifecycle: 'production', system: `system:default/${systemName}` });
      expect(api.metadata.annotations!['data-mesh-portal.io/data-contract-source']).toBe('data-product');
      expect(api.metadata.annotations!['data-mesh-portal.io/data-contract-validation-errors']).toBeUndefined();
      expect(relationTargets(api, 'partOf')).toEqual([`system:default/${systemName}`]);
      expect(relationTargets(api, 'ownedBy')).toEqual([`group:default/${groupName}`]);

      const system = await waitFor('the order history system', () => getEntity(backend.server, `system/default/${systemName}`));
      expect(relationTargets(system, 'partOf')).toEqual([`domain:default/${unitName}`]);
      expect(relationTargets(system, 'hasPart')).toEqual(
        expect.arrayContaining([`api:default/${apiName}`]),
      );
      const group = await waitFor('the sales data team', () => getEntity(backend.server, `group/default/${groupName}`));
      expect(group.spec).toMatchObject({ type: 'data-team' });
      expect(relationTargets(group, 'hasMember')).toEqual(expect.arrayContaining(['user:default/alice']));

      // Unpublished and unpublished-again (deprecated) products are not listed.
      const campaign = demo.dataProducts.find(p => p.key === 'campaign-effectiveness')!;
      expect(
        await getEntity(backend.server, `system/default/${name('data-product', campaign.id, campaign.name)}`),
      ).toBeUndefined();

      // An unchanged mesh: the same mutation, no rewritten entity.
      const etag = system.metadata.etag;
      const second = await provider!.refresh();
      expect(second).toMatchObject({ status: 'applied', added: 0, updated: 0, removed: 0 });
      expect(JSON.stringify(applyMutation.mock.calls[1])).toBe(JSON.stringify(applyMutation.mock.calls[0]));
      await new Promise(r => setTimeout(r, 3000));
      expect((await getEntity(backend.server, `system/default/${systemName}`))!.metadata.etag).toBe(etag);

      // A failing read (after the SDK's retries) never reaches the catalog.
      proxy.state.failPath = /\/listings\/search/;
      const failed = await provider!.refresh();
      proxy.state.failPath = undefined;
      expect(failed.status).toBe('failed');
      expect(failed.error?.message).toMatch(new RegExp(`DataZone SearchListings failed for domain ${domainId}`));
      expect(applyMutation).toHaveBeenCalledTimes(2);
      expect(await getEntity(backend.server, `api/default/${apiName}`)).toBeDefined();
    } finally {
      await backend.stop();
      client.destroy();
    }
  }, 180_000);

  it('installs with one backend.add: schedules the sync from config and provides "sync product now"', async () => {
    let syncService: DataMeshCatalogSyncService | undefined;
    const caller = createBackendPlugin({
      pluginId: 'sync-caller',
      register(reg) {
        reg.registerInit({
          deps: { sync: dataMeshCatalogSyncServiceRef },
          async init({ sync }) {
            syncService = sync;
          },
        });
      },
    });
    const awsClients = createServiceFactory({
      service: awsClientFactoryServiceRef,
      deps: {},
      factory: () =>
        AwsClientFactory.create({
          endpoint: localAws.endpoint,
          credentialsManager: {
            getCredentialProvider: async () => ({
              sdkCredentialProvider: async () => localAws.clientConfig().credentials,
            }),
          },
        }),
    });
    const backend = await startTestBackend({
      features: [
        catalogConfig(localAws, {
          subscriptions: false,
          schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 }, initialDelay: { seconds: 1 } },
          ownerMapping: { projects: [{ project: 'Sales domain team', owner: 'group:default/sales-domain' }] },
        }),
        catalogPlugin,
        moduleFeatures,
        awsClients,
        caller,
        // The mock scheduler runs tasks once at startup; include ours, which has an initial delay.
        mockServices.scheduler.factory({ includeInitialDelayedTasksOnStartup: true }),
      ],
    });
    try {
      const demo = localAws.demo!;
      const product = demo.dataProducts.find(p => p.key === 'store-sales')!;
      const systemName = dataMeshEntityName({
        kind: 'data-product',
        id: product.id,
        name: product.name,
        domainId: localAws.domainId!,
      });
      const system = await waitFor('the scheduled sync', () => getEntity(backend.server, `system/default/${systemName}`));
      expect(system.spec?.owner).toBe('group:default/sales-domain');

      const result = await syncService!.syncDataProduct({ domainId: localAws.domainId!, dataProductId: product.id });
      expect(result.entityRefs).toContain(`system:default/${systemName}`);
      expect(result.entityRefs.filter(ref => ref.startsWith('api:'))).toHaveLength(product.assets.length);
      await expect(
        syncService!.syncDataProduct({ domainId: 'dzd_unconfigured', dataProductId: product.id }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(
        syncService!.syncDataProduct({ domainId: localAws.domainId!, dataProductId: 'dp_missing' }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    } finally {
      await backend.stop();
    }
  }, 180_000);
});
