import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
  CreateBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  awsClientFactoryServiceRef,
  dataMeshCatalogSyncServiceRef,
} from '@data-mesh-portal/plugin-data-mesh-node';
import { parse as parseYaml } from 'yaml';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { ActionTestEnv, startActionTestEnv } from './__testUtils__/harness';
import { scaffolderModuleDataMesh } from './module';

jest.setTimeout(120_000);

const templatePath = resolve(
  __dirname,
  '../../../templates/new-data-product/template.yaml',
);

let env: ActionTestEnv;
beforeAll(async () => {
  env = await startActionTestEnv();
});
afterAll(() => env?.stop());

function catalogEntities(): Entity[] {
  const demo = env.local.demo!;
  const template = parseYaml(readFileSync(templatePath, 'utf8')) as Entity;
  template.metadata.namespace = 'default';
  const group = (name: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  });
  return [
    template,
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: {
        name: 'sales',
        namespace: 'default',
        title: 'Sales',
        annotations: {
          'data-mesh-portal.io/datazone-domain-id': demo.domainId,
          'data-mesh-portal.io/datazone-domain-unit-id': demo.domainUnits.sales,
        },
      },
      spec: { owner: 'group:default/sales-domain' },
    },
    group('sales-domain'),
    group('platform-team'),
  ];
}

const values = (productId: string, productName: string) => ({
  productName,
  productId,
  description: 'Items customers brought back to a store.',
  domain: 'domain:default/sales',
  owner: 'group:default/sales-domain',
  classification: 'confidential',
  datasetName: productId.replace(/-/g, '_'),
  storageFormat: 'parquet',
  schemaSource: 'columns',
  columns: [
    { name: 'return_id', type: 'bigint', description: 'Return key' },
    { name: 'amount', type: 'decimal(12,2)' },
    { name: 'returned_at', type: 'timestamp' },
  ],
  freshnessHours: 24,
  frequency: 'daily',
  completenessPercent: 99,
  availabilityPercent: 99.5,
  approverGroup: 'group:default/platform-team',
  accountId: env.producer.accountId,
  region: env.producer.region,
});

function fakeSync(synced: { domainId: string; dataProductId: string }[]) {
  return createServiceFactory({
    service: dataMeshCatalogSyncServiceRef,
    deps: {},
    factory: () => ({
      async syncDataProduct(req) {
        synced.push(req);
        return { entityRefs: [`system:default/synced-${req.dataProductId}`] };
      },
    }),
  });
}

/** Starts a backend with the scaffolder and `module`, runs the template, returns the task. */
async function runTemplate(
  module: BackendFeature,
  synced: { domainId: string; dataProductId: string }[],
  input: Record<string, unknown>,
) {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      module,
      catalogServiceMock.factory({ entities: catalogEntities() }),
      createServiceFactory({
        service: awsClientFactoryServiceRef,
        deps: {},
        factory: () => env.factory,
      }),
      fakeSync(synced),
    ],
  });
  const auth = mockCredentials.user.header('user:default/alice');
  try {
    const started = Date.now();
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', auth)
      .send({
        templateRef: 'template:default/new-data-product',
        values: input,
      });
    expect(created.status).toBe(201);
    const taskId = created.body.id;
    let task: any;
    for (let i = 0; i < 240; i++) {
      task = (
        await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${taskId}`)
          .set('Authorization', auth)
      ).body;
      if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
      await new Promise(r => setTimeout(r, 100));
    }
    const ms = Date.now() - started;
    const events = (
      await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
        .set('Authorization', auth)
    ).body;
    const log = events
      .map((e: any) => e.body?.message)
      .filter(Boolean)
      .join('\n');
    if (task.status !== 'completed') {
      throw new Error(`task ${task.status}:\n${log}`);
    }
    const output =
      events.find((e: any) => e.type === 'completion')?.body?.output ?? {};
    return { task, log, output, ms };
  } finally {
    await backend.stop();
  }
}

describe('the New data product template, end to end through the scaffolder', () => {
  it('provisions storage, catalog, permissions and the DataZone listing, then syncs the product', async () => {
    const synced: { domainId: string; dataProductId: string }[] = [];
    const { log, output } = await runTemplate(
      scaffolderModuleDataMesh,
      synced,
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

  const crawlerValues = (productId: string, productName: string) => {
    const { columns: _columns, ...rest } = values(productId, productName);
    return { ...rest, schemaSource: 'crawler', crawlerSchedule: '' };
  };

  it('in crawler mode waits for the crawl, imports the tables it found and publishes them', async () => {
    const demo = env.local.demo!;
    // Files are already there: the template accepts a bucket the account owns.
    const bucket = `dmp-crawled-sales-${env.producer.accountId}`;
    const s3 = await env.clients.getClient(S3Client, env.producer);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'crawled_sales/sales/part-0.csv',
        Body: 'sale_id,amount,sold_at\n1,9.99,2026-01-02\n',
      }),
    );
    const synced: { domainId: string; dataProductId: string }[] = [];
    const { output, log } = await runTemplate(
      scaffolderModuleDataMesh,
      synced,
      crawlerValues('crawled-sales', 'Crawled sales'),
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
    const synced: { domainId: string; dataProductId: string }[] = [];
    const { output } = await runTemplate(
      scaffolderModuleDataMesh,
      synced,
      crawlerValues('crawled-nothing', 'Crawled nothing'),
    );
    const text = output.text[0].content;
    expect(text).toMatch(
      /The crawler dmp-crawled-nothing found 0 table\(s\) \(no files it could read under s3:\/\/dmp-crawled-nothing-222222222222\/crawled_nothing\/ yet\); the DataZone data source \S+ imported 0 new asset\(s\)\./,
    );
    expect(text).toMatch(
      /Data product \S+ was created with its data contract \S+ but no datasets, so it is not published/,
    );
    expect(synced).toHaveLength(1);
    const product =
      env.local.dataZone.store.state.dataProducts[synced[0].dataProductId];
    expect(product.listing).toBeUndefined();
  });

  async function dryRun(input: Record<string, unknown>) {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleDataMesh,
        catalogServiceMock.factory({ entities: catalogEntities() }),
        createServiceFactory({
          service: awsClientFactoryServiceRef,
          deps: {},
          factory: () => env.factory,
        }),
        fakeSync([]),
      ],
    });
    try {
      const before = env.calls.length;
      const response = await request(backend.server)
        .post('/api/scaffolder/v2/dry-run')
        .set('Authorization', mockCredentials.user.header('user:default/alice'))
        .send({
          template: catalogEntities()[0],
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
    } finally {
      await backend.stop();
    }
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
    const { columns: _columns, ...input } = values(
      'dry-crawled',
      'Dry crawled',
    );
    const result = await dryRun({
      ...input,
      schemaSource: 'crawler',
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
