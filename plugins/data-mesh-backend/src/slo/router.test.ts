import {
  CreateDatabaseCommand,
  CreateTableCommand,
  GlueClient,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
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
  ANNOTATION_AWS_REGION,
  ANNOTATION_DATAZONE_ASSET_ID,
  ANNOTATION_DATAZONE_DOMAIN_ID,
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
  generateDataContract,
  SloReport,
} from '@data-mesh-portal/plugin-data-mesh-common';
import {
  AwsClientFactory,
  awsClientFactoryServiceRef,
} from '@data-mesh-portal/plugin-data-mesh-node';
import request from 'supertest';
import { stringify } from 'yaml';
import { setupSlo } from './setup';

jest.setTimeout(120_000);

const DATABASE = 'slo_router_test';

function contract(
  name: string,
  slaProperties: object[],
  quality: object[] = [],
) {
  return stringify({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `contract-${name}`,
    version: '1.0.0',
    status: 'active',
    schema: [{ name, physicalName: name, quality }],
    slaProperties,
  });
}

function dataset(
  name: string,
  definition: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: `${name}-dataset`,
      namespace: 'default',
      title: name,
      annotations: {
        [ANNOTATION_AWS_REGION]: 'us-east-1',
        [ANNOTATION_GLUE_DATABASE]: DATABASE,
        [ANNOTATION_GLUE_TABLE]: name,
        ...annotations,
      },
    },
    spec: {
      type: 'dataset',
      lifecycle: 'production',
      owner: 'group:default/sales-domain',
      system: 'order-history',
      definition,
    },
  };
}

function product(name: string, parts: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name, namespace: 'default' },
    spec: { type: 'data-product', owner: 'group:default/sales-domain' },
    relations: parts.map(targetRef => ({ type: 'hasPart', targetRef })),
  };
}

