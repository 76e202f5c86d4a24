import {
  FaultRegistry,
  FaultSpecError,
  PageTracker,
  nextTokenOf,
  parseFaultSpec,
} from './faults';
import { QuotaLimiter, QuotaSettingsError } from './quotas';
import { Counters } from './counters';
import { errorAnswer, operationOf, throttleAnswer } from './operations';

describe('fault rules', () => {
  it('checks specs and names the bad field', () => {
    expect(parseFaultSpec({ kind: 'throttle', operation: 'Search' })).toEqual({
      kind: 'throttle',
      operation: 'Search',
    });
    expect(() => parseFaultSpec({ kind: 'explode' })).toThrow(/"kind"/);
    expect(() => parseFaultSpec({ kind: 'error', rate: 2 })).toThrow(/"rate"/);
    expect(() => parseFaultSpec({ kind: 'error', page: 0 })).toThrow(/"page"/);
    expect(() => parseFaultSpec({ kind: 'error', status: 404 })).toThrow(
      /"status"/,
    );
    expect(() => parseFaultSpec({ kind: 'error', colour: 'red' })).toThrow(
      FaultSpecError,
    );
    expect(() => parseFaultSpec([])).toThrow(FaultSpecError);
  });

  it('hits every Nth matching call exactly and stops after `times`', () => {
    const faults = new FaultRegistry();
    faults.add({ kind: 'error', operation: 'Search', every: 3, times: 2 });
    const hits = Array.from({ length: 12 }, () => {
      const other = faults.decide({
        service: 'datazone',
        operation: 'GetAsset',
      });
      expect(other.fail).toBeUndefined();
      return !!faults.decide({ service: 'datazone', operation: 'Search' }).fail;
    });
    expect(hits.map((h, i) => (h ? i + 1 : 0)).filter(Boolean)).toEqual([3, 6]);
    expect(faults.list()[0]).toMatchObject({ seen: 12, hits: 2 });
  });

  it('draws rates from a seeded generator: the same seed gives the same hits', () => {
    const run = (seed: number) => {
      const faults = new FaultRegistry();
      faults.add({ kind: 'throttle', rate: 0.3, seed });
      return Array.from(
        { length: 200 },
        () =>
          !!faults.decide({ service: 'datazone', operation: 'Search' }).fail,
      );
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
    const share = a.filter(Boolean).length / a.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  });

  it('adds latencies, lets the first failing rule win, and matches services', () => {
    const faults = new FaultRegistry();
    faults.add({ kind: 'latency', latencyMs: 100, operation: '*' });
    faults.add({ kind: 'latency', latencyMs: 50, service: '*' });
    faults.add({ kind: 'error', status: 503, operation: 'Search' });
    faults.add({ kind: 'throttle', operation: 'Search' });
    faults.add({ kind: 'throttle', service: 'glue', operation: 'GetTables' });
    const dz = faults.decide({ service: 'datazone', operation: 'Search' });
    expect(dz.latencyMs).toBe(150);
    expect(dz.fail?.kind).toBe('error');
    const glue = faults.decide({ service: 'glue', operation: 'GetTables' });
    expect(glue.latencyMs).toBe(50);
    expect(glue.fail?.kind).toBe('throttle');
    expect(
      faults.decide({ service: 'glue', operation: 'GetDatabases' }).fail,
    ).toBeUndefined();
  });

  it('matches page rules only on the page a token leads to', () => {
    const faults = new FaultRegistry();
    const pages = new PageTracker();
    faults.add({ kind: 'error', operation: 'Search', page: 3 });
    let token: string | undefined;
    const failedPages: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = pages.pageOf('Search', token);
      if (
        faults.decide({ service: 'datazone', operation: 'Search', page }).fail
      )
        failedPages.push(page!);
      const next = `token-${i}`;
      pages.record('Search', page, next);
      token = next;
    }
    expect(failedPages).toEqual([3]);
    expect(pages.pageOf('Search', 'never-issued')).toBeUndefined();
    expect(pages.pageOf('SearchListings', 'token-1')).toBeUndefined();
  });

  it('holds timeouts until cleared, until the client leaves, or for holdMs', async () => {
    const faults = new FaultRegistry();
    const rule = faults.add({ kind: 'timeout', holdMs: 60_000 });
    let released = 0;
    void faults.hold(rule).then(() => released++);
    let leave!: () => void;
    void faults
      .hold(rule, new Promise<void>(r => (leave = r)))
      .then(() => released++);
    const short = faults.add({ kind: 'timeout', holdMs: 20 });
    void faults.hold(short).then(() => released++);
    expect(faults.holding).toBe(3);
    await new Promise(r => setTimeout(r, 60));
    expect(released).toBe(1);
    leave();
    await new Promise(r => setImmediate(r));
    expect(released).toBe(2);
    faults.clear(rule.id);
    await new Promise(r => setImmediate(r));
    expect(released).toBe(3);
    expect(faults.holding).toBe(0);
  });

  it('finds the top-level nextToken of a body without parsing it', () => {
    expect(
      nextTokenOf(
        '{"items":[{"content":"{\\"nextToken\\":\\"inner\\"}"}],"nextToken":"abc_-1"}',
      ),
    ).toBe('abc_-1');
    expect(nextTokenOf('{"items":[]}')).toBeUndefined();
  });
});

