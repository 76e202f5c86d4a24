import fs from 'fs';
import path from 'path';
import {
  OdcsDataContract,
  OdcsSlaProperty,
  parseDataContract,
  SloObjective,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { evaluateDataset, qualityHistory } from './evaluateDataset';
import { DatasetSignals, SignalResult } from './signals';

const NOW = new Date('2026-11-20T12:00:00Z');
const H = 3_600_000;
const D = 24 * H;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const DATASET = {
  entityRef: 'api:default/orders',
  name: 'orders',
  title: 'Orders',
};

function ok<T>(data: T, source = 'test'): SignalResult<T> {
  return { ok: true, data, observedAt: NOW, source };
}

function outage(source: string): SignalResult<never> {
  return {
    ok: false,
    kind: 'unavailable',
    reason: 'Glue GetTables failed: ServiceUnavailable',
    observedAt: NOW,
    source,
  };
}

function table(
  fields: Partial<{
    createTime: Date;
    updateTime: Date;
    recordCount: number;
    partitionKeys: { name: string; type?: string }[];
  }> = {},
): DatasetSignals['table'] {
  return ok({ partitionKeys: [], ...fields });
}

function contractWith(
  slaProperties: OdcsSlaProperty[],
  extra: Partial<OdcsDataContract> = {},
): OdcsDataContract {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'c1',
    version: '1.0.0',
    status: 'active',
    schema: [{ name: 'orders', physicalName: 'orders' }],
    slaProperties,
    ...extra,
  };
}

function evaluateOne(
  sla: OdcsSlaProperty,
  signals: DatasetSignals,
  extra: Partial<Parameters<typeof evaluateDataset>[0]> = {},
): SloObjective {
  const objectives = evaluateDataset({
    contract: contractWith([sla]),
    dataset: DATASET,
    signals,
    now: NOW,
    ...extra,
  });
  expect(objectives).toHaveLength(1);
  return objectives[0];
}

