import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { LocalAws, startLocalAws } from '@data-mesh-portal/local-aws';
import { AwsClientFactory } from '@data-mesh-portal/plugin-data-mesh-node';
import {
  QuickSightDashboards,
  readQuickSightSettings,
} from './QuickSightDashboards';

jest.setTimeout(180_000);

// The QuickSight side against the local AWS: moto for users and dashboards,
// the local AWS's gap fillers for ListDashboards and DescribeDashboard (epoch
// times, DataSetArns), DescribeDashboardPermissions, DescribeDataSet and embed
// URLs; the demo seed's data sets, dashboards and their permissions.
describe('QuickSight dashboards against the local AWS', () => {
  let aws: LocalAws;
  let quickSight: QuickSightDashboards;

  beforeAll(async () => {
    aws = await startLocalAws({ seed: true });
    const clientFactory = AwsClientFactory.create({
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
    const settings = readQuickSightSettings(
      new ConfigReader({
        dataMesh: {
          quickSight: {
            awsAccountId: aws.accounts.governance,
            region: aws.region,
          },
        },
      }),
    )!;
    quickSight = new QuickSightDashboards({
      settings,
      clientFactory,
      logger: mockServices.logger.mock(),
    });
  });

  afterAll(async () => {
    await aws?.stop();
  });

  it("finds the demo dashboards built on a product's Glue tables", async () => {
    const started = Date.now();
    const dashboards = await quickSight.dashboardsFor([
      {
        database: 'sales_order_history',
        table: 'orders',
        entityRef: 'api:default/orders',
      },
      {
        database: 'customer_360',
        table: 'customer',
        entityRef: 'api:default/customer',
      },
    ]);
    // eslint-disable-next-line no-console
    console.log(
      `QuickSight index of the demo (local AWS): ${Date.now() - started} ms`,
    );
    expect(dashboards.map(d => d.dashboardId).sort()).toEqual([
      'campaign-effectiveness',
      'order-history-trends',
    ]);
    const campaign = dashboards.find(
      d => d.dashboardId === 'campaign-effectiveness',
    )!;
    expect(campaign.tables).toEqual([
      {
        database: 'customer_360',
        table: 'customer',
        entityRef: 'api:default/customer',
      },
    ]);
    expect(campaign.dataSets).toHaveLength(1);
    expect(campaign.lastUpdatedAt).toEqual(expect.any(String));
    // Owners: the seed's permissions (DescribeDashboardPermissions, served by the
    // local AWS's gap filler); viewers are not owners.
    expect(campaign.owners).toEqual([
      'alice@retail.example',
      'carol@retail.example',
    ]);
    expect(
      dashboards.find(d => d.dashboardId === 'order-history-trends')!.owners,
    ).toEqual(['alice@retail.example', 'dan@retail.example']);
  });

  it('maps people to QuickSight users by email and makes single-use embed URLs', async () => {
    const alice = await quickSight.findUserArn('Alice@Retail.example');
    expect(alice).toMatch(/:user\/default\//);
    expect(
      await quickSight.findUserArn('nobody@retail.example'),
    ).toBeUndefined();
    const first = await quickSight.generateEmbedUrl(
      alice!,
      'order-history-trends',
    );
    const second = await quickSight.generateEmbedUrl(
      alice!,
      'order-history-trends',
    );
    expect(first).not.toBe(second);
    const page = await fetch(first);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Order history trends');
    // The URL holds a one-time token, as QuickSight's does.
    expect((await fetch(first)).status).not.toBe(200);
  });
});
