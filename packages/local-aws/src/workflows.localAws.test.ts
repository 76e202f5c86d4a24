import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as dz from '@aws-sdk/client-datazone';
import { CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  GrantPermissionsCommand,
  LakeFormationClient,
  RevokePermissionsCommand,
} from '@aws-sdk/client-lakeformation';
import { startLocalAws, type LocalAws } from './testing';
import { assumeRole } from './seed/clients';
import { PRODUCER_ROLE_ARN } from './accounts';
import {
  assertNoWireProblems,
  checkedDataZoneClient,
} from './datazone/testing/checkedClient';

jest.setTimeout(180_000);

const exec = promisify(execFile);
let local: LocalAws;
let dataDir: string;
let checked: ReturnType<typeof checkedDataZoneClient>;
let client: dz.DataZoneClient;

/** The AWS CLI with the profiles `local-aws start` writes (default: central; producer: assumed). */
async function cli(...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_CONFIG_FILE: join(dataDir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'aws-credentials'),
  };
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_ENDPOINT_URL',
  ])
    delete env[name];
  const { stdout } = await exec('aws', [...args, '--output', 'json'], {
    env,
    timeout: 60_000,
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

interface LfPermission {
  Principal: { DataLakePrincipalIdentifier: string };
  Resource: {
    Table?: { CatalogId?: string; DatabaseName: string; Name: string };
  };
  Permissions: string[];
}

/** Every Lake Formation permission in the producer account, as the AWS CLI lists it. */
async function producerPermissions(): Promise<LfPermission[]> {
  const out = await cli(
    '--profile',
    'producer',
    'lakeformation',
    'list-permissions',
  );
  return out.PrincipalResourcePermissions;
}

const of = (permissions: LfPermission[], principal: string) =>
  permissions
    .filter(p => p.Principal.DataLakePrincipalIdentifier === principal)
    .map(p => ({
      table: `${p.Resource.Table?.DatabaseName}.${p.Resource.Table?.Name}`,
      permissions: [...p.Permissions].sort(),
    }))
    .sort((a, b) => a.table.localeCompare(b.table));

const hashSeed = process.env.PYTHONHASHSEED;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-aws-workflows-'));
  // moto keeps Lake Formation permissions as lists built from Python sets, so
  // their order follows the string hash seed. Under seed 0 a second grant on a
  // held table reorders the entry and corrupts moto's state (the double-grant
  // test below then fails without the stand-in's ListPermissions check).
  process.env.PYTHONHASHSEED = '0';
  local = await startLocalAws({ dataDir });
  if (hashSeed === undefined) delete process.env.PYTHONHASHSEED;
  else process.env.PYTHONHASHSEED = hashSeed;
  checked = checkedDataZoneClient(local.clientConfig());
  client = checked.client;
});