describe('latency (freshness)', () => {
  const latency = (value: unknown, unit?: string): OdcsSlaProperty => ({
    property: 'latency',
    value: value as never,
    unit,
  });

  it('is met when the table was updated well within the target', () => {
    const o = evaluateOne(latency(4, 'd'), {
      table: table({ updateTime: ago(1 * D) }),
    });
    expect(o).toMatchObject({
      kind: 'freshness',
      status: 'met',
      target: '≤ 4 d',
      current: '1 d old',
      source: 'Glue GetTables (UpdateTime)',
      measuredAt: NOW.toISOString(),
      budgetUsed: 0.25,
    });
  });

  it('is at risk from 80 % of the target', () => {
    expect(
      evaluateOne(latency(10, 'h'), {
        table: table({ updateTime: ago(7.9 * H) }),
      }).status,
    ).toBe('met');
    expect(
      evaluateOne(latency(10, 'h'), {
        table: table({ updateTime: ago(8 * H) }),
      }).status,
    ).toBe('at-risk');
  });

  it('is not breached exactly at the target, and breached one second after', () => {
    const atTarget = evaluateOne(latency(4, 'h'), {
      table: table({ updateTime: ago(4 * H) }),
    });
    expect(atTarget.status).not.toBe('breached');
    expect(atTarget.budgetUsed).toBe(1);
    const after = evaluateOne(latency(4, 'h'), {
      table: table({ updateTime: ago(4 * H + 1000) }),
    });
    expect(after.status).toBe('breached');
    expect(after.reason).toContain('beyond the 4 h target');
  });

  it('uses CreateTime when the table was never updated, and the newest of table, partitions and S3', () => {
    const o = evaluateOne(latency(1, 'd'), {
      table: table({ createTime: ago(30 * D) }),
      partitions: ok({
        count: 2,
        complete: true,
        creationTimes: [ago(20 * D), ago(2 * H)],
        values: [['a'], ['b']],
      }),
      s3: ok({
        newestLastModified: ago(5 * H),
        objectCount: 3,
        complete: true,
      }),
    });
    expect(o).toMatchObject({
      status: 'met',
      current: '2 h old',
      source: 'Glue GetPartitions (newest CreationTime)',
    });
    const created = evaluateOne(latency(1, 'd'), {
      table: table({ createTime: ago(30 * D) }),
    });
    expect(created).toMatchObject({
      status: 'breached',
      source: 'Glue GetTables (CreateTime)',
    });
  });

  it('measures the event time of a dated partition column named by the element', () => {
    const signals: DatasetSignals = {
      table: table({
        updateTime: ago(1 * H),
        partitionKeys: [{ name: 'txn_ref_dt', type: 'date' }],
      }),
      partitions: ok({
        count: 2,
        complete: true,
        creationTimes: [ago(2 * H), ago(1 * H)],
        values: [['2026-11-14'], ['2026-11-15']],
      }),
    };
    const o = evaluateOne(
      {
        property: 'latency',
        value: 4,
        unit: 'd',
        element: 'orders.txn_ref_dt',
      },
      signals,
    );
    // Newest partition value 2026-11-15T00:00Z is 5.5 days before NOW.
    expect(o).toMatchObject({
      status: 'breached',
      current: '5 d 12 h old',
      source: 'Glue GetPartitions (newest txn_ref_dt value)',
    });
    // Frequency looks at when data landed, not at event time.
    const f = evaluateOne(
      {
        property: 'frequency',
        value: 1,
        unit: 'd',
        element: 'orders.txn_ref_dt',
      },
      signals,
    );
    expect(f).toMatchObject({
      kind: 'frequency',
      status: 'met',
      current: '1 h 0 min old'.replace(' 0 min', ''),
    });
  });

  it('clamps a measurement from the future to now and flags it', () => {
    const o = evaluateOne(latency(4, 'h'), {
      table: table({ updateTime: new Date(NOW.getTime() + 10 * 60_000) }),
    });
    expect(o.status).toBe('met');
    expect(o.current).toBe('0 s old');
    expect(o.flags).toEqual(['clock-skew']);
    expect(o.reason).toContain('clock skew');
  });

  it('is unknown, with the reason, when no signal was read or AWS is down', () => {
    const none = evaluateOne(latency(4, 'h'), {});
    expect(none.status).toBe('unknown');
    expect(none.reason).toContain('no signal tells');
    const down = evaluateOne(latency(4, 'h'), {
      table: outage('Glue GetTables'),
    });
    expect(down.status).toBe('unknown');
    expect(down.reason).toContain(
      'Glue GetTables: Glue GetTables failed: ServiceUnavailable',
    );
    expect(down.current).toBeUndefined();
  });

  it('is unknown when the target has no or an unknown unit, never defaulted', () => {
    expect(
      evaluateOne(latency(4), { table: table({ updateTime: ago(H) }) }),
    ).toMatchObject({
      status: 'unknown',
      reason: 'the target cannot be read: the value 4 has no unit',
    });
    expect(
      evaluateOne(latency(4, 'fortnights'), {
        table: table({ updateTime: ago(H) }),
      }).status,
    ).toBe('unknown');
  });

  it('accepts ISO 8601 durations', () => {
    expect(
      evaluateOne(latency('PT2H'), {
        table: table({ updateTime: ago(3 * H) }),
      }),
    ).toMatchObject({
      status: 'breached',
      target: '≤ 2 h',
    });
  });

  it('a failed crawler run puts a met objective at risk; a running crawler is only mentioned', () => {
    const failed = evaluateOne(latency(4, 'd'), {
      table: table({ updateTime: ago(H) }),
      crawler: ok({
        name: 'orders-crawler',
        state: 'READY',
        lastRunStatus: 'FAILED',
        errorMessage: 'Access denied',
      }),
    });
    expect(failed.status).toBe('at-risk');
    expect(failed.reason).toContain(
      'crawler orders-crawler failed (Access denied)',
    );
    const running = evaluateOne(latency(4, 'd'), {
      table: table({ updateTime: ago(H) }),
      crawler: ok({ name: 'orders-crawler', state: 'RUNNING' }),
    });
    expect(running.status).toBe('met');
    expect(running.reason).toContain('is running, its result is not known yet');
  });
});

