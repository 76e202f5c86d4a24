/*
 * SLO evaluation benchmark (see README, "SLOs" → "Benchmark").
 *
 *   source scripts/toolchain.sh
 *   node -r @backstage/cli/config/nodeTransform.cjs plugins/data-mesh-backend/scripts/slo-benchmark.ts \
 *     [--datasets 20] [--requests 200] [--concurrency 1] [--target-ms 300]
 *
 * Starts a local AWS (seeded demo mesh, no fault rules: zero added latency) and a
 * backend with the data-mesh plugin in this process (`startTestBackend`, SQLite in
 * memory, mock sign-in tokens). In the local AWS it builds one data product of
 * `--datasets` datasets, as the DataZone provider would see it:
 *
 *   - producer account: an S3 bucket and a Glue database with one table per dataset
 *     (location in the bucket, 12 objects each; every other table partitioned by a
 *     `dt` date column with 60 daily partitions; `recordCount`);
 *   - DataZone (demo domain): one Glue table asset per table, with 30 days of daily
 *     data-quality results (row count and completeness of the key column; some fail);
 *   - the catalog: a `System` (data product) with `hasPart` to one dataset `API` per
 *     table, each with the Glue/DataZone annotations and an ODCS contract with five
 *     SLA properties (latency on the partition column, frequency, retention,
 *     availability, timeOfAvailability) and two quality rules.
 *
 * Then, as one signed-in user over loopback (`fetch`, in this process):
 *   1. cold: the first `GET /api/data-mesh/slo/system/default/<product>` (empty
 *      signal caches, first SLO history rows written);
 *   2. warm: `--requests` more, `--concurrency` at a time, within the 60 s cache life.
 * Prints the cold time, p50/p95/max of the warm requests, whether p95 ≤ `--target-ms`,
 * the AWS calls each phase made (local AWS counters) and a JSON line.
 */
import * as dzSdk from '@aws-sdk/client-datazone';
import * as glueSdk from '@aws-sdk/client-glue';
import * as s3Sdk from '@aws-sdk/client-s3';
import * as stsSdk from '@aws-sdk/client-sts';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  DUMMY_CREDENTIALS,
  GLUE_TABLE_ASSET_TYPE,
  PRODUCER_ROLE_ARN,
  PRODUCER_ROLE_NAME,
  startLocalAws,
} from '@data-mesh-portal/local-aws';
import * as common from '@data-mesh-portal/plugin-data-mesh-common';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import * as fixtures from '../src/__testUtils__/fixtures';
import { arg, installJestShim, percentile } from './benchmarkUtils';

const DAY = 86_400_000;
const DATABASE = 'slo_bench';
const BUCKET = 'slo-bench-data';
const PRODUCT = 'slo-bench-product';
/** The DataZone managed form type of data-quality results. */
const DATA_QUALITY_FORM_TYPE = 'amazon.datazone.DataQualityResultFormType';


const machine = () => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  loadavg: os.loadavg().map(n => Number(n.toFixed(2))),
  freeMemGb: Number((os.freemem() / 2 ** 30).toFixed(1)),
});

const tableName = (i: number) => `bench_table_${String(i).padStart(2, '0')}`;
const datasetName = (i: number) => `slo-bench-dataset-${i}`;

function contract(table: string, partitioned: boolean) {
  return stringify({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `slo-bench-${table}`,
    name: table,
    version: '1.0.0',
    status: 'active',
    schema: [
      {
        name: table,
        physicalName: table,
        physicalType: 'table',
        properties: [
          {
            name: 'id',
            physicalType: 'bigint',
            quality: [{ type: 'library', metric: 'nullValues', mustBe: 0 }],
          },
          { name: 'amount', physicalType: 'double' },
          ...(partitioned ? [{ name: 'dt', physicalType: 'string' }] : []),
        ],
        quality: [
          {
            name: `${table}_row_count`,
            type: 'library',
            metric: 'rowCount',
            mustBeGreaterThan: 0,
          },
        ],
      },
    ],
    slaProperties: [
      {
        property: 'latency',
        value: 2,
        unit: 'd',
        element: partitioned ? `${table}.dt` : table,
      },
      { property: 'frequency', value: 1, unit: 'd', element: table },
      { property: 'retention', value: 30, unit: 'd' },
      { property: 'availability', value: '99.5%' },
      { property: 'timeOfAvailability', value: '06:00+00:00' },
    ],
  });
}

