import * as dz from '@aws-sdk/client-datazone';
import { GetDatabasesCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  LakeFormationClient,
  ListPermissionsCommand,
} from '@aws-sdk/client-lakeformation';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from '../testing';
import { LocalAwsAdminClient } from './client';

jest.setTimeout(120_000);

let aws: LocalAws;
let admin: LocalAwsAdminClient;
let domainIdentifier: string;
const clients: { destroy(): void }[] = [];

/** A DataZone client; `maxAttempts: 1` unless a test wants the SDK's retries. */
function dataZone(config: Partial<dz.DataZoneClientConfig> = {}) {
  const client = new dz.DataZoneClient({
    ...aws.clientConfig(),
    maxAttempts: 1,
    ...config,
  });
  clients.push(client);
  return client;
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & {
      $metadata: { httpStatusCode?: number; attempts?: number };
      $fault?: string;
    };
  }
  throw new Error('expected the call to fail');
}

const search = (
  client: dz.DataZoneClient,
  nextToken?: string,
  maxResults = 5,
) =>
  client.send(
    new dz.SearchCommand({
      domainIdentifier,
      searchScope: 'ASSET',
      maxResults,
      nextToken,
    }),
  );

beforeAll(async () => {
  // 10 products × 10 assets: Search pages at 5 give exactly 20 pages.
  aws = await startLocalAws({
    seed: false,
    scale: { products: 10, assetsPerProduct: 10 },
  });
  domainIdentifier = aws.domainId!;
  admin = new LocalAwsAdminClient(aws.endpoint);
});

afterEach(() => {
  aws.clearFaults();
  aws.clearQuotas();
  aws.resetCounters();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await aws.stop();
});

describe('counters', () => {
  it('count every call exactly, by service and operation, and reset', async () => {
    const client = dataZone();
    const glue = new GlueClient({ ...aws.clientConfig(), maxAttempts: 1 });
    clients.push(glue);
    await Promise.all(
      Array.from({ length: 25 }, () =>
        client.send(new dz.GetDomainCommand({ identifier: domainIdentifier })),
      ),
    );
    let token: string | undefined;
    let pages = 0;
    do {
      token = (await search(client, token)).nextToken;
      pages++;
    } while (token);
    await glue.send(new GetDatabasesCommand({}));
    await glue.send(new GetDatabasesCommand({}));
    // An unknown domain still reaches GetDomain: it counts.
    await failure(
      client.send(new dz.GetDomainCommand({ identifier: 'dzd_nothere1234' })),
    );

    expect(pages).toBe(20);
    expect(aws.calls('GetDomain')).toBe(26);
    expect(aws.calls('Search')).toBe(20);
    expect(aws.calls('GetDatabases', 'glue')).toBe(2);
    const over = await admin.counters();
    expect(over.total).toBe(48);
    expect(over.services.datazone.Search).toEqual({
      calls: 20,
      throttled: 0,
      faulted: 0,
    });
    expect((await admin.resetCounters()).total).toBe(48);
    expect((await admin.counters()).total).toBe(0);
  });
});

