import { DataZoneClient, GetListingCommand } from '@aws-sdk/client-datazone';
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  LakeFormationClient,
  ListPermissionsCommand,
} from '@aws-sdk/client-lakeformation';
import {
  GetBucketEncryptionCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import request from 'supertest';
import { ActionTestEnv, startActionTestEnv } from './__testUtils__/harness';
import {
  SyncRequest,
  catalogEntities,
  columnsValues,
  crawlerValues,
  startTemplateBackend,
  uploadBeforehand,
} from './__testUtils__/template';
import { scaffolderModuleDataMesh } from './module';

jest.setTimeout(120_000);

let env: ActionTestEnv;
let backend: Awaited<ReturnType<typeof startTemplateBackend>>;
const synced: SyncRequest[] = [];
beforeAll(async () => {
  env = await startActionTestEnv();
  backend = await startTemplateBackend(env, scaffolderModuleDataMesh, synced);
});
afterAll(async () => {
  await backend?.stop();
  await env?.stop();
});
beforeEach(() => {
  synced.length = 0;
});

const values = (productId: string, productName: string) =>
  columnsValues(env, productId, productName);

describe('the New data product template, end to end through the scaffolder', () => {
  it('provisions storage, catalog, permissions and the DataZone listing, then syncs the product', async () => {
    const { log, output } = await backend.run(
      values('store-returns', 'Store returns'),
    );
    {
      const demo = env.local.demo!;
      const s3 = await env.clients.getClient(S3Client, env.producer);
      const bucket = `dmp-store-returns-${env.producer.accountId}`;
      const enc = await s3.send(
        new GetBucketEncryptionCommand({ Bucket: bucket }),
      );
      expect(
        enc.ServerSideEncryptionConfiguration?.Rules?.[0]
          .ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
      ).toBe('aws:kms');
      const pab = await s3.send(
        new GetPublicAccessBlockCommand({ Bucket: bucket }),
      );
      expect(pab.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      expect(
        (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket })))
          .Status,
      ).toBe('Enabled');

      const glue = await env.clients.getClient(GlueClient, env.producer);
      const table = await glue.send(
        new GetTableCommand({
          DatabaseName: 'store_returns',
          Name: 'store_returns',
        }),
      );
      expect(
        table.Table?.StorageDescriptor?.Columns?.map(
          c => `${c.Name}:${c.Type}`,
        ),
      ).toEqual([
        'return_id:bigint',
        'amount:decimal(12,2)',
        'returned_at:timestamp',
      ]);
      expect(table.Table?.StorageDescriptor?.Location).toBe(
        `s3://${bucket}/store_returns/store_returns/`,
      );

      // Granted to whom: the sales project's environment role, and nothing more.
      const teamRole = `arn:aws:iam::${env.producer.accountId}:role/datazone_usr_${demo.projects.sales.environmentId}`;
      const lf = await env.clients.getClient(LakeFormationClient, env.producer);
      const onTable = await lf.send(
        new ListPermissionsCommand({
          Resource: {
            Table: { DatabaseName: 'store_returns', Name: 'store_returns' },
          },
        }),
      );
      expect(
        (onTable.PrincipalResourcePermissions ?? []).map(
          p =>
            `${p.Principal?.DataLakePrincipalIdentifier} ${[
              ...(p.Permissions ?? []),
            ]
              .sort()
              .join('+')}`,
        ),
      ).toEqual([`${teamRole} DESCRIBE+SELECT`]);
      const onDb = await lf.send(
        new ListPermissionsCommand({
          Resource: { Database: { Name: 'store_returns' } },
        }),
      );
      expect(
        (onDb.PrincipalResourcePermissions ?? []).map(
          p =>
            `${p.Principal?.DataLakePrincipalIdentifier} ${p.Permissions?.join(
              '+',
            )}`,
        ),
      ).toEqual([`${teamRole} DESCRIBE`]);

      const dz = await env.clients.getClient(DataZoneClient, {
        region: env.governance.region,
      });
      const productLink = output.links.find(
        (l: any) => l.title === 'Open the data product',
      );
      expect(synced).toHaveLength(1);
      expect(productLink.entityRef).toBe(
        `system:default/synced-${synced[0].dataProductId}`,
      );
      const product =
        env.local.dataZone.store.state.dataProducts[synced[0].dataProductId];
      expect(product.owningProjectId).toBe(demo.projects.sales.id);
      const listingId = product.listing?.listingId;
      const listing = await dz.send(
        new GetListingCommand({
          domainIdentifier: demo.domainId,
          identifier: listingId!,
        }),
      );
      expect(listing.status).toBe('ACTIVE');
      expect(listing.name).toBe('Store returns');
      expect(log).toMatch(/Published data product/);
    }
  });

  it('in crawler mode waits for the crawl, imports the tables it found and publishes them', async () => {
    const demo = env.local.demo!;
    await uploadBeforehand(env, 'crawled-sales', {
      'sales/part-0.csv': 'sale_id,amount,sold_at\n1,9.99,2026-01-02\n',
    });
    const { output, log } = await backend.run(
      crawlerValues(env, 'crawled-sales', 'Crawled sales'),
    );
    const text = output.text[0].content;
    expect(text).toMatch(
      /The crawler dmp-crawled-sales found 1 table\(s\): sales; the DataZone data source \S+ imported 1 new asset\(s\)\./,
    );
    expect(text).toMatch(
      /Data product \S+ is published \(listing \S+\) with 1 dataset\(s\)/,
    );
    expect(log).toMatch(/Crawler dmp-crawled-sales finished \(SUCCEEDED/);
    expect(synced).toHaveLength(1);
    const product =
      env.local.dataZone.store.state.dataProducts[synced[0].dataProductId];
    expect(product.listing?.listingStatus).toBe('ACTIVE');
    const teamRole = `arn:aws:iam::${env.producer.accountId}:role/datazone_usr_${demo.projects.sales.environmentId}`;
    const lf = await env.clients.getClient(LakeFormationClient, env.producer);
    const onTable = await lf.send(
      new ListPermissionsCommand({
        Resource: { Table: { DatabaseName: 'crawled_sales', Name: 'sales' } },
      }),
    );
    expect(
      (onTable.PrincipalResourcePermissions ?? []).map(
        p => p.Principal?.DataLakePrincipalIdentifier,
      ),
    ).toEqual([teamRole]);
  });

  it('in crawler mode with no files yet says the crawler found 0 tables and creates the product unpublished', async () => {
    const { output } = await backend.run(
      crawlerValues(env, 'crawled-nothing', 'Crawled nothing'),
    );
    const text = output.text[0].content;
    expect(text).toMatch(
      /The crawler dmp-crawled-nothing found 0 table\(s\) \(no files it could read under s3:\/\/dmp-crawled-nothing-222222222222\/crawled_nothing\/ yet\); the DataZone data source \S+ imported 0 new asset\(s\)\./,
    );
    expect(text).toMatch(
      /Data product \S+ was created with its data contract \S+ but no datasets, so it is not published/,
    );
    expect(text).toMatch(
      /upload files there and run this template again with the same values/,
    );
    expect(synced).toHaveLength(1);
    const productId = synced[0].dataProductId;
    const product = env.local.dataZone.store.state.dataProducts[productId];
    expect(product.listing).toBeUndefined();

    // The files arrive; the same values again finish this product.
    await uploadBeforehand(env, 'crawled-nothing', {
      'visits/part-0.csv': 'visit_id,store\n1,north\n',
    });
    const again = await backend.run(
      crawlerValues(env, 'crawled-nothing', 'Crawled nothing'),
    );
    expect(again.output.text[0].content).toMatch(
      /found 1 table\(s\): visits;[\s\S]*Data product (\S+) is published \(listing \S+\) with 1 dataset\(s\)/,
    );
    expect(again.log).toMatch(/Added datasets to data product/);
    expect(synced.map(s => s.dataProductId)).toEqual([productId, productId]);
    expect(product.listing?.listingStatus).toBe('ACTIVE');
    expect(product.revisions.at(-1)?.items.length).toBe(1);
  });

  async function dryRun(input: Record<string, unknown>) {
    const before = env.calls.length;
    const response = await request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', backend.auth)
      .send({
        template: catalogEntities(env)[0],
        values: input,
        directoryContents: [],
      });
    return {
      status: response.status,
      body: response.body,
      calls: env.calls.length - before,
      log: (response.body.log ?? [])
        .map((l: any) => l.body?.message)
        .join('\n'),
    };
  }

  it('dry-runs through the scaffolder with listed columns: the form validates and no AWS call is made', async () => {
    const result = await dryRun(values('dry-returns', 'Dry returns'));
    expect([result.status, result.calls]).toEqual([200, 0]);
    expect(result.log).toMatch(
      /Dry run: would create bucket dmp-dry-returns-222222222222/,
    );
    expect(result.log).toMatch(
      /Dry run: would create Glue table dry_returns.dry_returns/,
    );
    expect(result.log).toMatch(
      /Dry run: would grant SELECT, DESCRIBE on table:dry_returns.dry_returns/,
    );
    expect(result.log).toMatch(/Dry run: would create 1 Glue table asset/);
  });

  it('dry-runs through the scaffolder with a crawler instead of columns', async () => {
    const result = await dryRun({
      ...crawlerValues(env, 'dry-crawled', 'Dry crawled'),
      crawlerSchedule: 'cron(0 5 * * ? *)',
    });
    expect([result.status, result.calls, result.body.error?.message]).toEqual([
      200,
      0,
      undefined,
    ]);
    expect(result.log).toMatch(
      /Dry run: would create Glue crawler dmp-dry-crawled/,
    );
    expect(result.log).not.toMatch(/would create Glue table/);
  });
});
