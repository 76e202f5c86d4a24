import {
  CreateCrawlerCommand,
  CreateDatabaseCommand,
  GetCrawlerCommand,
  GetCrawlerMetricsCommand,
  GetTablesCommand,
  GlueClient,
  ListCrawlsCommand,
  StartCrawlerCommand,
} from '@aws-sdk/client-glue';
import {
  CreateBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateDashboardCommand,
  CreateDataSetCommand,
  DescribeDashboardCommand,
  DescribeDashboardPermissionsCommand,
  DescribeDataSetCommand,
  DescribeUserCommand,
  GenerateEmbedUrlForRegisteredUserCommand,
  ListDashboardsCommand,
  ListDataSetsCommand,
  ListUsersCommand,
  QuickSightClient,
  RegisterUserCommand,
  UpdateDashboardPermissionsCommand,
} from '@aws-sdk/client-quicksight';
import { startLocalAws, type LocalAws } from '../testing';

jest.setTimeout(120_000);

let local: LocalAws;
let glue: GlueClient;
let s3: S3Client;
let qs: QuickSightClient;
const account = '123456789012';

beforeAll(async () => {
  local = await startLocalAws({ seed: false });
  glue = new GlueClient(local.clientConfig());
  s3 = new S3Client(local.clientConfig());
  qs = new QuickSightClient(local.clientConfig());
});

afterAll(async () => {
  [glue, s3, qs].forEach(c => c.destroy());
  await local.stop();
});

describe('Glue crawlers that finish', () => {
  it('creates one table per folder from CSV, JSON and Parquet-with-sidecar objects, then reports READY with a LastCrawl', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'landing' }));
    const put = (Key: string, Body: string) =>
      s3.send(new PutObjectCommand({ Bucket: 'landing', Key, Body }));
    await put(
      'raw/orders/2026/part-0.csv',
      'order_id,amount,placed_on,express\n1,10.5,2026-01-02,true\n2,7,2026-01-03,false\n',
    );
    await put(
      'raw/clicks/dt=2026-11-01/events.json',
      '{"user":"a","clicks":3,"page":{"path":"/x"}}\n{"user":"b","clicks":5}\n',
    );
    await put('raw/stock/part-0.parquet', 'PAR1 not really parquet');
    await put(
      'raw/stock/part-0.parquet.schema.json',
      JSON.stringify({
        columns: [
          { name: 'sku', type: 'string' },
          { name: 'qty', type: 'int' },
        ],
      }),
    );
    await put('raw/blobs/data.bin', 'binary');
    await glue.send(
      new CreateDatabaseCommand({ DatabaseInput: { Name: 'landing_db' } }),
    );
    await glue.send(
      new CreateCrawlerCommand({
        Name: 'landing-crawler',
        Role: `arn:aws:iam::${account}:role/GlueCrawler`,
        DatabaseName: 'landing_db',
        Targets: { S3Targets: [{ Path: 's3://landing/raw/' }] },
      }),
    );
    await glue.send(new StartCrawlerCommand({ Name: 'landing-crawler' }));

    const { Crawler } = await glue.send(
      new GetCrawlerCommand({ Name: 'landing-crawler' }),
    );
    expect(Crawler?.State).toBe('READY');
    expect(Crawler?.LastCrawl?.Status).toBe('SUCCEEDED');
    expect(Crawler?.LastCrawl?.StartTime).toBeInstanceOf(Date);

    const { TableList } = await glue.send(
      new GetTablesCommand({ DatabaseName: 'landing_db' }),
    );
    const tables = Object.fromEntries(
      (TableList ?? []).map(t => [
        t.Name,
        {
          classification: t.Parameters?.classification,
          crawler: t.Parameters?.UPDATED_BY_CRAWLER,
          columns: t.StorageDescriptor?.Columns?.map(
            c => `${c.Name}:${c.Type}`,
          ),
          partitions: t.PartitionKeys?.map(k => k.Name),
          location: t.StorageDescriptor?.Location,
        },
      ]),
    );
    expect(tables).toEqual({
      orders: {
        classification: 'csv',
        crawler: 'landing-crawler',
        columns: [
          'order_id:bigint',
          'amount:double',
          'placed_on:date',
          'express:boolean',
        ],
        partitions: [],
        location: 's3://landing/raw/orders/',
      },
      clicks: {
        classification: 'json',
        crawler: 'landing-crawler',
        columns: ['user:string', 'clicks:int', 'page:struct<path:string>'],
        partitions: ['dt'],
        location: 's3://landing/raw/clicks/',
      },
      stock: {
        classification: 'parquet',
        crawler: 'landing-crawler',
        columns: ['sku:string', 'qty:int'],
        partitions: [],
        location: 's3://landing/raw/stock/',
      },
    });

    const metrics = await glue.send(
      new GetCrawlerMetricsCommand({ CrawlerNameList: ['landing-crawler'] }),
    );
    expect(metrics.CrawlerMetricsList?.[0]).toMatchObject({
      CrawlerName: 'landing-crawler',
      TablesCreated: 3,
      TablesUpdated: 0,
      StillEstimating: false,
    });

    // A recrawl after a new column updates the table.
    await put(
      'raw/orders/2026/part-1.csv',
      'order_id,amount,placed_on,express,channel\n3,1,2026-01-04,true,web\n',
    );
    await glue.send(new StartCrawlerCommand({ Name: 'landing-crawler' }));
    const again = await glue.send(
      new GetCrawlerMetricsCommand({ CrawlerNameList: ['landing-crawler'] }),
    );
    expect(again.CrawlerMetricsList?.[0]).toMatchObject({
      TablesCreated: 0,
      TablesUpdated: 1,
    });
    const crawls = await glue.send(
      new ListCrawlsCommand({ CrawlerName: 'landing-crawler' }),
    );
    expect(crawls.Crawls?.map(c => c.State)).toEqual([
      'COMPLETED',
      'COMPLETED',
    ]);
  });

  it('answers EntityNotFoundException for an unknown crawler', async () => {
    await expect(
      glue.send(new StartCrawlerCommand({ Name: 'nope' })),
    ).rejects.toMatchObject({
      name: 'EntityNotFoundException',
    });
  });
});

