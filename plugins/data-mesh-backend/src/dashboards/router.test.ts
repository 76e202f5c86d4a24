import {
  coreServices,
  createBackendPlugin,
  LoggerService,
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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
  DashboardsResponse,
  QUICKSIGHT_USER_NOT_FOUND_ERROR,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { AwsClientFactory } from '@data-mesh-portal/plugin-data-mesh-node';
import request from 'supertest';
import { startQuickSightStub } from './__testUtils__/quickSightStub';
import { createQuickSightDashboards } from './QuickSightDashboards';
import { createDashboardsRouter } from './router';

const ACCOUNT = '111122223333';

function dataset(name: string, database: string, table: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        [ANNOTATION_GLUE_DATABASE]: database,
        [ANNOTATION_GLUE_TABLE]: table,
      },
    },
    spec: {
      type: 'dataset',
      lifecycle: 'production',
      owner: 'group:default/sales-domain',
      system: 'order-history',
      definition: '',
    },
  };
}

const user = (name: string, email?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: email ? { email } : {}, memberOf: [] },
});

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'order-history', namespace: 'default' },
    spec: { type: 'data-product', owner: 'group:default/sales-domain' },
    relations: [
      { type: 'hasPart', targetRef: 'api:default/orders' },
      { type: 'hasPart', targetRef: 'api:default/lineitem' },
    ],
  },
  dataset('orders', 'sales_order_history', 'orders'),
  dataset('lineitem', 'sales_order_history', 'lineitem'),
  dataset('suppliers', 'supply_suppliers_parts', 'supplier'),
  user('alice', 'Alice@Retail.example'),
  user('bob', 'bob@retail.example'),
  user('nomail'),
];