async function main() {
  const datasets = arg('datasets', 20);
  const requests = arg('requests', 200);
  const concurrency = Math.max(1, arg('concurrency', 1));
  const targetMs = arg('target-ms', 300);

  installJestShim();
  const before = machine();
  const t0 = performance.now();
  const local = await startLocalAws({ seed: true, persist: false });
  const demo = local.demo!;
  // The credentials manager's STS role assumption reads the endpoint from the environment.
  process.env.AWS_ENDPOINT_URL = local.endpoint;
  console.error(
    `local AWS up in ${Math.round(performance.now() - t0)} ms at ${
      local.endpoint
    } (no fault rules: zero added latency)`,
  );

  let started:
    | Awaited<ReturnType<typeof fixtures.startDataMeshBackend>>
    | undefined;
  try {
    // --- The product's data in the producer account.
    const t1 = performance.now();
    const sts = new stsSdk.STSClient(local.clientConfig());
    const assumed = await sts.send(
      new stsSdk.AssumeRoleCommand({
        RoleArn: PRODUCER_ROLE_ARN,
        RoleSessionName: 'slo-benchmark',
      }),
    );
    sts.destroy();
    const producer = {
      ...local.clientConfig(),
      credentials: {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken,
      },
    };
    const s3 = new s3Sdk.S3Client(producer);
    const glue = new glueSdk.GlueClient(producer);
    await s3.send(new s3Sdk.CreateBucketCommand({ Bucket: BUCKET }));
    await glue.send(
      new glueSdk.CreateDatabaseCommand({ DatabaseInput: { Name: DATABASE } }),
    );
    const now = Date.now();
    const day = (ago: number) =>
      new Date(now - ago * DAY).toISOString().slice(0, 10);
    for (let i = 0; i < datasets; i++) {
      const table = tableName(i);
      const partitioned = i % 2 === 0;
      const location = `s3://${BUCKET}/${DATABASE}/${table}/`;
      await glue.send(
        new glueSdk.CreateTableCommand({
          DatabaseName: DATABASE,
          TableInput: {
            Name: table,
            Parameters: {
              recordCount: String(1000 * (i + 1)),
              classification: 'parquet',
            },
            PartitionKeys: partitioned ? [{ Name: 'dt', Type: 'string' }] : [],
            StorageDescriptor: {
              Location: location,
              Columns: [
                { Name: 'id', Type: 'bigint' },
                { Name: 'amount', Type: 'double' },
              ],
            },
          },
        }),
      );
      if (partitioned) {
        await glue.send(
          new glueSdk.BatchCreatePartitionCommand({
            DatabaseName: DATABASE,
            TableName: table,
            PartitionInputList: Array.from({ length: 60 }, (_, d) => ({
              Values: [day(d)],
              StorageDescriptor: { Location: `${location}dt=${day(d)}/` },
            })),
          }),
        );
      }
      for (let o = 0; o < 12; o++) {
        await s3.send(
          new s3Sdk.PutObjectCommand({
            Bucket: BUCKET,
            Key: `${DATABASE}/${table}/part-${o}.parquet`,
            Body: `bench ${table} ${o}`,
          }),
        );
      }
    }
    s3.destroy();
    glue.destroy();

    // --- DataZone: one asset per table, 30 days of data-quality results.
    const dz = new dzSdk.DataZoneClient(local.clientConfig());
    const project = demo.projects.sales.id;
    const assetIds: string[] = [];
    for (let i = 0; i < datasets; i++) {
      const table = tableName(i);
      const tableArn = `arn:aws:glue:${local.region}:${demo.accounts.producer}:table/${DATABASE}/${table}`;
      const asset = await dz.send(
        new dzSdk.CreateAssetCommand({
          domainIdentifier: demo.domainId,
          owningProjectIdentifier: project,
          name: table,
          typeIdentifier: GLUE_TABLE_ASSET_TYPE,
          externalIdentifier: tableArn,
          formsInput: [
            {
              formName: 'GlueTableForm',
              content: JSON.stringify({
                catalogId: demo.accounts.producer,
                region: local.region,
                tableArn,
                tableName: table,
                columns: [
                  { columnName: 'id', dataType: 'bigint' },
                  { columnName: 'amount', dataType: 'double' },
                ],
              }),
            },
          ],
          clientToken: `slo-bench-asset-${table}`,
        }),
      );
      assetIds.push(asset.id!);
      await dz.send(
        new dzSdk.PostTimeSeriesDataPointsCommand({
          domainIdentifier: demo.domainId,
          entityIdentifier: asset.id!,
          entityType: 'ASSET',
          forms: Array.from({ length: 30 }, (_, d) => {
            // A mix: every fifth table failed its row count twice in the month.
            const failed = i % 5 === 0 && (d === 3 || d === 17);
            return {
              formName: 'DataQualityResultForm',
              typeIdentifier: DATA_QUALITY_FORM_TYPE,
              timestamp: new Date(now - 2 * 3_600_000 - d * DAY),
              content: JSON.stringify({
                evaluationsCount: 2,
                passingPercentage: failed ? 50 : 100,
                evaluations: [
                  {
                    types: ['RowCount'],
                    description: `${table}_row_count: never empty`,
                    applicableFields: [],
                    status: failed ? 'FAIL' : 'PASS',
                  },
                  {
                    types: ['IsComplete'],
                    description: 'IsComplete "id"',
                    applicableFields: ['id'],
                    status: 'PASS',
                  },
                ],
              }),
            };
          }),
          clientToken: `slo-bench-quality-${table}`,
        }),
      );
    }
    dz.destroy();

    // --- The catalog: the product and its datasets.
    const owner = 'group:default/sales-domain';
    const datasetEntities = Array.from({ length: datasets }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name: datasetName(i),
        namespace: 'default',
        title: tableName(i),
        annotations: {
          [common.ANNOTATION_GLUE_DATABASE]: DATABASE,
          [common.ANNOTATION_GLUE_TABLE]: tableName(i),
          [common.ANNOTATION_AWS_ACCOUNT_ID]: demo.accounts.producer,
          [common.ANNOTATION_AWS_REGION]: local.region,
          [common.ANNOTATION_DATAZONE_DOMAIN_ID]: demo.domainId,
          [common.ANNOTATION_DATAZONE_ASSET_ID]: assetIds[i],
        },
      },
      spec: {
        type: 'dataset',
        lifecycle: 'production',
        owner,
        system: PRODUCT,
        definition: contract(tableName(i), i % 2 === 0),
      },
      relations: [
        { type: 'ownedBy', targetRef: owner },
        { type: 'partOf', targetRef: `system:default/${PRODUCT}` },
      ],
    }));
    const product = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: PRODUCT,
        namespace: 'default',
        title: 'SLO benchmark product',
      },
      spec: { type: 'data-product', owner },
      relations: [
        { type: 'ownedBy', targetRef: owner },
        ...datasetEntities.map(e => ({
          type: 'hasPart',
          targetRef: `api:default/${e.metadata.name}`,
        })),
      ],
    };
    const setupMs = performance.now() - t1;

    started = await fixtures.startDataMeshBackend({
      entities: [product, ...datasetEntities] as any,
      endpoint: local.endpoint,
      producerAccount: demo.accounts.producer,
      producerRoleName: PRODUCER_ROLE_NAME,
      accessKeyId: DUMMY_CREDENTIALS.accessKeyId,
      secretAccessKey: DUMMY_CREDENTIALS.secretAccessKey,
      notifications: { send: (async () => {}) as any },
    });
    const address = started.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const url = `http://127.0.0.1:${port}/api/data-mesh/slo/system/default/${PRODUCT}`;
    const authorization = mockCredentials.user.header('user:default/bob');

    const awsCalls = () => {
      const snapshot = local.counters();
      let total = 0;
      const byOperation: Record<string, number> = {};
      for (const [service, operations] of Object.entries(snapshot.services)) {
        for (const [operation, count] of Object.entries(operations)) {
          total += count.calls;
          byOperation[`${service}:${operation}`] = count.calls;
        }
      }
      return { total, byOperation };
    };
    const diff = (a: Record<string, number>, b: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(b)
          .map(([k, v]) => [k, v - (a[k] ?? 0)] as const)
          .filter(([, v]) => v > 0),
      );

    const get = async () => {
      const begin = performance.now();
      const res = await fetch(url, { headers: { authorization } });
      const body = (await res.json()) as common.SloReport;
      const ms = performance.now() - begin;
      if (res.status !== 200)
        throw new Error(`SLO request: ${res.status} ${JSON.stringify(body)}`);
      return { ms, body };
    };

    // 1. Cold: nothing cached.
    const beforeCold = awsCalls();
    const cold = await get();
    const afterCold = awsCalls();
    const report = cold.body;
    if (
      report.contracts.length !== datasets ||
      report.contractState !== 'valid'
    ) {
      throw new Error(
        `expected ${datasets} valid contracts, got ${report.contracts.length} (${report.contractState})`,
      );
    }

    // 2. Warm: `requests` more within the cache life.
    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const warmBegin = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next++;
          try {
            latencies.push((await get()).ms);
          } catch (error) {
            errors++;
            if (errors <= 3) console.error(`warm request failed: ${error}`);
          }
        }
      }),
    );
    const warmWallMs = performance.now() - warmBegin;
    const afterWarm = awsCalls();
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    const max = sorted[sorted.length - 1] ?? NaN;
    const after = machine();

    const byProperty: Record<string, Record<string, number>> = {};
    for (const objective of report.objectives) {
      const counts = (byProperty[objective.property] ??= {});
      counts[objective.status] = (counts[objective.status] ?? 0) + 1;
    }
    const summary = {
      date: new Date().toISOString(),
      node: process.version,
      machineBefore: before,
      machineAfter: after,
      datasets,
      objectives: report.objectives.length,
      statuses: report.summary,
      statusesByProperty: byProperty,
      setupMs: Math.round(setupMs),
      cold: {
        ms: Number(cold.ms.toFixed(1)),
        awsCalls: afterCold.total - beforeCold.total,
        byOperation: diff(beforeCold.byOperation, afterCold.byOperation),
      },
      warm: {
        requests,
        concurrency,
        errors,
        p50Ms: Number(p50.toFixed(1)),
        p95Ms: Number(p95.toFixed(1)),
        maxMs: Number(max.toFixed(1)),
        perSecond: Number(((latencies.length / warmWallMs) * 1000).toFixed(1)),
        awsCalls: afterWarm.total - afterCold.total,
      },
      target: { p95Ms: targetMs, met: errors === 0 && p95 <= targetMs },
    };
    console.log('');
    console.log(
      `SLO benchmark, ${summary.date}, Node ${process.version}, ${
        before.cpus
      } CPUs (${before.cpuModel}), load average ${before.loadavg.join(
        ' ',
      )} → ${after.loadavg.join(' ')}`,
    );
    console.log(
      `product of ${datasets} datasets: ${
        report.objectives.length
      } objectives ${JSON.stringify(report.summary)}; fixtures made in ${
        summary.setupMs
      } ms`,
    );
    console.log(`  by property: ${JSON.stringify(byProperty)}`);
    console.log(
      `cold (first request, empty caches): ${summary.cold.ms} ms, ${
        summary.cold.awsCalls
      } AWS calls ${JSON.stringify(summary.cold.byOperation)}`,
    );
    console.log(
      `warm: ${requests} requests, ${concurrency} at a time: p50 ${summary.warm.p50Ms} ms, p95 ${summary.warm.p95Ms} ms, max ${summary.warm.maxMs} ms, ${summary.warm.perSecond}/s, ${errors} errors, ${summary.warm.awsCalls} AWS calls`,
    );
    console.log(
      `target p95 ≤ ${targetMs} ms: ${summary.target.met ? 'MET' : 'NOT MET'}`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    await started?.backend.stop().catch(() => {});
    await started?.awsClients.destroy();
    await local.stop();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
