import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
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
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  awsClientFactoryServiceRef,
  dataMeshCatalogSyncServiceRef,
} from '@data-mesh-portal/plugin-data-mesh-node';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import type { ActionTestEnv } from './harness';

/** The New data product template, as the catalog reads it. */
export const TEMPLATE_PATH = resolve(
  __dirname,
  '../../../../templates/new-data-product/template.yaml',
);

/** The template, the Sales domain (annotated with the demo domain's ids) and the groups the form names. */
export function catalogEntities(env: ActionTestEnv): Entity[] {
  const demo = env.local.demo!;
  const template = parseYaml(readFileSync(TEMPLATE_PATH, 'utf8')) as Entity;
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

/** Form values with three listed columns. */
export function columnsValues(
  env: ActionTestEnv,
  productId: string,
  productName: string,
) {
  return {
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
  };
}

/** Form values for "let the crawler infer the columns", crawling on demand only. */
export function crawlerValues(
  env: ActionTestEnv,
  productId: string,
  productName: string,
) {
  const { columns: _columns, ...rest } = columnsValues(
    env,
    productId,
    productName,
  );
  return { ...rest, schemaSource: 'crawler', crawlerSchedule: '' };
}

/**
 * Puts files where the template's crawler will look for them
 * (`s3://dmp-<id>-<account>/<database>/…`), creating the bucket first: the
 * template accepts a bucket the account owns.
 */
export async function uploadBeforehand(
  env: ActionTestEnv,
  productId: string,
  files: Record<string, string>,
) {
  const bucket = `dmp-${productId}-${env.producer.accountId}`;
  const database = productId.replace(/-/g, '_');
  const s3 = await env.clients.getClient(S3Client, env.producer);
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(error => {
    // A second upload, after the template created the bucket.
    if (error?.name !== 'BucketAlreadyOwnedByYou') throw error;
  });
  for (const [key, body] of Object.entries(files)) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${database}/${key}`,
        Body: body,
      }),
    );
  }
}

export type SyncRequest = { domainId: string; dataProductId: string };

/** A "sync product now" service that records the calls and names the System it would show. */
export function fakeSync(synced: SyncRequest[]) {
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

/** A finished task: its status, log lines, outputs and time from creation to the end. */
export interface TemplateRun {
  task: any;
  log: string;
  output: Record<string, any>;
  ms: number;
}

/**
 * A backend with the scaffolder, `module` (the data-mesh actions), a catalog
 * holding {@link catalogEntities}, the environment's AWS client factory and a
 * {@link fakeSync}; `run` creates a task of the template as Alice and waits
 * for it to end.
 */
export async function startTemplateBackend(
  env: ActionTestEnv,
  module: BackendFeature,
  synced: SyncRequest[] = [],
) {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      module,
      catalogServiceMock.factory({ entities: catalogEntities(env) }),
      createServiceFactory({
        service: awsClientFactoryServiceRef,
        deps: {},
        factory: () => env.factory,
      }),
      fakeSync(synced),
    ],
  });
  const auth = mockCredentials.user.header('user:default/alice');
  return {
    server: backend.server,
    auth,
    synced,
    /** Runs the template; throws with the task's log unless it completed. */
    async run(
      values: Record<string, unknown>,
      options: { pollMs?: number } = {},
    ): Promise<TemplateRun> {
      const started = Date.now();
      const created = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', auth)
        .send({ templateRef: 'template:default/new-data-product', values });
      if (created.status !== 201) {
        throw new Error(
          `creating the task answered ${created.status}: ${JSON.stringify(
            created.body,
          )}`,
        );
      }
      const taskId = created.body.id;
      let task: any;
      const deadline = Date.now() + 120_000;
      for (;;) {
        task = (
          await request(backend.server)
            .get(`/api/scaffolder/v2/tasks/${taskId}`)
            .set('Authorization', auth)
        ).body;
        if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
        if (Date.now() > deadline) break;
        await new Promise(r => setTimeout(r, options.pollMs ?? 100));
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
    },
    stop: () => backend.stop(),
  };
}
