import {
  DataZoneClient,
  GetDomainCommand,
  ListDomainsCommand,
} from '@aws-sdk/client-datazone';
import { GlueClient } from '@aws-sdk/client-glue';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import http from 'http';
import { AddressInfo } from 'net';
import { mapAwsError } from '../errors/mapAwsError';
import { AwsClientFactory } from './AwsClientFactory';

interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const ASSUMED_KEY_ID = 'ASIASTUBASSUMED00001';
const ASSUMED_SESSION_TOKEN = 'stub-session-token';

// A minimal wire stub for the calls these tests make: STS (awsQuery XML),
// DataZone ListDomains (restJson1) and S3 HeadBucket (restXml).
function startStub() {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body,
      });
      const url = req.url!;
      if (req.method === 'POST' && body.includes('Action=AssumeRole')) {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
            `<Credentials><AccessKeyId>${ASSUMED_KEY_ID}</AccessKeyId><SecretAccessKey>stub-secret</SecretAccessKey>` +
            `<SessionToken>${ASSUMED_SESSION_TOKEN}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>` +
            `<AssumedRoleUser><AssumedRoleId>AROASTUB:backstage</AssumedRoleId><Arn>arn:aws:sts::222233334444:assumed-role/data-mesh-portal/backstage</Arn></AssumedRoleUser>` +
            `</AssumeRoleResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
      } else if (url.startsWith('/v2/domains/hung')) {
        // Never answered: the client's request timeout must end the call.
      } else if (url.startsWith('/v2/domains/throttled')) {
        res.writeHead(429, { 'x-amzn-errortype': 'ThrottlingException' });
        res.end(JSON.stringify({ message: 'Rate exceeded' }));
      } else if (url.startsWith('/v2/domains')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ items: [] }));
      } else if (req.method === 'HEAD') {
        res.writeHead(200, { 'x-amz-bucket-region': 'eu-west-1' });
        res.end();
      } else {
        res.writeHead(400, { 'x-amzn-errortype': 'UnexpectedRequest' });
        res.end('{}');
      }
    });
  });
  return new Promise<{
    url: string;
    seen: SeenRequest[];
    close: () => Promise<void>;
  }>(resolve => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise(done => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function staticCredentialsManager(
  calls: Array<string | undefined> = [],
): AwsCredentialsManager {
  return {
    async getCredentialProvider(opts) {
      calls.push(opts?.accountId);
      if (opts?.accountId === '999999999999') {
        throw new Error(
          'There is no AWS integration that matches 999999999999.',
        );
      }
      return {
        accountId: opts?.accountId,
        sdkCredentialProvider: async () => ({
          accessKeyId: `AKIDTEST${opts?.accountId ?? 'MAIN'}`,
          secretAccessKey: 'test-secret',
        }),
      };
    },
  };
}

describe('AwsClientFactory', () => {
  let stub: Awaited<ReturnType<typeof startStub>>;
  let factories: AwsClientFactory[];
  const savedEndpoint = process.env.AWS_ENDPOINT_URL;

  beforeEach(async () => {
    stub = await startStub();
    factories = [];
  });
  afterEach(async () => {
    await Promise.all(factories.map(f => f.destroy()));
    await stub.close();
    if (savedEndpoint === undefined) {
      delete process.env.AWS_ENDPOINT_URL;
    } else {
      process.env.AWS_ENDPOINT_URL = savedEndpoint;
    }
  });
  const track = (factory: AwsClientFactory) => {
    factories.push(factory);
    return factory;
  };

  it('reaches the local AWS through AWS_ENDPOINT_URL, including the role assumption done by integration-aws-node', async () => {
    process.env.AWS_ENDPOINT_URL = stub.url;
    const factory = track(
      AwsClientFactory.fromConfig(
        new ConfigReader({
          aws: {
            mainAccount: {
              accessKeyId: 'AKIDMAINACCOUNT00001',
              secretAccessKey: 'main-secret',
            },
            accounts: [
              {
                accountId: '222233334444',
                roleName: 'data-mesh-portal',
                externalId: 'ext-1',
              },
            ],
          },
        }),
      ),
    );
    expect(factory.endpoint).toBe(stub.url);

    const main = await factory.getClient(DataZoneClient, {
      region: 'eu-west-1',
    });
    await main.send(new ListDomainsCommand({}));
    const other = await factory.getClient(DataZoneClient, {
      accountId: '222233334444',
      region: 'eu-west-1',
    });
    await other.send(new ListDomainsCommand({}));

    const [mainCall, assumeRole, otherCall] = stub.seen;
    expect(mainCall.url).toMatch(/^\/v2\/domains/);
    expect(mainCall.headers.authorization).toContain(
      'Credential=AKIDMAINACCOUNT00001/',
    );
    expect(mainCall.headers.authorization).toContain(
      '/eu-west-1/datazone/aws4_request',
    );

    // integration-aws-node's own STS client has no endpoint option; the SDK
    // reads AWS_ENDPOINT_URL itself, so the AssumeRole call came here too.
    expect(assumeRole.body).toContain('Action=AssumeRole');
    expect(decodeURIComponent(assumeRole.body)).toContain(
      'RoleArn=arn:aws:iam::222233334444:role/data-mesh-portal',
    );
    expect(assumeRole.headers.authorization).toContain(
      'Credential=AKIDMAINACCOUNT00001/',
    );

    expect(otherCall.headers.authorization).toContain(
      `Credential=${ASSUMED_KEY_ID}/`,
    );
    expect(otherCall.headers['x-amz-security-token']).toBe(
      ASSUMED_SESSION_TOKEN,
    );
  });

  it('identifies itself and retries up to five attempts by default', async () => {
    const factory = track(
      AwsClientFactory.create({
        credentialsManager: staticCredentialsManager(),
        endpoint: stub.url,
      }),
    );
    const client = await factory.getClient(DataZoneClient, {
      region: 'us-east-1',
    });
    await client.send(new ListDomainsCommand({}));
    const [call] = stub.seen;
    expect(
      `${call.headers['user-agent']} ${call.headers['x-amz-user-agent']}`,
    ).toContain('data-mesh-portal');
    expect(call.headers['amz-sdk-request']).toBe('attempt=1; max=5');
  });

  it('honours AWS_MAX_ATTEMPTS from the environment', async () => {
    const factory = track(
      AwsClientFactory.fromConfig(
        new ConfigReader({
          aws: {
            mainAccount: { accessKeyId: 'AKIDENV', secretAccessKey: 's' },
          },
        }),
        { env: { AWS_ENDPOINT_URL: stub.url, AWS_MAX_ATTEMPTS: '2' } },
      ),
    );
    expect(factory.endpoint).toBe(stub.url);
    const client = await factory.getClient(DataZoneClient, {
      region: 'us-east-1',
    });
    await client.send(new ListDomainsCommand({}));
    expect(stub.seen[0].headers['amz-sdk-request']).toBe('attempt=1; max=2');
  });

  it('retries throttling, then the mapped error is a 503', async () => {
    const factory = track(
      AwsClientFactory.create({
        credentialsManager: staticCredentialsManager(),
        endpoint: stub.url,
        maxAttempts: 2,
      }),
    );
    const client = await factory.getClient(DataZoneClient, {
      region: 'us-east-1',
    });
    const failure = await client
      .send(new GetDomainCommand({ identifier: 'throttled' }))
      .catch(e => e);
    expect(failure.name).toBe('ThrottlingException');
    expect(stub.seen.map(call => call.headers['amz-sdk-request'])).toEqual([
      'attempt=1; max=2',
      'attempt=2; max=2',
    ]);
    const mapped = mapAwsError(failure, { operation: 'DataZone GetDomain' });
    expect(mapped).toBeInstanceOf(ServiceUnavailableError);
    expect(mapped.message).toBe(
      'DataZone GetDomain failed: ThrottlingException: Rate exceeded',
    );
  });

  it('fails a call that gets no answer within the request timeout, after retrying it', async () => {
    const factory = track(
      AwsClientFactory.create({
        credentialsManager: staticCredentialsManager(),
        endpoint: stub.url,
        maxAttempts: 2,
        requestTimeoutMs: 300,
      }),
    );
    const client = await factory.getClient(DataZoneClient, {
      region: 'us-east-1',
    });
    const started = Date.now();
    const failure = await client
      .send(new GetDomainCommand({ identifier: 'hung' }))
      .catch(e => e);
    expect(failure.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stub.seen.map(call => call.headers['amz-sdk-request'])).toEqual([
      'attempt=1; max=2',
      'attempt=2; max=2',
    ]);
  });

  it('uses path-style S3 addressing with an endpoint override, even for a hostname', async () => {
    const localhostUrl = stub.url.replace('127.0.0.1', 'localhost');
    const factory = track(
      AwsClientFactory.create({
        credentialsManager: staticCredentialsManager(),
        endpoint: localhostUrl,
      }),
    );
    const s3 = await factory.getClient(S3Client, { region: 'eu-west-1' });
    await s3.send(new HeadBucketCommand({ Bucket: 'dm-raw-bucket' }));
    const [call] = stub.seen;
    expect(call.method).toBe('HEAD');
    expect(call.url).toMatch(/^\/dm-raw-bucket\/?$/);
    expect(call.headers.host).toBe(localhostUrl.replace('http://', ''));
  });

  it('creates one client per service, account and region, and reuses it', async () => {
    const calls: Array<string | undefined> = [];
    const factory = track(
      AwsClientFactory.create({
        credentialsManager: staticCredentialsManager(calls),
      }),
    );
    const [first, concurrent] = await Promise.all([
      factory.getClient(DataZoneClient, { region: 'eu-west-1' }),
      factory.getClient(DataZoneClient, { region: 'eu-west-1' }),
    ]);
    expect(concurrent).toBe(first);
    expect(
      await factory.getClient(DataZoneClient, { region: 'eu-west-1' }),
    ).toBe(first);
    expect(calls).toEqual([undefined]);

    const otherRegion = await factory.getClient(DataZoneClient, {
      region: 'us-east-1',
    });
    const otherAccount = await factory.getClient(DataZoneClient, {
      accountId: '222233334444',
      region: 'eu-west-1',
    });
    const otherService = await factory.getClient(GlueClient, {
      region: 'eu-west-1',
    });
    expect(new Set([first, otherRegion, otherAccount, otherService]).size).toBe(
      4,
    );
    expect(otherService).toBeInstanceOf(GlueClient);
    expect(await otherRegion.config.region()).toBe('us-east-1');
    expect(calls).toEqual([undefined, undefined, '222233334444', undefined]);
  });

  it('does not cache a client whose credentials could not be resolved', async () => {
    const calls: Array<string | undefined> = [];
    const factory = track(
      AwsClientFactory.create({
        credentialsManager: staticCredentialsManager(calls),
      }),
    );
    const target = { accountId: '999999999999', region: 'eu-west-1' };
    await expect(factory.getClient(DataZoneClient, target)).rejects.toThrow(
      /no AWS integration/,
    );
    await expect(factory.getClient(DataZoneClient, target)).rejects.toThrow(
      /no AWS integration/,
    );
    expect(calls).toEqual(['999999999999', '999999999999']);
  });

  it('needs a region', async () => {
    const factory = track(
      AwsClientFactory.create({
        credentialsManager: staticCredentialsManager(),
      }),
    );
    await expect(
      factory.getClient(DataZoneClient, { region: '' }),
    ).rejects.toThrow('A region is needed to create a DataZoneClient');
  });
});
