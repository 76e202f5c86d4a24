import {
  AcceptSubscriptionRequestCommand,
  CreateSubscriptionRequestCommand,
  ListSubscriptionsCommand,
  PostLineageEventCommand,
  PostTimeSeriesDataPointsCommand,
  type DataZoneClient,
} from '@aws-sdk/client-datazone';
import {
  CreateDashboardCommand,
  CreateDataSetCommand,
  CreateDataSourceCommand,
  QuickSightClient,
  RegisterUserCommand,
} from '@aws-sdk/client-quicksight';
import { LOCAL_AWS_ACCOUNTS } from '../accounts';
import { DATA_QUALITY_RESULT_FORM_TYPE } from '../datazone/handlers/managedTypes';
import { stableUuid } from './contracts';
import { DEMO_PEOPLE, type PersonKey, type ProjectKey } from './demo';
import { localClientConfig } from './clients';
import { TPCH_TABLES } from './tpch';
import { tpcdsTables } from './tpcds';

/** The data-quality form name the backend reads by default (DataQualityResultForm). */
export const DATA_QUALITY_FORM_NAME = 'DataQualityResultForm';

/**
 * What each published product's data-quality history says, honestly, by its recorded
 * times: daily row-count checks over 30 days, timestamps in the past.
 * - met: every run passed; the newest is hours old.
 * - at-risk: the newest runs pass, but 2 of the 30 failed; 25 of the runs fall in the
 *   30-day window and 23 of those passed (a 92 % pass rate against a 95 % target: 8 %
 *   failed where 5 % is allowed, 160 % of the error budget, at risk rather than breached
 *   because the newest run passes), and the newest is 5 days old, close to the 7-day
 *   point after which a result no longer vouches for the data.
 * - breached: the last three runs failed.
 * - stale: the newest run is 12 days old.
 */
export const DEMO_QUALITY: Record<
  string,
  'met' | 'at-risk' | 'breached' | 'stale'
> = {
  'order-history': 'met',
  'customer-360': 'met',
  'suppliers-and-parts': 'met',
  'store-sales': 'at-risk',
  'customer-accounts': 'at-risk',
  'web-sales': 'breached',
  inventory: 'stale',
};

export interface DemoWorkflows {
  subscriptions: {
    pending: { requestId: string; project: ProjectKey; product: string }[];
    approved: {
      requestId: string;
      subscriptionId: string;
      project: ProjectKey;
      product: string;
    }[];
  };
  lineage: { jobs: string[]; dashboardSourceIdentifier: string };
  dataQuality: Record<string, string>;
  quickSight: {
    accountId: string;
    users: Record<PersonKey, string>;
    dataSets: { id: string; arn: string; product: string; table: string }[];
    dashboards: { id: string; name: string; products: string[] }[];
  };
}