describe('quota emulation', () => {
  it('is off by default and then limits each operation to its rate', () => {
    let now = 0;
    const quotas = new QuotaLimiter(() => now);
    expect(
      Array.from({ length: 100 }, () => quotas.take('1', 'Search')),
    ).not.toContain(false);
    quotas.set({ enabled: true });
    const burst = (op: string, n: number) =>
      Array.from({ length: n }, () => quotas.take('1', op)).filter(Boolean)
        .length;
    expect(burst('Search', 50)).toBe(20);
    expect(burst('SearchListings', 50)).toBe(20);
    expect(burst('AcceptSubscriptionRequest', 10)).toBe(3);
    expect(burst('GetAsset', 50)).toBe(20);
    // Another account has its own buckets.
    expect(quotas.take('2', 'Search')).toBe(true);
    now += 500; // half a second refills half the bucket
    expect(burst('Search', 50)).toBe(10);
    expect(burst('AcceptSubscriptionRequest', 10)).toBe(1);
    now += 10_000; // never more than a full bucket
    expect(burst('Search', 50)).toBe(20);
  });

  it('takes overrides, a default rate and a burst size; rejects bad settings', () => {
    const quotas = new QuotaLimiter(() => 0);
    quotas.set({
      enabled: true,
      defaultRps: 5,
      burstSeconds: 2,
      rps: { Search: 1 },
    });
    const burst = (op: string, n: number) =>
      Array.from({ length: n }, () => quotas.take('1', op)).filter(Boolean)
        .length;
    expect(burst('Search', 10)).toBe(2);
    expect(burst('GetDomain', 20)).toBe(10);
    expect(quotas.get().limits).toMatchObject({
      Search: 1,
      AcceptSubscriptionRequest: 3,
    });
    expect(() => quotas.set({ defaultRps: -1 })).toThrow(QuotaSettingsError);
    expect(() => quotas.set({ speed: 1 })).toThrow(/speed/);
    quotas.reset();
    expect(quotas.get().enabled).toBe(false);
  });
});

describe('counters', () => {
  it('counts calls and outcomes per service and operation, and resets', () => {
    const counters = new Counters();
    counters.call('datazone', 'Search');
    counters.call('datazone', 'Search');
    counters.outcome('datazone', 'Search', 'throttled');
    counters.call('glue', 'GetTables');
    expect(counters.snapshot()).toMatchObject({
      total: 3,
      services: {
        datazone: { Search: { calls: 2, throttled: 1, faulted: 0 } },
        glue: { GetTables: { calls: 1, throttled: 0, faulted: 0 } },
      },
    });
    expect(counters.reset().total).toBe(3);
    expect(counters.snapshot()).toMatchObject({ total: 0, services: {} });
  });
});

describe('operation names and error encodings', () => {
  it('names operations from the request line', () => {
    expect(
      operationOf('glue', 'POST', '/', { 'x-amz-target': 'AWSGlue.GetTables' }),
    ).toBe('GetTables');
    expect(operationOf('lakeformation', 'POST', '/ListPermissions', {})).toBe(
      'ListPermissions',
    );
    expect(operationOf('s3', 'GET', '/bucket/?list-type=2&prefix=', {})).toBe(
      'ListObjectsV2',
    );
    expect(operationOf('s3', 'PUT', '/bucket/?encryption=', {})).toBe(
      'PutBucketEncryption',
    );
    expect(operationOf('s3', 'PUT', '/bucket/', {})).toBe('CreateBucket');
    expect(operationOf('s3', 'GET', '/bucket/a/b.parquet', {})).toBe(
      'GetObject',
    );
    expect(operationOf('s3', 'GET', '/', {})).toBe('ListBuckets');
    expect(operationOf('sts', 'GET', '/?Action=GetCallerIdentity', {})).toBe(
      'GetCallerIdentity',
    );
    expect(operationOf('quicksight', 'GET', '/accounts/1/dashboards', {})).toBe(
      'GET /accounts',
    );
  });

  it("answers with each protocol's throttling encoding", () => {
    expect(throttleAnswer('datazone', 'r')).toMatchObject({
      status: 429,
      headers: { 'x-amzn-errortype': 'ThrottlingException' },
    });
    expect(throttleAnswer('lakeformation', 'r').headers).toMatchObject({
      'x-amzn-errortype': 'ThrottledException',
    });
    const glue = throttleAnswer('glue', 'r');
    expect(glue.status).toBe(400);
    expect(JSON.parse(glue.body)).toEqual({
      __type: 'ThrottlingException',
      Message: 'Rate exceeded',
    });
    expect(throttleAnswer('s3', 'r')).toMatchObject({ status: 503 });
    expect(throttleAnswer('s3', 'r').body).toContain('<Code>SlowDown</Code>');
    expect(throttleAnswer('sts', 'r').body).toContain(
      '<Code>Throttling</Code>',
    );
    expect(errorAnswer('athena', 500, 'X', 'm', 'r').headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.1',
    });
  });
});