describe('retention', () => {
  const retention: OdcsSlaProperty = {
    property: 'retention',
    value: 3,
    unit: 'y',
    element: 'orders.dt',
  };
  const partitioned = (
    values: string[],
    createTime: Date,
    complete = true,
  ): DatasetSignals => ({
    table: table({ createTime, partitionKeys: [{ name: 'dt', type: 'date' }] }),
    partitions: ok({
      count: values.length,
      complete,
      creationTimes: values.map(() => ago(H)),
      values: values.map(v => [v]),
    }),
  });

  it('is met when data goes back at least the retention period', () => {
    const o = evaluateOne(
      retention,
      partitioned(['2023-01-01', '2026-11-19'], ago(5 * 365 * D)),
    );
    expect(o).toMatchObject({
      status: 'met',
      source: 'Glue GetPartitions (oldest dt value)',
    });
  });

  it('is breached when a dataset older than the period kept less', () => {
    const o = evaluateOne(
      retention,
      partitioned(['2025-01-01', '2026-11-19'], ago(5 * 365 * D)),
    );
    expect(o.status).toBe('breached');
    expect(o.reason).toContain('less than the 3 y promised');
  });

  it('is met while the dataset is younger than the period', () => {
    expect(
      evaluateOne(
        retention,
        partitioned(['2026-01-10'], new Date('2026-01-10T00:00:00Z')),
      ).status,
    ).toBe('met');
    expect(
      evaluateOne(retention, { table: table({ createTime: ago(30 * D) }) })
        .status,
    ).toBe('met');
  });

  it('is unknown when only an old table and no complete listing are known', () => {
    expect(
      evaluateOne(retention, { table: table({ createTime: ago(5 * 365 * D) }) })
        .status,
    ).toBe('unknown');
    expect(
      evaluateOne(
        retention,
        partitioned(['2025-01-01'], ago(5 * 365 * D), false),
      ).status,
    ).toBe('unknown');
  });
});

describe('availability', () => {
  const availability = (value: unknown, unit?: string): OdcsSlaProperty => ({
    property: 'availability',
    value: value as never,
    unit,
  });
  const hours = (up: number, down: number) => ({
    availability: { upMs: up * H, downMs: down * H },
  });

  it('reads percentages in every spelling', () => {
    for (const [value, unit] of [
      [99, undefined],
      ['99%', undefined],
      [99, '%'],
      [0.99, undefined],
      ['99', 'percent'],
    ]) {
      expect(
        evaluateOne(availability(value, unit as string), { table: table() })
          .target,
      ).toBe('≥ 99 %');
    }
  });

  it('is met at 100 %, breached below the target, and at-target is never a breach', () => {
    expect(
      evaluateOne(availability(99), { table: table() }, hours(99, 0)).status,
    ).toBe('met');
    const exact = evaluateOne(
      availability(99),
      { table: table() },
      hours(99, 1),
    );
    expect(exact.current).toBe('99 %');
    expect(exact.status).not.toBe('breached');
    expect(
      evaluateOne(availability(99), { table: table() }, hours(98, 2)).status,
    ).toBe('breached');
    expect(
      evaluateOne(availability(99), { table: table() }, hours(995, 5)),
    ).toMatchObject({ status: 'met', budgetUsed: 0.5 });
    expect(
      evaluateOne(availability(99), { table: table() }, hours(991, 9)),
    ).toMatchObject({ status: 'at-risk', budgetUsed: 0.9 });
  });

  it('uses the current probe alone until time was measured: missing is down, an outage is unknown', () => {
    expect(evaluateOne(availability(99), { table: table() })).toMatchObject({
      status: 'met',
      current: '100 %',
    });
    const missing: DatasetSignals = {
      table: {
        ok: false,
        kind: 'not-found',
        reason: 'no such table',
        observedAt: NOW,
        source: 'Glue GetTables',
      },
    };
    expect(evaluateOne(availability(99), missing)).toMatchObject({
      status: 'breached',
      current: '0 %',
    });
    expect(
      evaluateOne(availability(99), { table: outage('Glue GetTables') }).status,
    ).toBe('unknown');
  });
});

