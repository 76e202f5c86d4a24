import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  CreateDomainCommand,
  DataZoneClient,
  ListDomainsCommand,
} from '@aws-sdk/client-datazone';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateDatabaseCommand,
  GetCrawlerMetricsCommand,
  GetDatabasesCommand,
  GlueClient,
} from '@aws-sdk/client-glue';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startLocalAwsServer, type LocalAwsServer } from './localAws';
import { DUMMY_CREDENTIALS, PRODUCER_ROLE_ARN } from './accounts';
import type { GapFiller } from './router';

jest.setTimeout(60_000);

let server: LocalAwsServer;
let dataDir: string;
const config = (
  credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  } = DUMMY_CREDENTIALS,
) => ({
  endpoint: server.endpoint,
  region: 'us-east-1',
  credentials,
  forcePathStyle: true,
  maxAttempts: 1,
});

const crawlerMetrics: GapFiller = {
  name: 'test crawler metrics',
  claims: r =>
    r.service === 'glue' &&
    r.headers['x-amz-target'] === 'AWSGlue.GetCrawlerMetrics',
  handle: async (_req, res, caller) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        CrawlerMetricsList: [
          { CrawlerName: `filled-for-${caller.accountId}`, TablesCreated: 3 },
        ],
      }),
    );
  },
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-aws-router-'));
  server = await startLocalAwsServer({
    dataDir,
    seed: false,
    gapFillers: [crawlerMetrics],
  });
});

afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the router', () => {
  it('sends DataZone to the stand-in', async () => {
    const client = new DataZoneClient(config());
    const domain = await client.send(
      new CreateDomainCommand({ name: 'Routed' }),
    );
    expect(server.dataZone.store.state.domains[domain.id!]).toBeDefined();
    const list = await client.send(new ListDomainsCommand({}));
    expect(list.items!.map(d => d.name)).toContain('Routed');
    client.destroy();
  });

  it('sends S3 to moto, streaming bodies and preserving headers', async () => {
    const s3 = new S3Client(config());
    await s3.send(new CreateBucketCommand({ Bucket: 'router-test-bucket' }));
    const body = randomBytes(2 * 1024 * 1024);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'router-test-bucket',
        Key: 'blob.bin',
        Body: body,
      }),
    );
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'router-test-bucket', Key: 'blob.bin' }),
    );
    expect(got.ETag).toBe(put.ETag);
    expect(got.ContentLength).toBe(body.length);
    expect(
      Buffer.from(await got.Body!.transformToByteArray()).equals(body),
    ).toBe(true);
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets!.map(b => b.Name)).toContain('router-test-bucket');
    s3.destroy();
  });

  it('sends STS and Glue to moto, and assumed roles act in their own account', async () => {
    const sts = new STSClient(config());
    const identity = await fetch(server.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIALOCAL/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(await identity.text()).toContain('<Account>123456789012</Account>');
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: PRODUCER_ROLE_ARN,
        RoleSessionName: 'router-test',
      }),
    );
    const producer = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    const producerGlue = new GlueClient(config(producer));
    await producerGlue.send(
      new CreateDatabaseCommand({
        DatabaseInput: { Name: 'producer_only_db' },
      }),
    );
    const centralGlue = new GlueClient(config());
    const central = await centralGlue.send(new GetDatabasesCommand({}));
    expect(central.DatabaseList!.map(d => d.Name)).not.toContain(
      'producer_only_db',
    );
    const own = await producerGlue.send(new GetDatabasesCommand({}));
    expect(own.DatabaseList!.map(d => d.Name)).toContain('producer_only_db');

    // The stand-in knows the assumed-role caller too: a domain it creates is managed by the producer account.
    const dataZone = new DataZoneClient(config(producer));
    const domain = await dataZone.send(
      new CreateDomainCommand({ name: 'Producer domain' }),
    );
    expect(
      server.dataZone.store.state.domains[domain.id!].managedAccountId,
    ).toBe('222222222222');
    [sts, producerGlue, centralGlue, dataZone].forEach(c => c.destroy());
  });

  it('sends unsigned requests (AssumeRoleWithWebIdentity) to moto', async () => {
    const res = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: 'arn:aws:iam::123456789012:role/web',
        RoleSessionName: 'web',
        WebIdentityToken: 'token',
      }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<AccessKeyId>');
  });

  it('lets a gap filler claim one operation and leaves the rest of the service to moto', async () => {
    const glue = new GlueClient(config());
    const metrics = await glue.send(new GetCrawlerMetricsCommand({}));
    expect(metrics.CrawlerMetricsList).toEqual([
      expect.objectContaining({
        CrawlerName: 'filled-for-123456789012',
        TablesCreated: 3,
      }),
    ]);
    await expect(
      glue.send(new GetDatabasesCommand({})),
    ).resolves.toHaveProperty('DatabaseList');
    glue.destroy();
  });
});
