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
  S3Client,
} from '@aws-sdk/client-s3';
import {
  BackendFeature,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createDataMeshActions } from './actions';
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
import { validateDataContract } from '@data-mesh-portal/plugin-data-mesh-common';
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

  it('benchmark: wall time and AWS calls per step', async () => {
    const stats: {
      step: string;
      action: string;
      ms: number;
      awsMs: number;
      calls: string[];
    }[] = [];
    const instrumented = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'data-mesh-benchmark',
      register(reg) {
        reg.registerInit({
          deps: {
            scaffolder: scaffolderActionsExtensionPoint,
            sync: dataMeshCatalogSyncServiceRef,
          },
          async init({ scaffolder, sync }) {
            scaffolder.addActions(
              ...createDataMeshActions({ clients: env.clients, sync }).map(
                action => ({
                  ...action,
                  async handler(ctx: any) {
                    const before = env.calls.length;
                    const aws0 = env.timing.awsMs;
                    const t0 = performance.now();
                    try {
                      await action.handler(ctx);
                    } finally {
                      stats.push({
                        step: ctx.step?.id ?? '?',
                        action: action.id,
                        ms: performance.now() - t0,
                        awsMs: env.timing.awsMs - aws0,
                        calls: env.calls
                          .slice(before)
                          .map(c => `${c.service}:${c.operation}`),
                      });
                    }
                  },
                }),
              ),
            );
          },
        });
      },
    });
    // The ODCS JSON Schema is compiled once per process on first use (~0.2 s);
    // measure the steady state.
    validateDataContract({});
    const { ms } = await runTemplate(
      instrumented,
      [],
      values('bench-returns', 'Bench returns'),
    );
    const inActions = stats.reduce((sum, s) => sum + s.ms, 0);
    const inAws = stats.reduce((sum, s) => sum + s.awsMs, 0);
    const calls = stats.reduce((n, s) => n + s.calls.length, 0);
    const lines = stats.map(
      s =>
        `${s.step.padEnd(22)} ${s.action.padEnd(42)} ${s.ms
          .toFixed(0)
          .padStart(5)} ms (AWS ${s.awsMs.toFixed(0).padStart(4)} ms) ${String(
          s.calls.length,
        ).padStart(3)} calls  ${s.calls.join(' ')}`,
    );
    // eslint-disable-next-line no-console
    console.log(
      [
        `New data product template against the local AWS: ${ms} ms wall (task creation to completion, 100 ms polling), ${inActions.toFixed(
          0,
        )} ms inside data-mesh actions of which ${inAws.toFixed(
          0,
        )} ms waiting for AWS, ${calls} AWS calls`,
        ...lines,
      ].join('\n'),
    );
    // The actions' own work (validation, contract building) is small next to the AWS round trips.
    expect(inActions - inAws).toBeLessThan(Math.max(inAws, 200));
    expect(stats.map(s => s.step)).toEqual([
      'project',
      'bucket',
      'database',
      'table',
      'register',
      'lf-tags',
      'attach-lf-tags',
      'attach-table-lf-tags',
      'grant',
      'publish',
      'sync',
    ]);
    // Dry-run-free, validation-first: each step's calls are the ones it needs, no per-item polling.
    expect(
      stats.find(s => s.step === 'bucket')!.calls.length,
    ).toBeLessThanOrEqual(8);
  });
});