describe('timeOfAvailability', () => {
  // NOW = 12:00 UTC. Deadline 09:00+00:00 → today 09:00 UTC.
  const toa = (value: string): OdcsSlaProperty => ({
    property: 'timeOfAvailability',
    value,
    driver: 'analytics',
  });

  it('is met when data arrived in the 24 h before the last deadline', () => {
    const o = evaluateOne(toa('09:00+00:00'), {
      table: table({ updateTime: new Date('2026-11-20T06:00:00Z') }),
    });
    expect(o).toMatchObject({
      status: 'met',
      title: 'Time of availability (analytics)',
      target: 'by 09:00 UTC',
    });
  });

  it('honours the offset (09:00-08:00 is 17:00 UTC)', () => {
    // Last deadline: 2026-11-19T17:00Z; update at 2026-11-19T16:00Z is on time.
    const o = evaluateOne(toa('09:00-08:00'), {
      table: table({ updateTime: new Date('2026-11-19T16:00:00Z') }),
    });
    expect(o.status).toBe('met');
    expect(o.target).toBe('by 09:00 UTC−08:00');
  });

  it('is met exactly at the deadline', () => {
    expect(
      evaluateOne(toa('09:00Z'), {
        table: table({ updateTime: new Date('2026-11-20T09:00:00Z') }),
      }).status,
    ).toBe('met');
  });

  it('is breached when nothing arrived for the last deadline', () => {
    const o = evaluateOne(toa('09:00Z'), {
      table: table({ updateTime: new Date('2026-11-19T08:59:00Z') }),
    });
    expect(o.status).toBe('breached');
  });

  it('is unknown when the only known update came after the deadline', () => {
    const o = evaluateOne(toa('09:00Z'), {
      table: table({ updateTime: new Date('2026-11-20T10:00:00Z') }),
    });
    expect(o.status).toBe('unknown');
  });

  it('is breached when a complete partition history shows the day came late', () => {
    const o = evaluateOne(toa('09:00Z'), {
      table: table({
        createTime: ago(10 * D),
        partitionKeys: [{ name: 'dt' }],
      }),
      partitions: ok({
        count: 2,
        complete: true,
        creationTimes: [
          new Date('2026-11-19T07:00:00Z'),
          new Date('2026-11-20T10:00:00Z'),
        ],
        values: [['2026-11-18'], ['2026-11-19']],
      }),
    });
    expect(o.status).toBe('breached');
    expect(o.reason).toContain('arrived late');
  });

  it('is at risk when the next deadline is close and nothing arrived since the last one', () => {
    // Deadline 14:00Z: last deadline 2026-11-19T14:00Z, next in 2 h (≤ 20 % of a day).
    const o = evaluateOne(toa('14:00Z'), {
      table: table({ updateTime: new Date('2026-11-19T13:00:00Z') }),
    });
    expect(o.status).toBe('at-risk');
  });

  it('assumes UTC when no offset is given, and says so', () => {
    const o = evaluateOne(toa('06:00'), {
      table: table({ updateTime: new Date('2026-11-20T05:00:00Z') }),
    });
    expect(o.flags).toContain('assumed-utc');
    expect(o.target).toContain('UTC assumed');
  });
});

describe('lifecycle dates', () => {
  it.each([
    ['generalAvailability', '2022-05-12T09:30:10-08:00', 'met'],
    ['generalAvailability', '2027-01-01', 'at-risk'],
    ['endOfSupport', '2032-05-12T09:30:10-08:00', 'met'],
    ['endOfSupport', '2026-12-20', 'at-risk'],
    ['endOfSupport', '2026-11-01', 'breached'],
    ['endOfLife', '2042-05-12T09:30:10-08:00', 'met'],
    ['endOfLife', '2020-01-01', 'breached'],
    ['endOfLife', 'someday', 'unknown'],
  ])('%s %s → %s', (property, value, status) => {
    expect(evaluateOne({ property, value }, {}).status).toBe(status);
  });
});

it('shows properties no signal measures as declared, unknown', () => {
  const o = evaluateOne(
    { property: 'throughput', value: 100, unit: 'rows/s' },
    { table: table() },
  );
  expect(o).toMatchObject({
    kind: 'other',
    status: 'unknown',
    target: '100 rows/s',
  });
});