describe('QuickSight data sets, dashboards and embedding', () => {
  const dataSetArn = `arn:aws:quicksight:us-east-1:${account}:dataset/orders-ds`;

  it('creates, lists and describes data sets over Glue tables', async () => {
    await qs.send(
      new CreateDataSetCommand({
        AwsAccountId: account,
        DataSetId: 'orders-ds',
        Name: 'Orders',
        ImportMode: 'DIRECT_QUERY',
        PhysicalTableMap: {
          orders: {
            RelationalTable: {
              DataSourceArn: `arn:aws:quicksight:us-east-1:${account}:datasource/athena`,
              Catalog: 'AwsDataCatalog',
              Schema: 'landing_db',
              Name: 'orders',
              InputColumns: [
                { Name: 'order_id', Type: 'INTEGER' },
                { Name: 'amount', Type: 'DECIMAL' },
              ],
            },
          },
        },
      }),
    );
    const listed = await qs.send(
      new ListDataSetsCommand({ AwsAccountId: account }),
    );
    expect(listed.Status).toBe(200);
    expect(
      listed.DataSetSummaries?.map(d => [d.DataSetId, d.Arn, d.ImportMode]),
    ).toEqual([['orders-ds', dataSetArn, 'DIRECT_QUERY']]);
    const described = await qs.send(
      new DescribeDataSetCommand({
        AwsAccountId: account,
        DataSetId: 'orders-ds',
      }),
    );
    expect(described.DataSet?.OutputColumns).toEqual([
      { Name: 'order_id', Type: 'INTEGER' },
      { Name: 'amount', Type: 'DECIMAL' },
    ]);
    expect(described.DataSet?.CreatedTime).toBeInstanceOf(Date);
    await expect(
      qs.send(
        new DescribeDataSetCommand({
          AwsAccountId: account,
          DataSetId: 'nope',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('describes a dashboard with its DataSetArns and embeds it once for a registered user', async () => {
    await qs.send(
      new CreateDashboardCommand({
        AwsAccountId: account,
        DashboardId: 'orders-dashboard',
        Name: 'Orders overview',
        SourceEntity: {
          SourceTemplate: {
            Arn: `arn:aws:quicksight:us-east-1:${account}:template/orders`,
            DataSetReferences: [
              { DataSetPlaceholder: 'orders', DataSetArn: dataSetArn },
            ],
          },
        },
      }),
    );
    const dashboard = await qs.send(
      new DescribeDashboardCommand({
        AwsAccountId: account,
        DashboardId: 'orders-dashboard',
      }),
    );
    expect(dashboard.Dashboard?.Name).toBe('Orders overview');
    expect(dashboard.Dashboard?.Version?.DataSetArns).toEqual([dataSetArn]);

    const user = await qs.send(
      new RegisterUserCommand({
        AwsAccountId: account,
        Namespace: 'default',
        IdentityType: 'QUICKSIGHT',
        Email: 'bob@retail.example',
        UserName: 'bob@retail.example',
        UserRole: 'READER',
      }),
    );
    const embed = await qs.send(
      new GenerateEmbedUrlForRegisteredUserCommand({
        AwsAccountId: account,
        UserArn: user.User!.Arn!,
        ExperienceConfiguration: {
          Dashboard: { InitialDashboardId: 'orders-dashboard' },
        },
      }),
    );
    expect(embed.EmbedUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/_embed\/quicksight\/dashboards\/orders-dashboard\?code=/,
    );
    const page = await fetch(embed.EmbedUrl!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Orders overview');
    expect(html).toContain('order_id');
    // Single use.
    expect((await fetch(embed.EmbedUrl!)).status).toBe(403);

    await expect(
      qs.send(
        new GenerateEmbedUrlForRegisteredUserCommand({
          AwsAccountId: account,
          UserArn: `arn:aws:quicksight:us-east-1:${account}:user/default/nobody`,
          ExperienceConfiguration: {
            Dashboard: { InitialDashboardId: 'orders-dashboard' },
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('lists and describes dashboards with epoch-second times and pages them, as QuickSight does', async () => {
    const before = Date.now() / 1000 - 60;
    await qs.send(
      new CreateDashboardCommand({
        AwsAccountId: account,
        DashboardId: 'returns-dashboard',
        Name: 'Returns overview',
        SourceEntity: {
          SourceTemplate: {
            Arn: `arn:aws:quicksight:us-east-1:${account}:template/orders`,
            DataSetReferences: [
              { DataSetPlaceholder: 'orders', DataSetArn: dataSetArn },
            ],
          },
        },
      }),
    );
    // The real client parses the answer: moto's own "2026-11-21 07:47:30.842751"
    // strings would make it throw.
    const all = await qs.send(
      new ListDashboardsCommand({ AwsAccountId: account }),
    );
    expect(all.Status).toBe(200);
    expect(all.NextToken).toBeUndefined();
    expect(all.DashboardSummaryList?.map(d => d.DashboardId)).toEqual([
      'orders-dashboard',
      'returns-dashboard',
    ]);
    for (const summary of all.DashboardSummaryList ?? []) {
      for (const time of [
        summary.CreatedTime,
        summary.LastUpdatedTime,
        summary.LastPublishedTime,
      ]) {
        expect(time).toBeInstanceOf(Date);
        expect(time!.getTime() / 1000).toBeGreaterThan(before);
        expect(time!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }
    }
    expect(all.DashboardSummaryList?.[1]).toMatchObject({
      Arn: `arn:aws:quicksight:us-east-1:${account}:dashboard/returns-dashboard`,
      Name: 'Returns overview',
      PublishedVersionNumber: 1,
    });

    const first = await qs.send(
      new ListDashboardsCommand({ AwsAccountId: account, MaxResults: 1 }),
    );
    expect(first.DashboardSummaryList?.map(d => d.DashboardId)).toEqual([
      'orders-dashboard',
    ]);
    expect(first.NextToken).toBeDefined();
    const second = await qs.send(
      new ListDashboardsCommand({
        AwsAccountId: account,
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
    );
    expect(second.DashboardSummaryList?.map(d => d.DashboardId)).toEqual([
      'returns-dashboard',
    ]);
    expect(second.NextToken).toBeUndefined();

    const described = await qs.send(
      new DescribeDashboardCommand({
        AwsAccountId: account,
        DashboardId: 'returns-dashboard',
      }),
    );
    expect(described.Dashboard?.CreatedTime).toBeInstanceOf(Date);
    expect(described.Dashboard?.Version?.CreatedTime).toBeInstanceOf(Date);
    expect(described.Dashboard?.LastPublishedTime?.getTime()).toBe(
      all.DashboardSummaryList?.[1].LastPublishedTime?.getTime(),
    );
  });

  it('lists and describes users through the real client (no time members to mend)', async () => {
    const users = await qs.send(
      new ListUsersCommand({ AwsAccountId: account, Namespace: 'default' }),
    );
    expect(users.UserList?.map(u => u.Email)).toContain('bob@retail.example');
    const bob = await qs.send(
      new DescribeUserCommand({
        AwsAccountId: account,
        Namespace: 'default',
        UserName: 'bob@retail.example',
      }),
    );
    expect(bob.User).toMatchObject({
      Email: 'bob@retail.example',
      Role: 'READER',
    });
  });

  it('keeps the permissions given at CreateDashboard: DescribeDashboardPermissions and UpdateDashboardPermissions (moto has neither)', async () => {
    const user = (name: string) =>
      `arn:aws:quicksight:us-east-1:${account}:user/default/${name}`;
    const owner = [
      'quicksight:DescribeDashboard',
      'quicksight:QueryDashboard',
      'quicksight:UpdateDashboardPermissions',
    ];
    const viewer = [
      'quicksight:DescribeDashboard',
      'quicksight:QueryDashboard',
    ];
    await qs.send(
      new CreateDashboardCommand({
        AwsAccountId: account,
        DashboardId: 'owned-dashboard',
        Name: 'Owned',
        SourceEntity: {
          SourceTemplate: {
            Arn: `arn:aws:quicksight:us-east-1:${account}:template/orders`,
            DataSetReferences: [
              { DataSetPlaceholder: 'orders', DataSetArn: dataSetArn },
            ],
          },
        },
        Permissions: [
          { Principal: user('alice@retail.example'), Actions: owner },
          { Principal: user('bob@retail.example'), Actions: viewer },
        ],
      }),
    );
    const described = await qs.send(
      new DescribeDashboardPermissionsCommand({
        AwsAccountId: account,
        DashboardId: 'owned-dashboard',
      }),
    );
    expect(described.Status).toBe(200);
    expect(described.DashboardArn).toBe(
      `arn:aws:quicksight:us-east-1:${account}:dashboard/owned-dashboard`,
    );
    expect(described.Permissions).toEqual([
      { Principal: user('alice@retail.example'), Actions: owner },
      { Principal: user('bob@retail.example'), Actions: viewer },
    ]);

    // Bob becomes an owner, Alice loses everything.
    const updated = await qs.send(
      new UpdateDashboardPermissionsCommand({
        AwsAccountId: account,
        DashboardId: 'owned-dashboard',
        GrantPermissions: [
          {
            Principal: user('bob@retail.example'),
            Actions: ['quicksight:UpdateDashboardPermissions'],
          },
        ],
        RevokePermissions: [
          { Principal: user('alice@retail.example'), Actions: owner },
        ],
      }),
    );
    expect(updated.Permissions).toEqual([
      { Principal: user('bob@retail.example'), Actions: owner },
    ]);
    const again = await qs.send(
      new DescribeDashboardPermissionsCommand({
        AwsAccountId: account,
        DashboardId: 'owned-dashboard',
      }),
    );
    expect(again.Permissions).toEqual(updated.Permissions);

    // A dashboard created without permissions has none; an unknown one is a 404.
    const bare = await qs.send(
      new DescribeDashboardPermissionsCommand({
        AwsAccountId: account,
        DashboardId: 'returns-dashboard',
      }),
    );
    expect(bare.Permissions).toEqual([]);
    await expect(
      qs.send(
        new DescribeDashboardPermissionsCommand({
          AwsAccountId: account,
          DashboardId: 'nope',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
