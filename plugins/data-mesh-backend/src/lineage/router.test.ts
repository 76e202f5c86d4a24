import { DataZoneClient } from '@aws-sdk/client-datazone';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { LocalAws, startLocalAws } from '@data-mesh-portal/local-aws';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_ARN,
  ANNOTATION_AWS_REGION,
  ANNOTATION_DATAZONE_ASSET_ID,
  ANNOTATION_DATAZONE_DOMAIN_ID,
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
  LineageGraph,
} from '@data-mesh-portal/plugin-data-mesh-common';
import {
  AwsClientFactory,
  awsClientFactoryServiceRef,
} from '@data-mesh-portal/plugin-data-mesh-node';
import request from 'supertest';
import { DashboardSource } from '../dashboards/QuickSightDashboards';
import { demoLineageEvents } from './__fixtures__/demoLineage';
import { postOpenLineageRunEvent } from './postRunEvent';
import { createLineageRouter } from './router';

jest.setTimeout(180_000);

// The route end to end against the local DataZone (lineage posted through the
// producer snippet), with catalog entities from a mock catalog and dashboards
// from an in-memory source.
describe('GET /api/data-mesh/lineage/:kind/:namespace/:name', () => {
  let aws: LocalAws;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let dashboardIndexCalls = 0;
  let dashboardsDown = false;

  beforeAll(async () => {
    aws = await startLocalAws({ seed: true });
    const demo = aws.demo!;
    const { region } = aws;
    const accountId = aws.accounts.producer;
    const client = new DataZoneClient(aws.clientConfig());
    for (const event of demoLineageEvents({ region, accountId })) {
      await postOpenLineageRunEvent(client, demo.domainId, event);
    }
    client.destroy();

    const assetOf = (database: string, table: string) =>
      demo.dataProducts
        .find(p => p.database === database)!
        .assets.find(a => a.table === table)!.assetId;
    const dataset = (
      name: string,
      database: string,
      table: string,
      relations: Entity['relations'] = [],
    ): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name,
        namespace: 'default',
        title: `${database}.${table}`,
        annotations: {
          [ANNOTATION_DATAZONE_DOMAIN_ID]: demo.domainId,
          [ANNOTATION_DATAZONE_ASSET_ID]: assetOf(database, table),
          [ANNOTATION_AWS_ARN]: `arn:aws:glue:${region}:${accountId}:table/${database}/${table}`,
          [ANNOTATION_AWS_ACCOUNT_ID]: accountId,
          [ANNOTATION_AWS_REGION]: region,
          [ANNOTATION_GLUE_DATABASE]: database,
          [ANNOTATION_GLUE_TABLE]: table,
        },
      },
      spec: {
        type: 'dataset',
        lifecycle: 'production',
        owner: 'group:default/sales-domain',
        system: 'suppliers-and-parts',
        definition: '',
      },
      relations,
    });
    const entities: Entity[] = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: {
          name: 'suppliers-and-parts',
          namespace: 'default',
          title: 'Suppliers and parts',
        },
        spec: { type: 'data-product', owner: 'group:default/sales-domain' },
        relations: [
          { type: 'hasPart', targetRef: 'api:default/supplier' },
          { type: 'hasPart', targetRef: 'api:default/part' },
        ],
      },
      dataset('supplier', 'supply_suppliers_parts', 'supplier', [
        {
          type: 'apiConsumedBy',
          targetRef: 'group:default/marketing-analytics',
        },
      ]),
      dataset('part', 'supply_suppliers_parts', 'part'),
      dataset('partsupp', 'supply_suppliers_parts', 'partsupp'),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'svc', namespace: 'default' },
        spec: {},
      },
    ];

    const awsClients = AwsClientFactory.create({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader({
          aws: {
            mainAccount: {
              accessKeyId: 'AKIALOCALAWSTESTING',
              secretAccessKey: 'x',
            },
          },
        }),
      ),
      endpoint: aws.endpoint,
      maxAttempts: 1,
    });
    const dashboards: DashboardSource = {
      index: async () => {
        dashboardIndexCalls++;
        if (dashboardsDown)
          throw new Error(
            'QuickSight ListDashboards failed: ServiceUnavailable',
          );
        return [
          {
            dashboardId: 'partsupp-costs',
            name: 'Part supply costs',
            arn: 'arn:aws:quicksight:us-east-1:111111111111:dashboard/customer-value',
            dataSets: [
              {
                dataSetId: 'ds1',
                tables: [
                  { database: 'supply_suppliers_parts', table: 'partsupp' },
                ],
              },
            ],
          },
        ];
      },
      dashboardsFor: async () => [],
      findUserArn: async () => undefined,
      generateEmbedUrl: async () => 'unused',
      sessionLifetimeMinutes: 60,
    };

    // Only bob may see the data product: others get what a catalog
    // permission policy would give them, nothing.
    const catalog = catalogServiceMock({ entities });
    const hiding = new Proxy(catalog, {
      get(target, property) {
        if (property === 'getEntityByRef') {
          return async (ref: any, options: any) =>
            options?.credentials?.principal?.userEntityRef ===
            'user:default/outsider'
              ? undefined
              : target.getEntityByRef(ref, options);
        }
        const value = (target as any)[property];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

    const testPlugin = createBackendPlugin({
      pluginId: 'data-mesh',
      register(env) {
        env.registerInit({
          deps: {
            config: coreServices.rootConfig,
            logger: coreServices.logger,
            httpAuth: coreServices.httpAuth,
            httpRouter: coreServices.httpRouter,
            catalog: catalogServiceRef,
            awsClients: awsClientFactoryServiceRef,
          },
          async init(deps) {
            deps.httpRouter.use(
              await createLineageRouter({ ...deps, dashboards }),
            );
          },
        });
      },
    });

    ({ server } = await startTestBackend({
      features: [
        testPlugin,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => hiding as any,
        }),
        createServiceFactory({
          service: awsClientFactoryServiceRef,
          deps: {},
          factory: () => awsClients,
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              providers: { datazone: { domainId: demo.domainId, region } },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await aws?.stop();
  });

  const get = (path: string, user = 'user:default/bob') =>
    request(server)
      .get(`/api/data-mesh/lineage/${path}`)
      .set('Authorization', mockCredentials.user.header(user));

  it('refuses anonymous callers', async () => {
    expect(
      (await request(server).get('/api/data-mesh/lineage/api/default/supplier'))
        .status,
    ).toBe(401);
  });

  it('answers 404 for entities the caller cannot see, 400 for bad input', async () => {
    expect(
      (await get('api/default/supplier', 'user:default/outsider')).status,
    ).toBe(404);
    expect((await get('api/default/nope')).status).toBe(404);
    expect((await get('component/default/svc')).status).toBe(400);
    expect((await get('api/default/supplier?depth=9')).status).toBe(400);
    expect((await get('api/default/supplier?depth=two')).status).toBe(400);
  });

  it('joins DataZone lineage three levels deep with consumers and dashboards', async () => {
    const started = Date.now();
    const response = await get('api/default/supplier');
    if (response.status !== 200) throw new Error(JSON.stringify(response.body));
    expect(response.status).toBe(200);
    const graph: LineageGraph = response.body;
    const datasets = graph.nodes
      .filter(n => n.kind === 'dataset')
      .map(n => [n.depth, n.title, n.entityRef ?? null]);
    expect(datasets).toEqual([
      [-1, 'supplier', null],
      [0, 'supply_suppliers_parts.supplier', 'api:default/supplier'],
      [1, 'supply_suppliers_parts.partsupp', 'api:default/partsupp'],
      [2, 'inventory_forecast', null],
    ]);
    expect(
      graph.nodes
        .filter(n => n.kind === 'job')
        .map(n => n.title)
        .sort(),
    ).toEqual([
      'forecast_inventory',
      'ingest_supplier',
      'supplier_part_rollup',
    ]);
    expect(
      graph.nodes.filter(n => n.kind === 'consumer').map(n => n.entityRef),
    ).toEqual(['group:default/marketing-analytics']);
    expect(
      graph.nodes.filter(n => n.kind === 'dashboard').map(n => n.dashboardId),
    ).toEqual(['partsupp-costs']);
    expect(graph).toMatchObject({
      entityRef: 'api:default/supplier',
      depth: 3,
      truncated: false,
      warnings: [],
    });
    expect(response.headers['cache-control']).toBe('private, max-age=30');
    // eslint-disable-next-line no-console
    console.log(
      `lineage of a dataset, depth 3, against the local DataZone: ${
        Date.now() - started
      } ms, ${graph.nodes.length} nodes`,
    );
  });

  it('draws a data product from all its datasets, to the depth asked for', async () => {
    const graph: LineageGraph = (
      await get('system/default/suppliers-and-parts?depth=1')
    ).body;
    expect(
      graph.nodes
        .filter(n => n.root)
        .map(n => n.entityRef)
        .sort(),
    ).toEqual(['api:default/part', 'api:default/supplier']);
    expect(graph.nodes.some(n => n.title === 'inventory_forecast')).toBe(false);
    expect(
      graph.nodes
        .filter(n => n.kind === 'job')
        .map(n => n.title)
        .sort(),
    ).toEqual(['ingest_part', 'ingest_supplier', 'supplier_part_rollup']);
  });

  it('still draws the graph when QuickSight is down, with a warning', async () => {
    dashboardsDown = true;
    try {
      const graph: LineageGraph = (await get('api/default/supplier')).body;
      expect(graph.nodes.some(n => n.kind === 'dashboard')).toBe(false);
      expect(graph.warnings).toEqual([
        expect.stringContaining('QuickSight dashboards could not be read'),
      ]);
    } finally {
      dashboardsDown = false;
    }
    expect(dashboardIndexCalls).toBeGreaterThan(0);
  });

  it('answers 503 with a message when DataZone is down, never 500', async () => {
    const rule = aws.injectFault({
      service: 'datazone',
      operation: 'GetLineageNode',
      kind: 'error',
      status: 503,
    });
    try {
      const response = await get('api/default/supplier');
      expect(response.status).toBe(503);
      expect(response.body.error.name).toBe('ServiceUnavailableError');
      expect(response.body.error.message).toContain('GetLineageNode');
    } finally {
      aws.clearFaults(rule.id);
    }
  });
});