describe('quality rules', () => {
  const contract = contractWith([], {
    schema: [
      {
        name: 'orders',
        physicalName: 'orders',
        quality: [
          {
            name: 'orders_row_count',
            type: 'library',
            metric: 'rowCount',
            mustBeGreaterThan: 0,
          },
        ],
        properties: [
          {
            name: 'o_orderkey',
            quality: [
              {
                type: 'library',
                metric: 'nullValues',
                mustBe: 0,
                description: 'no nulls',
              },
            ],
          },
          {
            name: 'o_comment',
            quality: [{ type: 'sql', query: 'SELECT 1', mustBe: 1 }],
          },
        ],
      },
    ],
  });
  const run = (
    timestamp: Date,
    statuses: { rowCount?: string; complete?: string },
  ) =>
    ok({
      runs: [
        {
          timestamp,
          evaluations: [
            ...(statuses.rowCount
              ? [
                  {
                    types: ['RowCount'],
                    description: 'RowCount > 0',
                    applicableFields: [],
                    status: statuses.rowCount,
                  },
                ]
              : []),
            ...(statuses.complete
              ? [
                  {
                    types: ['IsComplete'],
                    description: 'IsComplete "o_orderkey"',
                    applicableFields: ['o_orderkey'],
                    status: statuses.complete,
                  },
                ]
              : []),
          ],
        },
      ],
    });

  const byTitle = (objectives: SloObjective[]) =>
    Object.fromEntries(objectives.map(o => [o.title, o]));

  it('takes results from DataZone data quality, matched by metric and column', () => {
    const objectives = byTitle(
      evaluateDataset({
        contract,
        dataset: DATASET,
        now: NOW,
        signals: {
          quality: run(ago(2 * H), { rowCount: 'PASS', complete: 'FAIL' }),
        },
      }),
    );
    expect(objectives['orders: orders_row_count']).toMatchObject({
      status: 'met',
      kind: 'quality',
      target: 'rowCount > 0',
    });
    expect(objectives['orders.o_orderkey: nullValues']).toMatchObject({
      status: 'breached',
      target: 'nullValues = 0',
      measuredAt: ago(2 * H).toISOString(),
    });
    expect(objectives['orders.o_comment: sql']).toMatchObject({
      status: 'unknown',
    });
    expect(objectives['orders.o_comment: sql'].reason).toContain(
      'sql rules run in your data-quality tool',
    );
  });

  it('does not trust results older than a week', () => {
    const objectives = byTitle(
      evaluateDataset({
        contract,
        dataset: DATASET,
        now: NOW,
        signals: { quality: run(ago(8 * D), { rowCount: 'PASS' }) },
      }),
    );
    expect(objectives['orders: orders_row_count']).toMatchObject({
      status: 'unknown',
      flags: ['stale'],
    });
  });

  // Daily row-count runs, newest first, `newestAgo` before NOW; FAIL on the given indexes.
  const history = (
    count: number,
    newestAgo: number,
    failing: number[] = [],
  ): DatasetSignals['quality'] =>
    ok({
      runs: Array.from({ length: count }, (_, i) => ({
        timestamp: ago(newestAgo + i * D),
        evaluations: [
          {
            types: ['RowCount'],
            description: 'orders_row_count: orders is never empty',
            applicableFields: [],
            status: failing.includes(i) ? 'FAIL' : 'PASS',
          },
        ],
      })),
    });
  const rowCountOf = (quality: DatasetSignals['quality']) =>
    byTitle(
      evaluateDataset({ contract, dataset: DATASET, now: NOW, signals: { quality } }),
    )['orders: orders_row_count'];

  it('a passing rule with a clean 30-day record is met, and says how many runs passed', () => {
    const objective = rowCountOf(history(30, 3 * H));
    expect(objective).toMatchObject({
      status: 'met',
      current: 'PASS (30/30 runs passed)',
      budgetUsed: 3 / (7 * 24),
    });
    expect(objective.reason).toContain('(30 of 30 runs in 30 days passed)');
  });

  it('a passing rule that failed too often over the window is at risk, never breached', () => {
    // 2 failures in the 26 runs of the window (4 older runs fall outside it):
    // a 92.3 % pass rate against the 95 % target.
    const objective = rowCountOf(history(30, 5 * D, [4, 11]));
    expect(objective).toMatchObject({
      status: 'at-risk',
      current: 'PASS (24/26 runs passed)',
      measuredAt: ago(5 * D).toISOString(),
    });
    expect(objective.reason).toContain(
      '2 of its 26 runs in the last 30 days failed: a pass rate of 92.3 % against a 95 % pass-rate target (154 % of the failures allowed)',
    );
    expect(objective.budgetUsed).toBeCloseTo(2 / 26 / 0.05);
  });

  it('is at risk from 80 % of the failures allowed, met below', () => {
    // 95 % target over 20 runs: 1 failure is the whole allowance (5 %); over
    // 25 runs it is 80 %; over 30 runs 67 %.
    expect(rowCountOf(history(20, H, [5])).status).toBe('at-risk');
    expect(rowCountOf(history(25, H, [5])).status).toBe('at-risk');
    expect(rowCountOf(history(25, H, [5])).budgetUsed).toBeCloseTo(0.8);
    expect(rowCountOf(history(30, H, [5])).status).toBe('met');
  });

  it('the newest failure breaches whatever the record', () => {
    const objective = rowCountOf(history(30, H, [0]));
    expect(objective).toMatchObject({ status: 'breached', current: 'FAIL' });
  });

  it('a passing result close to going stale is at risk (80 % of the 7 days)', () => {
    const atRisk = rowCountOf(history(1, 6 * D));
    expect(atRisk.status).toBe('at-risk');
    expect(atRisk.reason).toContain('the result is 6 d old and stops vouching for the data at 7 d');
    expect(rowCountOf(history(1, 5 * D)).status).toBe('met');
    // 80 % of 7 days exactly is at risk.
    expect(rowCountOf(history(1, 0.8 * 7 * D)).status).toBe('at-risk');
  });

  it('honours a configured pass-rate target', () => {
    const objective = evaluateDataset({
      contract,
      dataset: DATASET,
      now: NOW,
      signals: { quality: history(30, H, [4, 11]) },
      options: { qualityPassRateTarget: 0.9 },
    }).find(o => o.title === 'orders: orders_row_count')!;
    // 2 of 30 failed: 6.7 % of the 10 % allowed = 67 %.
    expect(objective.status).toBe('met');
  });

  it('falls back to the Glue recordCount for row counts, with exact boundaries', () => {
    const withCount = (recordCount: number) =>
      byTitle(
        evaluateDataset({
          contract,
          dataset: DATASET,
          now: NOW,
          signals: { table: table({ createTime: ago(D), recordCount }) },
        }),
      );
    expect(withCount(1)['orders: orders_row_count']).toMatchObject({
      status: 'met',
      current: '1 rows',
    });
    // mustBeGreaterThan 0: exactly 0 fails.
    expect(withCount(0)['orders: orders_row_count'].status).toBe('breached');
  });

  it("gives each rule's history: a result holds until the rule's next one, for at most 7 days", () => {
    const quality = ok({
      runs: [
        // Newest first, as read. The completeness check has no result here.
        { timestamp: ago(1 * D), evaluations: [] },
        {
          timestamp: ago(2 * D),
          evaluations: [
            { types: ['RowCount'], applicableFields: [], status: 'FAIL' },
          ],
        },
        {
          timestamp: ago(3 * D),
          evaluations: [
            { types: ['RowCount'], applicableFields: [], status: 'PASS' },
            {
              types: ['IsComplete'],
              applicableFields: ['o_orderkey'],
              status: 'PASS',
            },
          ],
        },
        {
          timestamp: ago(20 * D),
          evaluations: [
            { types: ['RowCount'], applicableFields: [], status: 'SKIPPED' },
          ],
        },
      ],
    });
    const spans = qualityHistory({
      contract,
      dataset: DATASET,
      now: NOW,
      signals: { quality },
    }).map(i => [i.objectiveId, i.status, i.start, i.end]);
    expect(spans).toEqual([
      ['api:default/orders#quality/orders#orders_row_count', 'unknown', ago(20 * D), ago(13 * D)],
      ['api:default/orders#quality/orders#orders_row_count', 'met', ago(3 * D), ago(2 * D)],
      // Still the newest row-count result: it holds until now.
      ['api:default/orders#quality/orders#orders_row_count', 'breached', ago(2 * D), NOW],
      ['api:default/orders#quality/orders.o_orderkey#0', 'met', ago(3 * D), NOW],
    ]);
    expect(
      qualityHistory({ contract, dataset: DATASET, now: NOW, signals: {} }),
    ).toEqual([]);
  });

  it('says when data-quality results could not be read', () => {
    const objectives = byTitle(
      evaluateDataset({
        contract,
        dataset: DATASET,
        now: NOW,
        signals: {
          quality: {
            ok: false,
            kind: 'not-configured',
            reason: 'not available',
            observedAt: NOW,
            source: 'DataZone',
          },
        },
      }),
    );
    expect(objectives['orders.o_orderkey: nullValues']).toMatchObject({
      status: 'unknown',
      reason: 'data-quality results could not be read: not available',
    });
  });
});

