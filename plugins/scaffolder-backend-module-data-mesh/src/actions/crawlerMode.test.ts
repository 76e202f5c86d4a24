import {
  DataZoneClient,
  GetDataProductCommand,
  GetListingCommand,
} from '@aws-sdk/client-datazone';
import { GetCrawlerCommand, GlueClient } from '@aws-sdk/client-glue';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ActionTestEnv,
  checkpointStore,
  expectInputError,
  runAction,
  startActionTestEnv,
} from '../__testUtils__/harness';
import { createDataZonePublishAction } from './datazone/publish';
import { createDataZoneRunDataSourceAction } from './datazone/runDataSource';
import { createGlueCreateCrawlerAction } from './glue/createCrawler';
import { createGlueCreateDatabaseAction } from './glue/createDatabase';
import { createS3CreateBucketAction } from './s3/createBucket';

jest.setTimeout(60_000);

let env: ActionTestEnv;
beforeAll(async () => {
  env = await startActionTestEnv();
});
afterAll(() => env?.stop());

/**
 * "Let the crawler infer the columns" through the actions, as the template
 * chains them: bucket → database → crawler (waited for) → data source run
 * (waited for) → publish the tables the crawler wrote.
 */
async function crawlerMode(
  productId: string,
  files: Record<string, string>,
  run = 1,
) {
  const clients = env.clients;
  const demo = env.local.demo!;
  // One task per product and run: client tokens differ between tasks.
  const task = { taskId: `task-${productId}-${run}` };
  const database = productId.replace(/-/g, '_');
  const bucket = await runAction(
    createS3CreateBucketAction({ clients }),
    {
      ...env.producer,
      bucketName: `dmp-${productId}-${env.producer.accountId}`,
      owner: 'group:default/sales-domain',
      domain: 'Sales',
      product: productId,
    },
    task,
  );
  const s3 = await clients.getClient(S3Client, env.producer);
  for (const [key, body] of Object.entries(files)) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket.bucketName,
        Key: `${database}/${key}`,
        Body: body,
      }),
    );
  }
  await runAction(
    createGlueCreateDatabaseAction({ clients }),
    {
      ...env.producer,
      databaseName: database,
      locationUri: `${bucket.location}${database}/`,
    },
    task,
  );
  const crawler = await runAction(
    createGlueCreateCrawlerAction({ clients }),
    {
      ...env.producer,
      crawlerName: `dmp-${productId}`,
      roleArn: `arn:aws:iam::${env.producer.accountId}:role/DataMeshProducerAccess`,
      databaseName: database,
      s3Targets: [`${bucket.location}${database}/`],
      waitForCrawl: true,
      pollIntervalSeconds: 1,
    },
    task,
  );
  const dataSource = await runAction(
    createDataZoneRunDataSourceAction({ clients }),
    {
      domainId: demo.domainId,
      region: env.governance.region,
      projectId: demo.projects.sales.id,
      environmentId: demo.projects.sales.environmentId,
      databaseName: database,
      dataSourceName: `dmp-${productId}`,
      waitForRun: true,
      pollIntervalSeconds: 1,
    },
    task,
  );
  const published = await runAction(
    createDataZonePublishAction({ clients }),
    {
      domainId: demo.domainId,
      region: env.governance.region,
      projectId: demo.projects.sales.id,
      productName: productId,
      glueAccountId: env.producer.accountId,
      databaseName: database,
      tables: crawler.tables,
      allowNoTables: true,
      contractDetails: { owner: 'group:default/sales-domain' },
    },
    task,
  );
  return { crawler, dataSource, published };
}