describe('GET /api/data-mesh/slo/:kind/:namespace/:name', () => {
  let aws: LocalAws;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let glue: GlueClient;

  beforeAll(async () => {
    aws = await startLocalAws({ seed: false });
    glue = new GlueClient(aws.clientConfig());
    await glue.send(
      new CreateDatabaseCommand({ DatabaseInput: { Name: DATABASE } }),
    );
    for (const name of ['orders', 'lineitem']) {
      await glue.send(
        new CreateTableCommand({
          DatabaseName: DATABASE,
          TableInput: {
            Name: name,
            Parameters: { recordCount: '42' },
            StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }] },
          },
        }),
      );
    }
    // UpdateTable sets UpdateTime; the lineitem contract promises data no
    // older than one second, so by the time it is evaluated it is stale.
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: DATABASE,
        TableInput: {
          Name: 'lineitem',
          Parameters: { recordCount: '0' },
          StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }] },
        },
      }),
    );

    const entities: Entity[] = [
      product('order-history', [
        'api:default/orders-dataset',
        'api:default/lineitem-dataset',
      ]),
      dataset(
        'orders',
        contract('orders', [
          { property: 'latency', value: 4, unit: 'd' },
          { property: 'availability', value: '99.5%' },
        ]),
      ),
      dataset(
        'lineitem',
        contract(
          'lineitem',
          [{ property: 'latency', value: 'PT1S' }],
          [
            {
              name: 'lineitem_row_count',
              type: 'library',
              metric: 'rowCount',
              mustBeGreaterThan: 0,
            },
          ],
        ),
        {
          [ANNOTATION_DATAZONE_DOMAIN_ID]: 'dzd_missing',
          [ANNOTATION_DATAZONE_ASSET_ID]: 'asset1',
        },
      ),
      product('generated-only', ['api:default/generated-dataset']),
      dataset(
        'generated',
        stringify(
          generateDataContract({
            id: 'g1',
            datasetName: 'generated',
            columns: [{ name: 'id', type: 'bigint' }],
          }),
        ),
      ),
      product('broken', ['api:default/broken-dataset']),
      dataset(
        'broken',
        'apiVersion: v3.1.0\nkind: DataContract\nid: b\nstatus: active\n',
      ),
      dataset(
        'elsewhere',
        contract('elsewhere', [{ property: 'latency', value: 1, unit: 'd' }]),
        {
          [ANNOTATION_AWS_ACCOUNT_ID]: '999999999999',
        },
      ),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'svc', namespace: 'default' },
        spec: {},
      },
    ];

    const endpoint = aws.endpoint;
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
      endpoint,
      maxAttempts: 1,
    });

    const testPlugin = createBackendPlugin({
      pluginId: 'data-mesh',
      register(env) {
        env.registerInit({
          deps: {
            config: coreServices.rootConfig,
            logger: coreServices.logger,
            database: coreServices.database,
            httpAuth: coreServices.httpAuth,
            auth: coreServices.auth,
            scheduler: coreServices.scheduler,
            httpRouter: coreServices.httpRouter,
            catalog: catalogServiceRef,
            awsClients: awsClientFactoryServiceRef,
          },
          async init(deps) {
            deps.httpRouter.use(await setupSlo(deps));
          },
        });
      },
    });

    ({ server } = await startTestBackend({
      features: [
        testPlugin,
        catalogServiceMock.factory({ entities }),
        createServiceFactory({
          service: awsClientFactoryServiceRef,
          deps: {},
          factory: () => awsClients,
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: { dataMesh: { slo: { refreshMinutes: 0 } } },
        }),
      ],
    }));
    // Let lineitem's one-second freshness budget run out.
    await new Promise(resolve => setTimeout(resolve, 1_200));
  });

  afterAll(async () => {
    glue?.destroy();
    await aws?.stop();
  });

  const get = (path: string) =>
    request(server)
      .get(`/api/data-mesh/slo/${path}`)
      .set('Authorization', mockCredentials.user.header('user:default/bob'));

  it('refuses anonymous callers', async () => {
    const response = await request(server).get(
      '/api/data-mesh/slo/system/default/order-history',
    );
    expect(response.status).toBe(401);
  });

  it('answers 404 for an unknown entity and 400 for one that is no data product', async () => {
    expect((await get('system/default/nope')).status).toBe(404);
    expect((await get('component/default/svc')).status).toBe(400);
  });

  it("evaluates a data product's datasets from live Glue signals, with a breach from an old UpdateTime", async () => {
    const response = await get('system/default/order-history');
    expect(response.status).toBe(200);
    const report: SloReport = response.body;
    expect(report.contractState).toBe('valid');
    expect(report.contracts.map(c => [c.entityRef, c.state])).toEqual([
      ['api:default/lineitem-dataset', 'valid'],
      ['api:default/orders-dataset', 'valid'],
    ]);
    const byId = Object.fromEntries(report.objectives.map(o => [o.id, o]));

    const stale = byId['api:default/lineitem-dataset#sla/0-latency'];
    expect(stale).toMatchObject({
      status: 'breached',
      source: 'Glue GetTables (UpdateTime)',
      target: '≤ 1 s',
    });
    expect(
      byId['api:default/lineitem-dataset#quality/lineitem#lineitem_row_count'],
    ).toMatchObject({
      status: 'breached',
      current: '0 rows',
    });
    expect(byId['api:default/orders-dataset#sla/0-latency']).toMatchObject({
      status: 'met',
      source: 'Glue GetTables (CreateTime)',
    });
    expect(byId['api:default/orders-dataset#sla/1-availability']).toMatchObject(
      { status: 'met', current: '100 %' },
    );
    expect(report.summary.breached).toBe(2);
    expect(report.history).toHaveLength(30);
    expect(report.errorBudget.target).toBe(0.995);
  });

  it('records history: a second evaluation a moment later has measured time', async () => {
    await new Promise(resolve => setTimeout(resolve, 50));
    const report: SloReport = (await get('api/default/orders-dataset')).body;
    expect(report.contracts).toHaveLength(1);
    const latency = report.objectives.find(o => o.property === 'latency')!;
    expect(latency.errorBudget).toMatchObject({ windowDays: 30 });
  });

  it('says when a product has only a generated contract', async () => {
    const report: SloReport = (await get('system/default/generated-only')).body;
    expect(report).toMatchObject({ contractState: 'none', objectives: [] });
    expect(report.contracts[0].state).toBe('generated');
    expect(report.helpUrl).toBeDefined();
  });

  it('shows the validation message of an invalid contract', async () => {
    const response = await get('system/default/broken');
    expect(response.status).toBe(200);
    expect(response.body.contractState).toBe('invalid');
    expect(response.body.contracts[0].errors).toContainEqual({
      path: 'version',
      message: 'is required',
    });
  });

  it('turns unreachable AWS into unknown with the reason, never a 500', async () => {
    const response = await get('api/default/elsewhere-dataset');
    expect(response.status).toBe(200);
    const [latency] = response.body.objectives;
    expect(latency.status).toBe('unknown');
    expect(latency.reason).toContain('could not be measured');
  });

  it('reports data quality as not available where DataZone has no time series', async () => {
    const report: SloReport = (await get('api/default/lineitem-dataset')).body;
    expect(report.objectives.length).toBeGreaterThan(0);
  });
});