describe('objectives', () => {
  it('have stable ids and carry element, driver and dataset', () => {
    const [o] = evaluateDataset({
      contract: contractWith([
        {
          id: 'lat',
          property: 'latency',
          value: 1,
          unit: 'd',
          element: 'orders.dt',
          driver: 'regulatory',
        },
      ]),
      dataset: DATASET,
      signals: {},
      now: NOW,
    });
    expect(o).toMatchObject({
      id: 'api:default/orders#sla/lat',
      element: 'orders.dt',
      driver: 'regulatory',
      dataset: DATASET,
      title: 'Freshness (latency) (regulatory)',
    });
  });
});

// The upstream ODCS examples (shared reference data beside the repository).
const EXAMPLES_DIR = path.resolve(__dirname, '../../../../../shared/data/odcs');
const exampleFiles = fs.existsSync(EXAMPLES_DIR)
  ? fs.readdirSync(EXAMPLES_DIR).filter(file => file.endsWith('.odcs.yaml'))
  : [];

describe('upstream ODCS examples', () => {
  it('are present', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(10);
  });

  const signalSets: Record<string, DatasetSignals> = {
    none: {},
    outage: { table: outage('Glue GetTables'), quality: outage('DataZone') },
    fresh: {
      table: table({
        createTime: ago(400 * D),
        updateTime: ago(H),
        recordCount: 10,
        partitionKeys: [{ name: 'txn_ref_dt', type: 'date' }],
      }),
      partitions: ok({
        count: 2,
        complete: true,
        creationTimes: [ago(380 * D), ago(H)],
        values: [['2023-06-01'], ['2026-11-20']],
      }),
      s3: ok({
        newestLastModified: ago(2 * H),
        oldestLastModified: ago(300 * D),
        objectCount: 5,
        complete: true,
      }),
    },
  };

  it.each(
    exampleFiles.flatMap(file =>
      Object.keys(signalSets).map(set => [file, set]),
    ),
  )('%s parses and evaluates with %s signals', (file, set) => {
    const parsed = parseDataContract(
      fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'),
    );
    if (!parsed.valid) throw new Error(JSON.stringify(parsed.errors));
    const names = (parsed.contract.schema ?? []).map(
      s => s.physicalName ?? s.name,
    );
    for (const name of names.length ? names : ['any']) {
      const objectives = evaluateDataset({
        contract: parsed.contract,
        dataset: { entityRef: `api:default/${name}`, name },
        signals: signalSets[set],
        now: NOW,
      });
      for (const objective of objectives) {
        expect(['met', 'at-risk', 'breached', 'unknown']).toContain(
          objective.status,
        );
        expect(objective.reason.length).toBeGreaterThan(0);
      }
      // Without measurements only lifecycle dates (read from the contract) are known.
      const guessed = objectives.filter(
        o => o.status !== 'unknown' && o.kind !== 'lifecycle',
      );
      expect(set === 'fresh' || guessed.length === 0).toBe(true);
    }
  });

  it('the full example evaluates every SLA property it declares', () => {
    const parsed = parseDataContract(
      fs.readFileSync(
        path.join(EXAMPLES_DIR, 'full-example.odcs.yaml'),
        'utf8',
      ),
    );
    if (!parsed.valid) throw new Error('invalid');
    const objectives = evaluateDataset({
      contract: parsed.contract,
      dataset: { entityRef: 'api:default/tbl', name: 'tbl_1' },
      signals: signalSets.fresh,
      now: NOW,
    });
    const byProperty = Object.fromEntries(
      objectives.map(o => [
        `${o.property}${o.driver ? `/${o.driver}` : ''}`,
        o,
      ]),
    );
    expect(byProperty.latency).toMatchObject({
      status: 'met',
      target: '≤ 4 d',
      source: 'Glue GetPartitions (newest txn_ref_dt value)',
    });
    expect(byProperty.generalAvailability.status).toBe('met');
    expect(byProperty.endOfSupport.status).toBe('met');
    expect(byProperty.endOfLife.status).toBe('met');
    expect(byProperty.retention.status).toBe('met');
    expect(byProperty.frequency).toMatchObject({
      status: 'met',
      target: '≤ 1 d',
    });
    expect(byProperty['timeOfAvailability/regulatory'].target).toBe(
      'by 09:00 UTC−08:00',
    );
    expect(byProperty['timeOfAvailability/analytics'].target).toBe(
      'by 08:00 UTC−08:00',
    );
    expect(byProperty.rowCount).toMatchObject({
      status: 'breached',
      current: '10 rows',
    });
  });
});