describe('crawler mode through the actions', () => {
  it('waits for the crawl, imports and publishes the tables it found', async () => {
    const { crawler, dataSource, published } = await crawlerMode(
      'crawled-returns',
      {
        'returns/part-0.csv': 'return_id,amount,store\n1,12.50,north\n',
        'return_lines/part-0.json': '{"line_id": 1, "sku": "A-1"}\n',
      },
    );
    expect(crawler).toMatchObject({
      created: true,
      started: true,
      crawlStatus: 'SUCCEEDED',
      tables: ['return_lines', 'returns'],
    });
    expect(dataSource).toMatchObject({
      runStatus: 'SUCCESS',
      runStatistics: { added: 2 },
    });
    expect(published.published).toBe(true);
    expect(published.assetIds).toHaveLength(2);
    // The assets are the ones the data source imported, not new ones.
    expect(
      published.resources
        .filter((r: any) => r.type === 'datazone-asset')
        .map((r: any) => r.status),
    ).toEqual(['existed', 'existed']);
    const dz = await env.clients.getClient(DataZoneClient, {
      region: env.governance.region,
    });
    const listing = await dz.send(
      new GetListingCommand({
        domainIdentifier: env.local.demo!.domainId,
        identifier: published.listingId,
      }),
    );
    expect(listing.status).toBe('ACTIVE');
  });

  it('with no files yet: 0 tables, and the product is created without datasets, unpublished', async () => {
    const { crawler, dataSource, published } = await crawlerMode(
      'crawled-empty',
      {},
    );
    expect(crawler).toMatchObject({ crawlStatus: 'SUCCEEDED', tables: [] });
    expect(dataSource).toMatchObject({
      runStatus: 'SUCCESS',
      runStatistics: { added: 0 },
    });
    expect(published).toMatchObject({ published: false, assetIds: [] });
    expect(published.listingId).toBeUndefined();
    const dz = await env.clients.getClient(DataZoneClient, {
      region: env.governance.region,
    });
    const product = await dz.send(
      new GetDataProductCommand({
        domainIdentifier: env.local.demo!.domainId,
        identifier: published.dataProductId,
      }),
    );
    expect(product.items ?? []).toEqual([]);
    expect(product.formsOutput?.map(f => f.typeName)).toContain(
      'DataMeshPortalDataContract',
    );
  });

  it('running the template again once the files are there adds the datasets to that product and publishes it', async () => {
    const first = await crawlerMode('crawled-later', {});
    expect(first.published).toMatchObject({ published: false, assetIds: [] });

    const second = await crawlerMode(
      'crawled-later',
      { 'refunds/part-0.csv': 'refund_id,amount\n1,3.20\n' },
      2,
    );
    expect(second.crawler).toMatchObject({
      created: false,
      tables: ['refunds'],
    });
    expect(second.published).toMatchObject({
      published: true,
      dataProductId: first.published.dataProductId,
      contractId: first.published.contractId,
    });
    expect(
      second.published.resources.find(
        (r: any) => r.type === 'datazone-data-product',
      ),
    ).toMatchObject({ status: 'updated' });
    const dz = await env.clients.getClient(DataZoneClient, {
      region: env.governance.region,
    });
    const product = await dz.send(
      new GetDataProductCommand({
        domainIdentifier: env.local.demo!.domainId,
        identifier: first.published.dataProductId,
      }),
    );
    expect(product.revision).toBe('2');
    expect(product.items?.map(i => i.identifier)).toEqual(
      second.published.assetIds,
    );
    const listing = await dz.send(
      new GetListingCommand({
        domainIdentifier: env.local.demo!.domainId,
        identifier: second.published.listingId,
      }),
    );
    expect(listing.status).toBe('ACTIVE');

    // A third run finds everything in place and changes nothing.
    const third = await crawlerMode('crawled-later', {}, 3);
    expect(
      third.published.resources.find(
        (r: any) => r.type === 'datazone-data-product',
      ),
    ).toMatchObject({ status: 'existed' });
  });

  it('publish still refuses no tables unless told that a product without datasets is intended', async () => {
    await expectInputError(
      runAction(createDataZonePublishAction({ clients: env.clients }), {
        domainId: env.local.demo!.domainId,
        region: env.governance.region,
        projectId: env.local.demo!.projects.sales.id,
        productName: 'Nothing',
        glueAccountId: env.producer.accountId,
        databaseName: 'crawled_empty',
        tables: [],
        contractDetails: { owner: 'group:default/sales-domain' },
      }),
      /tables: a data product needs at least one dataset/,
    );
  });

  it('a retried task waits for the same crawl and does not start another', async () => {
    const action = createGlueCreateCrawlerAction({ clients: env.clients });
    const checkpoints = checkpointStore();
    const input = {
      ...env.producer,
      crawlerName: 'dmp-crawled-returns',
      roleArn: `arn:aws:iam::${env.producer.accountId}:role/DataMeshProducerAccess`,
      databaseName: 'crawled_returns',
      s3Targets: [
        `s3://dmp-crawled-returns-${env.producer.accountId}/crawled_returns/`,
      ],
      waitForCrawl: true,
      pollIntervalSeconds: 1,
    };
    env.sent.clear();
    const first = await runAction(action, input, { checkpoints });
    const again = await runAction(action, input, { checkpoints });
    // The crawler existed (the first test made it): its earlier crawl is not taken for ours.
    expect(first).toMatchObject({ created: false, crawlStatus: 'SUCCEEDED' });
    expect(again.tables).toEqual(first.tables);
    expect(env.sent.get('StartCrawlerCommand')).toBe(1);
  });

  it('fails with a timeout naming the crawler when the crawl does not finish in time', async () => {
    const glue = await env.clients.getClient(GlueClient, env.producer);
    // The crawl never ends: every GetCrawler answers RUNNING.
    glue.middlewareStack.add(
      next => async args => {
        const result: any = await next(args);
        if (args.input && (args.input as any).Name === 'dmp-crawled-empty') {
          if (result.output?.Crawler) result.output.Crawler.State = 'RUNNING';
        }
        return result;
      },
      { step: 'initialize', name: 'crawlNeverEnds' },
    );
    try {
      const error = await runAction(
        createGlueCreateCrawlerAction({ clients: env.clients }),
        {
          ...env.producer,
          crawlerName: 'dmp-crawled-empty',
          roleArn: `arn:aws:iam::${env.producer.accountId}:role/DataMeshProducerAccess`,
          databaseName: 'crawled_empty',
          s3Targets: [
            `s3://dmp-crawled-empty-${env.producer.accountId}/crawled_empty/`,
          ],
          waitForCrawl: true,
          waitTimeoutSeconds: 2,
          pollIntervalSeconds: 1,
        },
        { taskId: 'timeout-task' },
      ).then(
        () => undefined,
        e => e,
      );
      expect(error?.message).toMatch(
        /Timed out after \d+ s waiting for Glue crawler dmp-crawled-empty to finish \(last state RUNNING; the limit is 2 s\)/,
      );
      expect(error?.message).toMatch(/What exists after this failure/);
    } finally {
      glue.middlewareStack.remove('crawlNeverEnds');
    }
    const crawler = await glue.send(
      new GetCrawlerCommand({ Name: 'dmp-crawled-empty' }),
    );
    expect(crawler.Crawler?.State).toBe('READY');
  });

  it('fails naming the crawler when its crawl fails', async () => {
    const error = await runAction(
      createGlueCreateCrawlerAction({ clients: env.clients }),
      {
        ...env.producer,
        crawlerName: 'dmp-no-bucket',
        roleArn: `arn:aws:iam::${env.producer.accountId}:role/DataMeshProducerAccess`,
        databaseName: 'crawled_empty',
        s3Targets: ['s3://dmp-no-such-bucket-anywhere/x/'],
        waitForCrawl: true,
        pollIntervalSeconds: 1,
      },
    ).then(
      () => undefined,
      e => e,
    );
    expect(error?.message).toMatch(
      /Glue crawler dmp-no-bucket's crawl ended FAILED: /,
    );
  });

  it('refuses to wait for a crawl it does not start', async () => {
    await expectInputError(
      runAction(createGlueCreateCrawlerAction({ clients: env.clients }), {
        ...env.producer,
        crawlerName: 'dmp-x',
        roleArn: `arn:aws:iam::${env.producer.accountId}:role/DataMeshProducerAccess`,
        databaseName: 'crawled_empty',
        s3Targets: ['s3://b/x/'],
        start: false,
        waitForCrawl: true,
      }),
      /waitForCrawl: waits for the crawl this step starts/,
    );
  });
});