interface SeedProduct {
  key: string;
  name: string;
  id: string;
  project: ProjectKey;
  state: string;
  listingId?: string;
  database: string;
  bucket: string;
  assets: { table: string; assetId: string; listingId?: string }[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

function qualityRun(table: string, status: 'PASS' | 'FAIL', rows: number) {
  return JSON.stringify({
    evaluationsCount: 1,
    passingPercentage: status === 'PASS' ? 100 : 0,
    evaluations: [
      {
        types: ['RowCount'],
        description: `${table}_row_count: ${table} is never empty`,
        applicableFields: [],
        status,
        details: { rowCount: String(status === 'PASS' ? rows : 0) },
      },
    ],
  });
}

/** Run times (ms ago) and results of one product's 30-day history. */
function qualityHistory(
  kind: string,
): { ago: number; status: 'PASS' | 'FAIL' }[] {
  const daily = (newest: number) =>
    Array.from({ length: 30 }, (_, i) => newest + i * DAY);
  switch (kind) {
    case 'at-risk':
      return daily(5 * DAY).map((ago, i) => ({
        ago,
        status: i === 4 || i === 11 ? 'FAIL' : 'PASS',
      }));
    case 'breached':
      return daily(3 * HOUR).map((ago, i) => ({
        ago,
        status: i < 3 ? 'FAIL' : 'PASS',
      }));
    case 'stale':
      return daily(12 * DAY).map(ago => ({ ago, status: 'PASS' }));
    default:
      return daily(3 * HOUR).map(ago => ({ ago, status: 'PASS' }));
  }
}

const rowCounts = new Map<string, number>();
function rowCountOf(table: string) {
  if (rowCounts.size === 0)
    for (const t of [...TPCH_TABLES, ...tpcdsTables()])
      if (t.rowCount !== undefined && !rowCounts.has(t.name))
        rowCounts.set(t.name, t.rowCount);
  return rowCounts.get(table) ?? 1000;
}

/**
 * The workflow half of the demo mesh, made through the real SDK clients like the rest of
 * the seed: subscription requests (pending and accepted, whose Lake Formation grants are
 * real), OpenLineage events three levels deep ending in a dashboard, data-quality
 * history with past timestamps, and QuickSight users, data sets and dashboards.
 */
export async function seedWorkflows(options: {
  endpoint: string;
  region: string;
  dz: DataZoneClient;
  domainId: string;
  projects: Record<ProjectKey, { id: string }>;
  products: SeedProduct[];
  now?: number;
}): Promise<DemoWorkflows> {
  const { dz, domainId, projects, products } = options;
  const now = options.now ?? Date.now();
  const product = (key: string) => products.find(p => p.key === key)!;
  const producer = LOCAL_AWS_ACCOUNTS.producer;
  const governance = LOCAL_AWS_ACCOUNTS.governance;

  // Subscriptions: two pending requests, one accepted (granted in Lake Formation).
  const request = async (project: ProjectKey, key: string, reason: string) => {
    const created = await dz.send(
      new CreateSubscriptionRequestCommand({
        domainIdentifier: domainId,
        subscribedPrincipals: [
          { project: { identifier: projects[project].id } },
        ],
        subscribedListings: [{ identifier: product(key).listingId! }],
        requestReason: reason,
        clientToken: `dmp-demo-subscription-${project}-${key}`,
      }),
    );
    return created.id!;
  };
  const pending = [
    {
      requestId: await request(
        'marketing',
        'store-sales',
        'Store sales by promotion for the spring campaign review.',
      ),
      project: 'marketing' as const,
      product: 'store-sales',
    },
    {
      requestId: await request(
        'supplyChain',
        'customer-accounts',
        'Customer nations and regions to plan regional warehouses.',
      ),
      project: 'supplyChain' as const,
      product: 'customer-accounts',
    },
  ];
  const approvedRequest = await request(
    'marketing',
    'customer-360',
    'Customer segments for campaign targeting.',
  );
  await dz.send(
    new AcceptSubscriptionRequestCommand({
      domainIdentifier: domainId,
      identifier: approvedRequest,
      decisionComment:
        'Approved: segments only, no direct marketing to individuals.',
    }),
  );
  const subscription = await dz.send(
    new ListSubscriptionsCommand({
      domainIdentifier: domainId,
      subscriptionRequestIdentifier: approvedRequest,
    }),
  );

  // Lineage, three levels deep: raw files → curated tables → an aggregate → a dashboard.
  const glue = (db: string, table: string) => ({
    namespace: `arn:aws:glue:${options.region}:${producer}`,
    name: `table/${db}/${table}`,
  });
  const dashboardDataset = {
    namespace: `arn:aws:quicksight:${options.region}:${governance}`,
    name: 'dashboard/campaign-effectiveness',
  };
  const raw = (bucket: string, path: string) => ({
    namespace: `s3://${bucket}`,
    name: path,
  });
  const sales = product('store-sales');
  const orders = product('order-history');
  const campaigns = product('campaign-effectiveness');
  const customers = product('customer-360');
  const jobs = [
    {
      name: 'curate_store_sales',
      inputs: [
        raw(sales.bucket, 'raw/pos/store_sales'),
        raw(sales.bucket, 'raw/pos/store_returns'),
      ],
      outputs: [
        glue(sales.database, 'store_sales'),
        glue(sales.database, 'store_returns'),
      ],
      hour: 2,
    },
    {
      name: 'curate_order_history',
      inputs: [
        raw(orders.bucket, 'raw/erp/orders'),
        raw(orders.bucket, 'raw/erp/lineitem'),
      ],
      outputs: [
        glue(orders.database, 'orders'),
        glue(orders.database, 'lineitem'),
      ],
      hour: 1,
    },
    {
      name: 'build_campaign_effectiveness',
      inputs: [
        glue(sales.database, 'store_sales'),
        glue(customers.database, 'customer'),
        glue(campaigns.database, 'promotion'),
      ],
      outputs: [glue(campaigns.database, 'time_dim')],
      hour: 4,
    },
    {
      name: 'refresh_campaign_dashboard',
      inputs: [
        glue(campaigns.database, 'time_dim'),
        glue(campaigns.database, 'promotion'),
      ],
      outputs: [dashboardDataset],
      hour: 5,
    },
  ];
  for (const daysAgo of [2, 1]) {
    for (const job of jobs) {
      const day = new Date(now - daysAgo * DAY);
      day.setUTCHours(job.hour, 0, 0, 0);
      const event = {
        eventType: 'COMPLETE',
        eventTime: day.toISOString(),
        run: { runId: stableUuid(`demo-run/${job.name}/${daysAgo}`) },
        job: { namespace: 'retail-data-platform', name: job.name },
        inputs: job.inputs,
        outputs: job.outputs,
        producer: 'https://github.com/data-mesh-portal/local-aws/demo-seed',
        schemaURL:
          'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      };
      await dz.send(
        new PostLineageEventCommand({
          domainIdentifier: domainId,
          event: Buffer.from(JSON.stringify(event)),
          clientToken: `dmp-demo-lineage-${job.name}-${daysAgo}`,
        }),
      );
    }
  }

  // Data-quality history with past timestamps.
  for (const [key, kind] of Object.entries(DEMO_QUALITY)) {
    for (const asset of product(key).assets) {
      await dz.send(
        new PostTimeSeriesDataPointsCommand({
          domainIdentifier: domainId,
          entityIdentifier: asset.assetId,
          entityType: 'ASSET',
          forms: qualityHistory(kind).map(run => ({
            formName: DATA_QUALITY_FORM_NAME,
            typeIdentifier: DATA_QUALITY_RESULT_FORM_TYPE,
            timestamp: new Date(now - run.ago),
            content: qualityRun(
              asset.table,
              run.status,
              rowCountOf(asset.table),
            ),
          })),
          clientToken: `dmp-demo-quality-${asset.assetId}`,
        }),
      );
    }
  }

  // QuickSight in the central account: the demo people by email, data sets and dashboards.
  const qs = new QuickSightClient(
    localClientConfig(options.endpoint, options.region),
  );
  try {
    const roles: Record<PersonKey, 'AUTHOR' | 'READER' | 'ADMIN'> = {
      alice: 'AUTHOR',
      dan: 'AUTHOR',
      bob: 'READER',
      carol: 'ADMIN',
    };
    const users = {} as Record<PersonKey, string>;
    for (const [key, person] of Object.entries(DEMO_PEOPLE) as [
      PersonKey,
      (typeof DEMO_PEOPLE)[PersonKey],
    ][]) {
      const registered = await qs.send(
        new RegisterUserCommand({
          AwsAccountId: governance,
          Namespace: 'default',
          IdentityType: 'QUICKSIGHT',
          Email: person.email,
          UserName: person.email,
          UserRole: roles[key],
        }),
      );
      users[key] = registered.User!.Arn!;
    }
    const athena = await qs.send(
      new CreateDataSourceCommand({
        AwsAccountId: governance,
        DataSourceId: 'retail-athena',
        Name: 'Retail data mesh (Athena)',
        Type: 'ATHENA',
        DataSourceParameters: { AthenaParameters: { WorkGroup: 'primary' } },
      }),
    );
    const dataSourceArn =
      athena.Arn ??
      `arn:aws:quicksight:${options.region}:${governance}:datasource/retail-athena`;
    const dataSets: DemoWorkflows['quickSight']['dataSets'] = [];
    const dataSet = async (key: string, table: string) => {
      const p = product(key);
      const def = [...TPCH_TABLES, ...tpcdsTables()].find(
        t => t.name === table,
      )!;
      const id = `${key}-${table}`.replace(/_/g, '-');
      const created = await qs.send(
        new CreateDataSetCommand({
          AwsAccountId: governance,
          DataSetId: id,
          Name: `${p.name}: ${table}`,
          ImportMode: 'DIRECT_QUERY',
          PhysicalTableMap: {
            [table]: {
              RelationalTable: {
                DataSourceArn: dataSourceArn,
                Catalog: 'AwsDataCatalog',
                Schema: p.database,
                Name: table,
                InputColumns: def.columns.slice(0, 12).map(c => ({
                  Name: c.name,
                  Type: quickSightType(c.type),
                })),
              },
            },
          },
        }),
      );
      dataSets.push({ id, arn: created.Arn!, product: key, table });
      return created.Arn!;
    };
    const dashboards: DemoWorkflows['quickSight']['dashboards'] = [];
    // QuickSight's owner and viewer action sets; owners are those who may change the
    // permissions (what the portal shows as a dashboard's owners).
    const OWNER_ACTIONS = [
      'quicksight:DescribeDashboard',
      'quicksight:ListDashboardVersions',
      'quicksight:UpdateDashboardPermissions',
      'quicksight:QueryDashboard',
      'quicksight:UpdateDashboard',
      'quicksight:DeleteDashboard',
      'quicksight:DescribeDashboardPermissions',
      'quicksight:UpdateDashboardPublishedVersion',
    ];
    const VIEWER_ACTIONS = [
      'quicksight:DescribeDashboard',
      'quicksight:ListDashboardVersions',
      'quicksight:QueryDashboard',
    ];
    const dashboard = async (
      id: string,
      name: string,
      sets: string[],
      keys: string[],
      access: { owners: PersonKey[]; viewers: PersonKey[] },
    ) => {
      await qs.send(
        new CreateDashboardCommand({
          AwsAccountId: governance,
          DashboardId: id,
          Name: name,
          Permissions: [
            ...access.owners.map(k => ({
              Principal: users[k],
              Actions: OWNER_ACTIONS,
            })),
            ...access.viewers.map(k => ({
              Principal: users[k],
              Actions: VIEWER_ACTIONS,
            })),
          ],
          SourceEntity: {
            SourceTemplate: {
              Arn: `arn:aws:quicksight:${options.region}:${governance}:template/${id}`,
              DataSetReferences: sets.map((arn, i) => ({
                DataSetPlaceholder: `ds${i}`,
                DataSetArn: arn,
              })),
            },
          },
        }),
      );
      dashboards.push({ id, name, products: keys });
    };
    await dashboard(
      'store-sales-overview',
      'Store sales overview',
      [
        await dataSet('store-sales', 'store_sales'),
        await dataSet('store-sales', 'store'),
      ],
      ['store-sales'],
      { owners: ['alice'], viewers: ['bob', 'dan'] },
    );
    await dashboard(
      'campaign-effectiveness',
      'Campaign effectiveness',
      [
        await dataSet('campaign-effectiveness', 'promotion'),
        await dataSet('customer-360', 'customer'),
      ],
      ['campaign-effectiveness', 'customer-360'],
      { owners: ['alice', 'carol'], viewers: ['bob'] },
    );
    await dashboard(
      'order-history-trends',
      'Order history trends',
      [await dataSet('order-history', 'orders')],
      ['order-history'],
      { owners: ['alice', 'dan'], viewers: ['bob'] },
    );
    return {
      subscriptions: {
        pending,
        approved: [
          {
            requestId: approvedRequest,
            subscriptionId: subscription.items![0].id!,
            project: 'marketing',
            product: 'customer-360',
          },
        ],
      },
      lineage: {
        jobs: jobs.map(j => `retail-data-platform.${j.name}`),
        dashboardSourceIdentifier: `${dashboardDataset.namespace}:${dashboardDataset.name}`,
      },
      dataQuality: { ...DEMO_QUALITY },
      quickSight: { accountId: governance, users, dataSets, dashboards },
    };
  } finally {
    qs.destroy();
  }
}

function quickSightType(
  glueType: string,
): 'INTEGER' | 'DECIMAL' | 'DATETIME' | 'STRING' {
  if (/^(int|bigint|smallint|tinyint)$/.test(glueType)) return 'INTEGER';
  if (/^(decimal|double|float)/.test(glueType)) return 'DECIMAL';
  if (glueType === 'date' || glueType === 'timestamp') return 'DATETIME';
  return 'STRING';
}