afterAll(async () => {
  client.destroy();
  await local.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => assertNoWireProblems(checked));

describe('a subscription, end to end from the AWS CLI', () => {
  it('grants SELECT and DESCRIBE on exactly the product tables to the subscriber role on accept, and removes them on revoke', async () => {
    const demo = local.demo!;
    const product = demo.dataProducts.find(p => p.key === 'web-sales')!;
    const marketing = demo.projects.marketing;
    const env = await client.send(
      new dz.GetEnvironmentCommand({
        domainIdentifier: demo.domainId,
        identifier: marketing.environmentId,
      }),
    );
    const role = env.provisionedResources!.find(r => r.name === 'userRoleArn')!
      .value!;
    const before = await producerPermissions();
    // What the seeded, approved Customer 360 subscription granted the same role.
    const seeded = of(before, role);
    expect(seeded.map(p => p.table.split('.')[0])).toEqual(
      demo.dataProducts
        .find(p => p.key === 'customer-360')!
        .assets.map(() => 'customer_360'),
    );

    const request = await cli(
      'datazone',
      'create-subscription-request',
      '--domain-identifier',
      demo.domainId,
      '--subscribed-principals',
      JSON.stringify([{ project: { identifier: marketing.id } }]),
      '--subscribed-listings',
      JSON.stringify([{ identifier: product.listingId }]),
      '--request-reason',
      'Web campaign attribution',
    );
    expect(request.status).toBe('PENDING');
    // Nothing is granted while the request is pending.
    expect(await producerPermissions()).toEqual(before);

    const accepted = await cli(
      'datazone',
      'accept-subscription-request',
      '--domain-identifier',
      demo.domainId,
      '--identifier',
      request.id,
      '--decision-comment',
      'Approved for the campaign',
    );
    expect(accepted.status).toBe('ACCEPTED');

    const afterAccept = await producerPermissions();
    expect(of(afterAccept, role)).toEqual(
      [
        ...seeded,
        ...product.assets.map(a => ({
          table: `${product.database}.${a.table}`,
          permissions: ['DESCRIBE', 'SELECT'],
        })),
      ].sort((a, b) => a.table.localeCompare(b.table)),
    );
    // Nobody else gained anything.
    const others = (list: LfPermission[]) =>
      list.filter(p => p.Principal.DataLakePrincipalIdentifier !== role);
    expect(others(afterAccept)).toEqual(others(before));

    const subscription = (
      await cli(
        'datazone',
        'list-subscriptions',
        '--domain-identifier',
        demo.domainId,
        '--subscription-request-identifier',
        request.id,
      )
    ).items[0];
    expect(subscription.status).toBe('APPROVED');
    const grants = await cli(
      'datazone',
      'list-subscription-grants',
      '--domain-identifier',
      demo.domainId,
      '--subscription-id',
      subscription.id,
    );
    expect(grants.items).toHaveLength(1);
    expect(grants.items[0].status).toBe('COMPLETED');
    expect(grants.items[0].environmentId).toBe(marketing.environmentId);
    expect(
      grants.items[0].assets.map((a: any) => [a.status, a.targetName]).sort(),
    ).toEqual(product.assets.map(a => ['GRANTED', a.table]).sort());

    // The resource links sit in the subscriber's subscription database.
    const subDb = env.provisionedResources!.find(
      r => r.name === 'glueConsumerDBForDataLake',
    )!.value!;
    const linksTo = async (database: string) =>
      (
        await cli('glue', 'get-tables', '--database-name', subDb)
      ).TableList.filter((t: any) => t.TargetTable?.DatabaseName === database);
    expect(
      (await linksTo(product.database))
        .map((t: any) => [
          t.Name,
          t.TargetTable?.DatabaseName,
          t.TargetTable?.CatalogId,
        ])
        .sort(),
    ).toEqual(
      product.assets
        .map(a => [a.table, product.database, local.accounts.producer])
        .sort(),
    );

    const revoked = await cli(
      'datazone',
      'revoke-subscription',
      '--domain-identifier',
      demo.domainId,
      '--identifier',
      subscription.id,
    );
    expect(revoked.status).toBe('REVOKED');
    const afterRevoke = await producerPermissions();
    expect(of(afterRevoke, role)).toEqual(seeded);
    expect(afterRevoke).toEqual(before);
    expect(await linksTo(product.database)).toEqual([]);
    // The seeded subscription's links stay.
    expect(await linksTo('customer_360')).toHaveLength(seeded.length);
  });
});

describe('a product and one of its datasets both subscribed', () => {
  it('grants each table once, keeps the shared table until the last subscription goes, leaves a grant made outside DataZone, and revokes cleanly', async () => {
    const demo = local.demo!;
    const product = demo.dataProducts.find(p => p.key === 'order-history')!;
    const dataset = product.assets[0];
    const marketing = demo.projects.marketing;
    const env = await client.send(
      new dz.GetEnvironmentCommand({
        domainIdentifier: demo.domainId,
        identifier: marketing.environmentId,
      }),
    );
    const role = env.provisionedResources!.find(r => r.name === 'userRoleArn')!
      .value!;
    const before = await producerPermissions();
    const onProduct = (list: LfPermission[]) =>
      of(list, role).filter(p => p.table.startsWith(`${product.database}.`));
    expect(onProduct(before)).toEqual([]);

    const subscribe = async (listingId: string) => {
      const request = await client.send(
        new dz.CreateSubscriptionRequestCommand({
          domainIdentifier: demo.domainId,
          subscribedPrincipals: [{ project: { identifier: marketing.id } }],
          subscribedListings: [{ identifier: listingId }],
          requestReason: 'Order analysis',
        }),
      );
      await client.send(
        new dz.AcceptSubscriptionRequestCommand({
          domainIdentifier: demo.domainId,
          identifier: request.id!,
        }),
      );
      const subscription = (
        await client.send(
          new dz.ListSubscriptionsCommand({
            domainIdentifier: demo.domainId,
            subscriptionRequestIdentifier: request.id!,
          }),
        )
      ).items![0];
      const grants = await client.send(
        new dz.ListSubscriptionGrantsCommand({
          domainIdentifier: demo.domainId,
          subscriptionId: subscription.id!,
        }),
      );
      expect(grants.items!.map(g => g.status)).toEqual(['COMPLETED']);
      return subscription.id!;
    };
    const revoke = async (id: string) => {
      await client.send(
        new dz.RevokeSubscriptionCommand({
          domainIdentifier: demo.domainId,
          identifier: id,
        }),
      );
      const grants = await client.send(
        new dz.ListSubscriptionGrantsCommand({
          domainIdentifier: demo.domainId,
          subscriptionId: id,
        }),
      );
      expect(grants.items!.map(g => g.status)).toEqual(['COMPLETED']);
      expect(
        grants.items![0].assets!.map(a => [a.status, a.failureCause]),
      ).toEqual(grants.items![0].assets!.map(() => ['REVOKED', undefined]));
    };
    const all = product.assets
      .map(a => ({
        table: `${product.database}.${a.table}`,
        permissions: ['DESCRIBE', 'SELECT'],
      }))
      .sort((a, b) => a.table.localeCompare(b.table));

    // Someone granted the role SELECT on another of the product's tables,
    // outside DataZone.
    const other = product.assets[product.assets.length - 1];
    expect(other.table).not.toBe(dataset.table);
    const lakeFormation = new LakeFormationClient({
      ...local.clientConfig(),
      credentials: await assumeRole(
        local.endpoint,
        local.region,
        PRODUCER_ROLE_ARN,
        'workflow-test',
      ),
    });
    const outside = {
      Principal: { DataLakePrincipalIdentifier: role },
      Resource: {
        Table: {
          CatalogId: local.accounts.producer,
          DatabaseName: product.database,
          Name: other.table,
        },
      },
      Permissions: ['SELECT' as const],
    };
    await lakeFormation.send(new GrantPermissionsCommand(outside));
    const outsideOnly = {
      table: `${product.database}.${other.table}`,
      permissions: ['SELECT'],
    };

    // The dataset first, then its product: the product's grant finds the dataset's
    // table already held and grants the rest only (DESCRIBE alone on the other).
    const datasetSub = await subscribe(dataset.listingId!);
    const productSub = await subscribe(product.listingId!);
    expect(onProduct(await producerPermissions())).toEqual(all);

    // The product goes: the dataset's table stays, so does the outside SELECT, and
    // Lake Formation still answers.
    await revoke(productSub);
    expect(onProduct(await producerPermissions())).toEqual(
      [
        {
          table: `${product.database}.${dataset.table}`,
          permissions: ['DESCRIBE', 'SELECT'],
        },
        outsideOnly,
      ].sort((a, b) => a.table.localeCompare(b.table)),
    );

    // Subscribed again and revoked the other way round.
    const productAgain = await subscribe(product.listingId!);
    expect(onProduct(await producerPermissions())).toEqual(all);
    await revoke(datasetSub);
    expect(onProduct(await producerPermissions())).toEqual(all);
    await revoke(productAgain);
    expect(onProduct(await producerPermissions())).toEqual([outsideOnly]);
    await lakeFormation.send(new RevokePermissionsCommand(outside));
    lakeFormation.destroy();
    expect(await producerPermissions()).toEqual(before);
  });
});

describe('a data source run against moto', () => {
  it('turns a new Glue table into a searchable, published asset with its columns', async () => {
    const demo = local.demo!;
    const sales = demo.projects.sales;
    const credentials = await assumeRole(
      local.endpoint,
      local.region,
      PRODUCER_ROLE_ARN,
      'workflow-test',
    );
    const glue = new GlueClient({ ...local.clientConfig(), credentials });
    await glue.send(
      new CreateTableCommand({
        DatabaseName: 'sales_store_sales',
        TableInput: {
          Name: 'store_promotions',
          Description: 'Promotions run in stores.',
          StorageDescriptor: {
            Columns: [
              { Name: 'promo_id', Type: 'bigint' },
              { Name: 'store_id', Type: 'int' },
              { Name: 'discount', Type: 'decimal(5,2)' },
            ],
            Location:
              's3://retail-sales-data-products-222222222222/sales_store_sales/store_promotions/',
          },
          Parameters: { classification: 'csv' },
        },
      }),
    );
    glue.destroy();

    const source = await client.send(
      new dz.CreateDataSourceCommand({
        domainIdentifier: demo.domainId,
        projectIdentifier: sales.id,
        environmentIdentifier: sales.environmentId,
        name: 'Store sales catalog',
        type: 'GLUE',
        publishOnImport: true,
        configuration: {
          glueRunConfiguration: {
            relationalFilterConfigurations: [
              {
                databaseName: 'sales_store_sales',
                filterExpressions: [
                  { type: 'INCLUDE', expression: 'store_promo*' },
                ],
              },
            ],
          },
        },
      }),
    );
    const run = await client.send(
      new dz.StartDataSourceRunCommand({
        domainIdentifier: demo.domainId,
        dataSourceIdentifier: source.id,
      }),
    );
    expect(run.status).toBe('SUCCESS');
    // The four seeded tables of the database are filtered out; the new one is added.
    expect(run.runStatisticsForAssets).toEqual({
      added: 1,
      updated: 0,
      unchanged: 0,
      skipped: 4,
      failed: 0,
    });

    const search = await client.send(
      new dz.SearchCommand({
        domainIdentifier: demo.domainId,
        searchScope: 'ASSET',
        searchText: 'store_promotions',
        additionalAttributes: ['FORMS'],
      }),
    );
    expect(search.items!.map(i => i.assetItem!.name)).toEqual([
      'store_promotions',
    ]);
    const asset = search.items![0].assetItem!;
    expect(asset.externalIdentifier).toBe(
      `arn:aws:glue:us-east-1:${local.accounts.producer}:table/sales_store_sales/store_promotions`,
    );
    const listings = await cli(
      'datazone',
      'search-listings',
      '--domain-identifier',
      demo.domainId,
      '--search-text',
      'store_promotions',
    );
    expect(listings.items.map((i: any) => i.assetListing.name)).toEqual([
      'store_promotions',
    ]);
    const got = await client.send(
      new dz.GetAssetCommand({
        domainIdentifier: demo.domainId,
        identifier: asset.identifier,
      }),
    );
    const form = JSON.parse(
      got.formsOutput!.find(f => f.formName === 'GlueTableForm')!.content!,
    );
    expect(
      form.columns.map((c: any) => `${c.columnName}:${c.dataType}`),
    ).toEqual(['promo_id:bigint', 'store_id:int', 'discount:decimal(5,2)']);
  });
});

describe('lineage from the AWS CLI', () => {
  it('posts a raw OpenLineage run event and walks to the upstream nodes it names', async () => {
    const demo = local.demo!;
    const producer = local.accounts.producer;
    const eventFile = join(dataDir, 'event.json');
    writeFileSync(
      eventFile,
      JSON.stringify({
        eventType: 'COMPLETE',
        eventTime: '2026-11-01T05:00:00Z',
        run: { runId: '0c6f7a9e-1f3b-4f43-9d1f-3f2a3c2b1a00' },
        job: { namespace: 'retail-etl', name: 'cli_test_job' },
        inputs: [
          {
            namespace: `arn:aws:glue:us-east-1:${producer}`,
            name: 'table/raw_db/in_a',
          },
          {
            namespace: `arn:aws:glue:us-east-1:${producer}`,
            name: 'table/raw_db/in_b',
          },
        ],
        outputs: [
          {
            namespace: `arn:aws:glue:us-east-1:${producer}`,
            name: 'table/curated_db/out',
          },
        ],
        producer: 'https://example.com/cli-test',
        schemaURL:
          'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      }),
    );
    const posted = await cli(
      'datazone',
      'post-lineage-event',
      '--domain-identifier',
      demo.domainId,
      '--event',
      `fileb://${eventFile}`,
    );
    expect(posted.domainId).toBe(demo.domainId);
    const out = await cli(
      'datazone',
      'get-lineage-node',
      '--domain-identifier',
      demo.domainId,
      '--identifier',
      `arn:aws:glue:us-east-1:${producer}:table/curated_db/out`,
    );
    const run = await cli(
      'datazone',
      'get-lineage-node',
      '--domain-identifier',
      demo.domainId,
      '--identifier',
      out.upstreamNodes[0].id,
    );
    const upstream = await Promise.all(
      run.upstreamNodes.map((n: any) =>
        cli(
          'datazone',
          'get-lineage-node',
          '--domain-identifier',
          demo.domainId,
          '--identifier',
          n.id,
        ),
      ),
    );
    expect(upstream.map((n: any) => n.sourceIdentifier).sort()).toEqual([
      `arn:aws:glue:us-east-1:${producer}:table/raw_db/in_a`,
      `arn:aws:glue:us-east-1:${producer}:table/raw_db/in_b`,
      'retail-etl.cli_test_job',
    ]);
  });
});

describe('the seeded demo workflows', () => {
  it('has pending requests for the owners to review and an approved subscription with its grant', async () => {
    const demo = local.demo!;
    const w = demo.workflows;
    const pending = await client.send(
      new dz.ListSubscriptionRequestsCommand({
        domainIdentifier: demo.domainId,
        approverProjectId: demo.projects.sales.id,
      }),
    );
    expect(
      pending.items!.map(i => [i.status, i.subscribedListings![0].name]),
    ).toEqual([['PENDING', 'Store sales']]);
    expect(
      w.subscriptions.pending.map(p => `${p.project}→${p.product}`),
    ).toEqual(['marketing→store-sales', 'supplyChain→customer-accounts']);
    const grants = await client.send(
      new dz.ListSubscriptionGrantsCommand({
        domainIdentifier: demo.domainId,
        subscriptionId: w.subscriptions.approved[0].subscriptionId,
      }),
    );
    expect(grants.items!.map(g => g.status)).toEqual(['COMPLETED']);
    expect(new Set(grants.items![0].assets!.map(a => a.status))).toEqual(
      new Set(['GRANTED']),
    );
  });

  it('has lineage three levels deep from the dashboard back to raw files', async () => {
    const demo = local.demo!;
    const get = (identifier: string) =>
      client.send(
        new dz.GetLineageNodeCommand({
          domainIdentifier: demo.domainId,
          identifier,
        }),
      );
    /** The datasets one job run upstream of a dataset node. */
    const upstreamDatasets = async (node: dz.GetLineageNodeOutput) => {
      const run = await get(node.upstreamNodes![0].id!);
      const nodes = await Promise.all(run.upstreamNodes!.map(n => get(n.id!)));
      return nodes.filter(n => n.typeName!.endsWith('DatasetNodeType'));
    };
    const dashboard = await get(
      demo.workflows.lineage.dashboardSourceIdentifier,
    );
    const aggregate = (await upstreamDatasets(dashboard)).find(
      n => n.name === 'time_dim',
    )!;
    expect(aggregate.sourceIdentifier).toMatch(
      /table\/marketing_campaigns\/time_dim$/,
    );
    const curated = (await upstreamDatasets(aggregate)).find(
      n => n.name === 'store_sales',
    )!;
    expect(curated.sourceIdentifier).toMatch(
      /table\/sales_store_sales\/store_sales$/,
    );
    const raw = await upstreamDatasets(curated);
    expect(raw.map(n => n.sourceIdentifier).sort()).toEqual([
      's3://retail-sales-data-products-222222222222/raw/pos/store_returns',
      's3://retail-sales-data-products-222222222222/raw/pos/store_sales',
    ]);
    // Two daily runs: the history shows both.
    const history = await client.send(
      new dz.ListLineageNodeHistoryCommand({
        domainIdentifier: demo.domainId,
        identifier: curated.id!,
      }),
    );
    expect(history.nodes!.length).toBeGreaterThanOrEqual(2);
  });

  it('has data-quality history in the past: passing, failing and stale products', async () => {
    const demo = local.demo!;
    const newest = async (key: string) => {
      const asset = demo.dataProducts.find(p => p.key === key)!.assets[0];
      const page = await client.send(
        new dz.ListTimeSeriesDataPointsCommand({
          domainIdentifier: demo.domainId,
          entityIdentifier: asset.assetId,
          entityType: 'ASSET',
          formName: 'DataQualityResultForm',
          maxResults: 50,
        }),
      );
      const items = page.items!;
      const last = items[items.length - 1];
      return {
        count: items.length,
        ageDays: Math.floor(
          (Date.now() - last.timestamp!.getTime()) / 86_400_000,
        ),
        status: JSON.parse(last.contentSummary!).evaluations[0].status,
      };
    };
    expect(await newest('order-history')).toEqual({
      count: 30,
      ageDays: 0,
      status: 'PASS',
    });
    expect(await newest('web-sales')).toEqual({
      count: 30,
      ageDays: 0,
      status: 'FAIL',
    });
    expect(await newest('inventory')).toEqual({
      count: 30,
      ageDays: 12,
      status: 'PASS',
    });
    expect(await newest('store-sales')).toEqual({
      count: 30,
      ageDays: 5,
      status: 'PASS',
    });
  });

  it('has QuickSight users for the demo people and dashboards on products', async () => {
    const demo = local.demo!;
    const qs = await cli(
      'quicksight',
      'describe-dashboard',
      '--aws-account-id',
      local.accounts.governance,
      '--dashboard-id',
      'store-sales-overview',
    );
    expect(qs.Dashboard.Version.DataSetArns).toEqual(
      demo.workflows.quickSight.dataSets
        .filter(d => d.product === 'store-sales')
        .map(d => d.arn),
    );
    const user = await cli(
      'quicksight',
      'describe-user',
      '--aws-account-id',
      local.accounts.governance,
      '--namespace',
      'default',
      '--user-name',
      'bob@retail.example',
    );
    expect(user.User.Email).toBe('bob@retail.example');
    // Owners (allowed to change the permissions) and viewers, as seeded.
    const permissions = await cli(
      'quicksight',
      'describe-dashboard-permissions',
      '--aws-account-id',
      local.accounts.governance,
      '--dashboard-id',
      'store-sales-overview',
    );
    const users = demo.workflows.quickSight.users;
    expect(
      permissions.Permissions.map(
        (p: { Principal: string; Actions: string[] }) => [
          p.Principal,
          p.Actions.includes('quicksight:UpdateDashboardPermissions'),
        ],
      ),
    ).toEqual(
      [
        [users.alice, true],
        [users.bob, false],
        [users.dan, false],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });
});