describe('fault injection', () => {
  it('is off by default', async () => {
    expect(aws.faults()).toEqual([]);
    const page = await search(dataZone());
    expect(page.items).toHaveLength(5);
  });

  it('100 % throttling: the SDK retries and gives up with ThrottlingException 429', async () => {
    aws.injectFault({ operation: 'Search', kind: 'throttle' });
    const client = dataZone({ maxAttempts: 3 });
    const error = await failure(search(client));
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(error.$metadata.attempts).toBe(3);
    expect(aws.counters().services.datazone.Search).toEqual({
      calls: 3,
      throttled: 3,
      faulted: 0,
    });
    // Other operations are untouched.
    await client.send(
      new dz.GetDomainCommand({ identifier: domainIdentifier }),
    );
  });

  it('a 5xx on page 7 of 20 fails that page, and only that page', async () => {
    aws.injectFault({ operation: 'Search', kind: 'error', page: 7 });
    const client = dataZone();
    let token: string | undefined;
    let page = 0;
    let error;
    while (!error) {
      try {
        token = (await search(client, token)).nextToken;
        page++;
      } catch (e) {
        error = e as Error & { $metadata: { httpStatusCode?: number } };
      }
    }
    expect(page).toBe(6);
    expect(error.name).toBe('InternalServerException');
    expect(error.$metadata.httpStatusCode).toBe(500);
    // The same page asked again fails again (as the SDK's retries would find).
    const retried = await failure(
      dataZone({ maxAttempts: 3 }).send(
        new dz.SearchCommand({
          domainIdentifier,
          searchScope: 'ASSET',
          maxResults: 5,
          nextToken: token,
        }),
      ),
    );
    expect(retried.$metadata.attempts).toBe(3);
    // A fresh walk fails at page 7 too; page 1 never does.
    expect((await search(client)).items).toHaveLength(5);
    expect(aws.counters().services.datazone.Search).toMatchObject({
      calls: 11,
      faulted: 4,
    });
  });

  it('a page fault that fires once is absorbed by the SDK retry: every item, once', async () => {
    aws.injectFault({
      operation: 'Search',
      kind: 'error',
      status: 503,
      page: 7,
      times: 1,
    });
    const client = dataZone({ maxAttempts: 3 });
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await search(client, token);
      ids.push(...page.items!.map(i => i.assetItem!.identifier!));
      token = page.nextToken;
    } while (token);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    expect(aws.faults()[0]).toMatchObject({ hits: 1 });
    expect(aws.calls('Search')).toBe(21);
  });

  it('adds latency to the chosen operation only', async () => {
    aws.injectFault({
      operation: 'GetDomain',
      kind: 'latency',
      latencyMs: 400,
    });
    const client = dataZone();
    let started = performance.now();
    await client.send(
      new dz.GetDomainCommand({ identifier: domainIdentifier }),
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    started = performance.now();
    await search(client);
    expect(performance.now() - started).toBeLessThan(390);
  });

  it('timeouts: no answer until the client gives up; clearing the rule serves held calls', async () => {
    aws.injectFault({ operation: 'GetDomain', kind: 'timeout' });
    const impatient = dataZone({
      // Without throwOnRequestTimeout this SDK build only logs a warning and waits on.
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });
    const started = performance.now();
    const error = await failure(
      impatient.send(new dz.GetDomainCommand({ identifier: domainIdentifier })),
    );
    expect(error.name).toBe('TimeoutError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    // The client went away: the stand-in lets go of the request.
    await new Promise(r => setTimeout(r, 50));
    expect(aws.control.faults.holding).toBe(0);

    const patient = dataZone();
    const pending = patient.send(
      new dz.GetDomainCommand({ identifier: domainIdentifier }),
    );
    await new Promise(r => setTimeout(r, 200));
    expect(aws.control.faults.holding).toBe(1);
    aws.clearFaults();
    expect((await pending).id).toBe(domainIdentifier);
    expect(aws.counters().services.datazone.GetDomain).toEqual({
      calls: 2,
      throttled: 0,
      faulted: 2,
    });
  });

  it('every Nth call is exact; a seeded rate repeats itself', async () => {
    aws.injectFault({ operation: 'GetDomain', kind: 'throttle', every: 3 });
    const client = dataZone();
    const outcomes: string[] = [];
    for (let i = 0; i < 9; i++) {
      outcomes.push(
        await client
          .send(new dz.GetDomainCommand({ identifier: domainIdentifier }))
          .then(
            () => 'ok',
            e => (e as Error).name,
          ),
      );
    }
    expect(outcomes.map((o, i) => (o === 'ok' ? 0 : i + 1))).toEqual([
      0, 0, 3, 0, 0, 6, 0, 0, 9,
    ]);
    const run = async () => {
      aws.setFaults([
        { operation: 'GetDomain', kind: 'error', rate: 0.5, seed: 99 },
      ]);
      const got: boolean[] = [];
      for (let i = 0; i < 20; i++) {
        got.push(
          await client
            .send(new dz.GetDomainCommand({ identifier: domainIdentifier }))
            .then(
              () => true,
              () => false,
            ),
        );
      }
      return got;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });

  it('faults other services through the router in their own encodings', async () => {
    const glue = new GlueClient({ ...aws.clientConfig(), maxAttempts: 3 });
    const s3 = new S3Client({ ...aws.clientConfig(), maxAttempts: 1 });
    const lf = new LakeFormationClient({
      ...aws.clientConfig(),
      maxAttempts: 1,
    });
    clients.push(glue, s3, lf);
    aws.setFaults([
      { service: 'glue', operation: 'GetDatabases', kind: 'throttle' },
      { service: 's3', operation: 'ListBuckets', kind: 'error', status: 503 },
      {
        service: 'lakeformation',
        operation: 'ListPermissions',
        kind: 'throttle',
      },
    ]);
    const glueError = await failure(glue.send(new GetDatabasesCommand({})));
    expect(glueError.name).toBe('ThrottlingException');
    expect(glueError.$metadata.httpStatusCode).toBe(400);
    expect(glueError.$metadata.attempts).toBe(3);
    const s3Error = await failure(s3.send(new ListBucketsCommand({})));
    expect(s3Error.name).toBe('ServiceUnavailable');
    expect(s3Error.$metadata.httpStatusCode).toBe(503);
    const lfError = await failure(lf.send(new ListPermissionsCommand({})));
    expect(lfError.name).toBe('ThrottledException');
    expect(aws.counters().services).toMatchObject({
      glue: { GetDatabases: { calls: 3, throttled: 3 } },
      s3: { ListBuckets: { calls: 1, faulted: 1 } },
      lakeformation: { ListPermissions: { calls: 1, throttled: 1 } },
    });
    // Cleared: moto answers again.
    aws.clearFaults();
    await glue.send(new GetDatabasesCommand({}));
  });
});

describe('quota emulation', () => {
  it('is off by default, then lets 20 Search calls a second through and throttles the rest with 429', async () => {
    const client = dataZone();
    const burst = () =>
      Promise.all(
        Array.from({ length: 40 }, () =>
          search(client).then(
            () => 'ok',
            (e: Error & { $metadata: { httpStatusCode?: number } }) =>
              `${e.name} ${e.$metadata.httpStatusCode}`,
          ),
        ),
      );
    expect((await burst()).filter(o => o === 'ok')).toHaveLength(40);
    aws.resetCounters();
    aws.setQuotas({ enabled: true });
    const outcomes = await burst();
    const ok = outcomes.filter(o => o === 'ok').length;
    expect(ok).toBeGreaterThanOrEqual(20);
    expect(ok).toBeLessThanOrEqual(22); // the bucket refills while the burst runs
    expect(new Set(outcomes.filter(o => o !== 'ok'))).toEqual(
      new Set(['ThrottlingException 429']),
    );
    expect(aws.counters().services.datazone.Search).toEqual({
      calls: 40,
      throttled: 40 - ok,
      faulted: 0,
    });
  });

  it('holds a sustained caller to the rate, with the SDK retrying throttled calls', async () => {
    aws.setQuotas({ enabled: true, rps: { GetDomain: 25 } });
    const client = dataZone({ maxAttempts: 10 });
    const started = performance.now();
    for (let i = 0; i < 50; i++)
      await client.send(
        new dz.GetDomainCommand({ identifier: domainIdentifier }),
      );
    const seconds = (performance.now() - started) / 1000;
    // 25 from the full bucket, 25 more at 25 per second.
    expect(seconds).toBeGreaterThanOrEqual(0.9);
    const count = aws.counters().services.datazone.GetDomain;
    expect(count.calls - count.throttled).toBe(50);
    expect(count.throttled).toBeGreaterThan(0);
  });
});

describe('the admin endpoint', () => {
  it('serves faults, quotas and counters unsigned under /_local-aws', async () => {
    const rules = await admin.addFaults(
      { operation: 'Search', kind: 'throttle', every: 2 },
      { operation: 'GetDomain', kind: 'latency', latencyMs: 10 },
    );
    expect(rules.map(r => r.id)).toHaveLength(2);
    expect(await admin.faults()).toHaveLength(2);
    expect(await admin.clearFaults(rules[0].id)).toBe(1);
    expect(await admin.faults()).toHaveLength(1);
    await admin.setFaults([{ kind: 'error', operation: 'GetAsset' }]);
    expect((await admin.faults()).map(r => r.operation)).toEqual(['GetAsset']);
    expect(await admin.clearFaults()).toBe(1);

    const bad = await fetch(`${aws.endpoint}/_local-aws/faults`, {
      method: 'PUT',
      body: JSON.stringify({ kind: 'error', rate: 5 }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/"rate"/);
    const unknown = await fetch(`${aws.endpoint}/_local-aws/nothing`);
    expect(unknown.status).toBe(404);
    const health = await fetch(`${aws.endpoint}/_local-aws/health`);
    expect(health.status).toBe(200);

    const quotas = await admin.quotas();
    expect(quotas.enabled).toBe(false);
    expect(quotas.limits).toMatchObject({
      Search: 20,
      SearchListings: 20,
      AcceptSubscriptionRequest: 3,
    });
    expect((await admin.setQuotas({ enabled: true })).enabled).toBe(true);
    expect((await admin.clearQuotas()).enabled).toBe(false);
    await expect(admin.setQuotas({ defaultRps: 0 })).rejects.toThrow(/400/);
  });

  it('seeds a scale mesh into the running stand-in', async () => {
    const mesh = await admin.seedScale({
      products: 3,
      assetsPerProduct: 4,
      domainName: 'Admin scale mesh',
    });
    expect(mesh).toMatchObject({ products: 3, assets: 12, listings: 15 });
    const page = await dataZone().send(
      new dz.SearchListingsCommand({
        domainIdentifier: mesh.domainId,
        maxResults: 50,
      }),
    );
    expect(page.totalMatchCount).toBe(15);
    expect((await admin.scaleMeshes()).map(m => m.domainName)).toContain(
      'Admin scale mesh',
    );
    await expect(
      admin.seedScale({ products: 0, assetsPerProduct: 1 }),
    ).rejects.toThrow(/products must be/);
  });
});