describe('dashboards routes (QuickSight over a wire stub)', () => {
  let stub: Awaited<ReturnType<typeof startQuickSightStub>>;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let decision: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    AuthorizeResult.ALLOW;
  const authorize = jest.fn(async (requests: any[]) =>
    requests.map(() => ({ result: decision })),
  );
  const logged: string[] = [];

  beforeAll(async () => {
    stub = await startQuickSightStub({
      accountId: ACCOUNT,
      dashboards: [
        {
          id: 'sales-overview',
          name: 'Sales overview',
          lastUpdated: new Date('2026-10-30T10:00:00Z'),
          dataSetIds: ['orders-ds', 'file-ds'],
          owners: ['alice', 'carol'],
        },
        {
          id: 'revenue-sql',
          name: 'Revenue (SQL)',
          lastUpdated: new Date('2026-11-01T10:00:00Z'),
          dataSetIds: ['revenue-sql-ds'],
          owners: [],
        },
        {
          id: 'supplier-scorecard',
          name: 'Supplier scorecard',
          lastUpdated: new Date('2026-11-01T11:00:00Z'),
          dataSetIds: ['supplier-ds'],
          owners: ['dan'],
        },
      ],
      dataSets: {
        'orders-ds': {
          name: 'Orders',
          physicalTableMap: {
            t1: {
              RelationalTable: {
                DataSourceArn: `arn:aws:quicksight:us-east-1:${ACCOUNT}:datasource/athena`,
                Catalog: 'AwsDataCatalog',
                Schema: 'SALES_ORDER_HISTORY',
                Name: 'orders',
                InputColumns: [{ Name: 'o_orderkey', Type: 'INTEGER' }],
              },
            },
          },
        },
        'revenue-sql-ds': {
          name: 'Revenue',
          physicalTableMap: {
            sql: {
              CustomSql: {
                DataSourceArn: `arn:aws:quicksight:us-east-1:${ACCOUNT}:datasource/athena`,
                Name: 'revenue',
                SqlQuery:
                  'SELECT l_orderkey, sum(l_extendedprice) FROM "AwsDataCatalog"."sales_order_history"."lineitem" l JOIN other_db.rates r ON true GROUP BY 1',
                Columns: [{ Name: 'l_orderkey', Type: 'INTEGER' }],
              },
            },
          },
        },
        'supplier-ds': {
          name: 'Suppliers',
          physicalTableMap: {
            t: {
              RelationalTable: {
                DataSourceArn: 'x',
                Schema: 'supply_suppliers_parts',
                Name: 'supplier',
                InputColumns: [],
              },
            },
          },
        },
        // 'file-ds' cannot be described (an uploaded file): skipped.
      },
      users: [
        { userName: 'admin', email: 'admin@retail.example' },
        { userName: 'dan', email: 'dan@retail.example' },
        {
          userName: 'alice-invited',
          email: 'alice@retail.example',
          active: false,
        },
        { userName: 'alice-qs', email: 'alice@retail.example' },
      ],
    });

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
      endpoint: stub.endpoint,
      maxAttempts: 1,
    });
    const capture = (prefix: string): LoggerService => ({
      info: m => void logged.push(`${prefix} ${m}`),
      warn: m => void logged.push(`${prefix} ${m}`),
      error: m => void logged.push(`${prefix} ${m}`),
      debug: m => void logged.push(`${prefix} ${m}`),
      child: () => capture(prefix),
    });

    const testPlugin = createBackendPlugin({
      pluginId: 'data-mesh',
      register(env) {
        env.registerInit({
          deps: {
            httpAuth: coreServices.httpAuth,
            httpRouter: coreServices.httpRouter,
            userInfo: coreServices.userInfo,
            auth: coreServices.auth,
            permissions: coreServices.permissions,
            catalog: catalogServiceRef,
          },
          async init(deps) {
            const logger = capture('data-mesh');
            const config = new ConfigReader({
              dataMesh: {
                quickSight: {
                  awsAccountId: ACCOUNT,
                  region: 'us-east-1',
                  sessionLifetimeMinutes: 30,
                },
              },
            });
            const dashboards = createQuickSightDashboards({
              config,
              awsClients,
              logger,
            });
            deps.httpRouter.use(
              await createDashboardsRouter({ ...deps, dashboards, logger }),
            );
          },
        });
      },
    });
    ({ server } = await startTestBackend({
      features: [
        testPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.mock({ authorize }).factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    }));
  });

  afterAll(async () => {
    await stub?.stop();
  });

  beforeEach(() => {
    decision = AuthorizeResult.ALLOW;
    stub.state.failWith = undefined;
  });

  const as = (who: string) =>
    mockCredentials.user.header(`user:default/${who}`);
  const list = (path: string, who = 'bob') =>
    request(server)
      .get(`/api/data-mesh/dashboards/${path}`)
      .set('Authorization', as(who));
  const embed = (body: object, who = 'alice') =>
    request(server)
      .post('/api/data-mesh/dashboards/embed-url')
      .set('Authorization', as(who))
      .send(body);

  describe('GET /dashboards/:kind/:namespace/:name', () => {
    it('refuses anonymous callers and answers 404 for unknown entities', async () => {
      expect(
        (
          await request(server).get(
            '/api/data-mesh/dashboards/system/default/order-history',
          )
        ).status,
      ).toBe(401);
      expect((await list('system/default/nope')).status).toBe(404);
      expect((await list('user/default/alice')).status).toBe(400);
    });

    it("lists the dashboards reading a product's tables, newest first, with owners", async () => {
      const response = await list('system/default/order-history');
      expect(response.status).toBe(200);
      const body: DashboardsResponse = response.body;
      expect(body.configured).toBe(true);
      expect(body.dashboards).toEqual([
        {
          dashboardId: 'revenue-sql',
          name: 'Revenue (SQL)',
          arn: `arn:aws:quicksight:us-east-1:${ACCOUNT}:dashboard/revenue-sql`,
          lastUpdatedAt: '2026-11-01T10:00:00.000Z',
          lastPublishedAt: '2026-11-01T10:00:00.000Z',
          owners: [],
          dataSets: [{ dataSetId: 'revenue-sql-ds', name: 'Revenue' }],
          tables: [
            {
              database: 'sales_order_history',
              table: 'lineitem',
              entityRef: 'api:default/lineitem',
            },
          ],
        },
        expect.objectContaining({
          dashboardId: 'sales-overview',
          owners: ['alice', 'carol'],
          dataSets: [{ dataSetId: 'orders-ds', name: 'Orders' }],
          tables: [
            {
              database: 'sales_order_history',
              table: 'orders',
              entityRef: 'api:default/orders',
            },
          ],
        }),
      ]);
      // Two pages of dashboards were read.
      expect(
        stub.state.calls.filter(c => c.endsWith('/dashboards')),
      ).toHaveLength(2);
    });

    it('reuses the dashboard list for a while', async () => {
      const before = stub.state.calls.filter(c =>
        c.endsWith('/dashboards'),
      ).length;
      const body: DashboardsResponse = (await list('api/default/suppliers'))
        .body;
      expect(body.dashboards.map(d => d.dashboardId)).toEqual([
        'supplier-scorecard',
      ]);
      expect(
        stub.state.calls.filter(c => c.endsWith('/dashboards')).length,
      ).toBe(before);
    });
  });

  describe('POST /dashboards/embed-url', () => {
    it('refuses anonymous callers and invalid bodies', async () => {
      const anonymous = await request(server)
        .post('/api/data-mesh/dashboards/embed-url')
        .send({
          entityRef: 'system:default/order-history',
          dashboardId: 'sales-overview',
        });
      expect(anonymous.status).toBe(401);
      expect(
        (await embed({ entityRef: 'system:default/order-history' })).status,
      ).toBe(400);
      expect(
        (
          await embed({
            entityRef: 'system:default/order-history',
            dashboardId: '../x',
          })
        ).status,
      ).toBe(400);
      const withUser = await embed({
        entityRef: 'system:default/order-history',
        dashboardId: 'sales-overview',
        userArn: 'arn:aws:quicksight:us-east-1:1:user/default/admin',
      });
      expect(withUser.status).toBe(400);
    });

    it('answers 403 on DENY before any QuickSight call', async () => {
      decision = AuthorizeResult.DENY;
      const callsBefore = stub.state.calls.length;
      const response = await embed({
        entityRef: 'system:default/order-history',
        dashboardId: 'sales-overview',
      });
      expect(response.status).toBe(403);
      expect(stub.state.calls.length).toBe(callsBefore);
      expect(authorize).toHaveBeenLastCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'data-mesh.dashboard.embed',
            }),
            resourceRef: 'system:default/order-history',
          },
        ],
        expect.anything(),
      );
    });

    it("answers 404 for a dashboard that is not the entity's", async () => {
      const response = await embed({
        entityRef: 'system:default/order-history',
        dashboardId: 'supplier-scorecard',
      });
      expect(response.status).toBe(404);
      expect(stub.state.embedRequests).toHaveLength(0);
    });

    it('tells a person without a QuickSight account so (404 with its own name)', async () => {
      for (const who of ['bob', 'nomail']) {
        const response = await embed(
          {
            entityRef: 'system:default/order-history',
            dashboardId: 'sales-overview',
          },
          who,
        );
        expect(response.status).toBe(404);
        expect(response.body.error.name).toBe(QUICKSIGHT_USER_NOT_FOUND_ERROR);
      }
      expect(stub.state.embedRequests).toHaveLength(0);
    });

    it('makes a fresh URL for the person, matched by email, never cached nor logged', async () => {
      const first = await embed({
        entityRef: 'system:default/order-history',
        dashboardId: 'sales-overview',
      });
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.body).toEqual({
        embedUrl: expect.stringContaining('/dashboards/sales-overview?code='),
        sessionLifetimeMinutes: 30,
      });
      expect(stub.state.embedRequests[0]).toEqual({
        UserArn: `arn:aws:quicksight:us-east-1:${ACCOUNT}:user/default/alice-qs`,
        ExperienceConfiguration: {
          Dashboard: { InitialDashboardId: 'sales-overview' },
        },
        SessionLifetimeInMinutes: 30,
      });
      const second = await embed({
        entityRef: 'system:default/order-history',
        dashboardId: 'sales-overview',
      });
      expect(second.body.embedUrl).not.toBe(first.body.embedUrl);
      expect(stub.state.embedRequests).toHaveLength(2);
      for (const url of [first.body.embedUrl, second.body.embedUrl]) {
        expect(
          logged.some(line => line.includes(url) || line.includes('secret-')),
        ).toBe(false);
      }
      expect(
        logged.some(line =>
          line.includes('Embed URL issued for dashboard sales-overview'),
        ),
      ).toBe(true);
    });

    it('answers 503 when QuickSight is down', async () => {
      stub.state.failWith = 500;
      const response = await embed({
        entityRef: 'system:default/order-history',
        dashboardId: 'sales-overview',
      });
      expect(response.status).toBe(503);
      expect(response.body.error.message).toContain('QuickSight');
    });
  });
});

describe('dashboards routes without QuickSight', () => {
  it('says QuickSight is not configured', async () => {
    const testPlugin = createBackendPlugin({
      pluginId: 'data-mesh',
      register(env) {
        env.registerInit({
          deps: {
            httpAuth: coreServices.httpAuth,
            httpRouter: coreServices.httpRouter,
            userInfo: coreServices.userInfo,
            auth: coreServices.auth,
            permissions: coreServices.permissions,
            catalog: catalogServiceRef,
            logger: coreServices.logger,
          },
          async init(deps) {
            deps.httpRouter.use(
              await createDashboardsRouter({ ...deps, dashboards: undefined }),
            );
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        testPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      ],
    });
    const response = await request(server)
      .get('/api/data-mesh/dashboards/system/default/order-history')
      .set('Authorization', mockCredentials.user.header('user:default/bob'));
    expect(response.body).toEqual({
      entityRef: 'system:default/order-history',
      configured: false,
      dashboards: [],
    });
  });
});
