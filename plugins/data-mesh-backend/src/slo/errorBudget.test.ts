import {
  computeErrorBudget,
  dailyHistory,
  fillGaps,
  SloInterval,
} from './errorBudget';

const NOW = new Date('2026-11-20T12:00:00Z');
const H = 3_600_000;
const D = 24 * H;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const options = {
  now: NOW,
  windowMs: 30 * D,
  target: 0.99,
  targetSource: 'default',
  atRiskRatio: 0.8,
};

// `hours` hours of history ending now, with `breachedHours` of breach in the middle.
function history(hours: number, breachedHours: number): SloInterval[] {
  const startBreach = hours / 2;
  return [
    {
      objectiveId: 'o1',
      status: 'met',
      start: ago(hours * H),
      end: ago(startBreach * H),
    },
    {
      objectiveId: 'o1',
      status: 'breached',
      start: ago(startBreach * H),
      end: ago((startBreach - breachedHours) * H),
    },
    {
      objectiveId: 'o1',
      status: 'met',
      start: ago((startBreach - breachedHours) * H),
      end: NOW,
    },
  ];
}

describe('computeErrorBudget', () => {
  it('is unknown without measurements (unknown time does not count)', () => {
    expect(computeErrorBudget([], options)).toMatchObject({
      status: 'unknown',
      coveredMinutes: 0,
    });
    const unknownOnly = computeErrorBudget(
      [{ objectiveId: 'o1', status: 'unknown', start: ago(5 * H), end: NOW }],
      options,
    );
    expect(unknownOnly.status).toBe('unknown');
    expect(unknownOnly.remaining).toBeUndefined();
  });

  it('is full when nothing was breached', () => {
    expect(computeErrorBudget(history(200, 0), options)).toMatchObject({
      status: 'met',
      remaining: 1,
      coveredMinutes: 200 * 60,
      breachedMinutes: 0,
    });
  });

  it('weighs breached time against the allowed share of the covered time', () => {
    // 1 of 200 hours breached: 0.5 % of 1 % allowed → half the budget left.
    const half = computeErrorBudget(history(200, 1), options);
    expect(half).toMatchObject({ status: 'met', breachedMinutes: 60 });
    expect(half.remaining).toBeCloseTo(0.5);
    // 2 of 200 hours: exactly the budget → exhausted.
    expect(computeErrorBudget(history(200, 2), options)).toMatchObject({
      status: 'breached',
      remaining: 0,
    });
    // 4 of 500 hours: 0.8 % of 1 % → 80 % used, at risk.
    expect(computeErrorBudget(history(500, 4), options).status).toBe('at-risk');
  });

  it('counts only the window', () => {
    const intervals: SloInterval[] = [
      {
        objectiveId: 'o1',
        status: 'breached',
        start: ago(40 * D),
        end: ago(30 * D + H),
      },
      {
        objectiveId: 'o1',
        status: 'breached',
        start: ago(30 * D + H),
        end: ago(30 * D - H),
      },
      { objectiveId: 'o1', status: 'met', start: ago(30 * D - H), end: NOW },
    ];
    const budget = computeErrorBudget(intervals, options);
    expect(budget.coveredMinutes).toBe(30 * 24 * 60);
    expect(budget.breachedMinutes).toBe(60);
  });

  it('sums objectives', () => {
    const intervals: SloInterval[] = [
      { objectiveId: 'a', status: 'met', start: ago(2 * H), end: NOW },
      { objectiveId: 'b', status: 'breached', start: ago(H), end: NOW },
    ];
    expect(computeErrorBudget(intervals, options)).toMatchObject({
      coveredMinutes: 180,
      breachedMinutes: 60,
    });
  });
});

describe('dailyHistory', () => {
  it('has 30 UTC days, oldest first, and splits intervals at midnight', () => {
    const intervals: SloInterval[] = [
      {
        objectiveId: 'o1',
        status: 'breached',
        start: new Date('2026-11-19T23:30:00Z'),
        end: new Date('2026-11-20T00:30:00Z'),
      },
      {
        objectiveId: 'o1',
        status: 'at-risk',
        start: new Date('2026-11-20T11:00:00Z'),
        end: new Date('2026-11-20T13:00:00Z'),
      },
    ];
    const days = dailyHistory(intervals, options);
    expect(days).toHaveLength(30);
    expect(days[0].date).toBe('2026-10-22');
    // The at-risk interval is cut at NOW (12:00).
    expect(days[29]).toEqual({
      date: '2026-11-20',
      met: 0,
      atRisk: 60,
      breached: 30,
      unknown: 0,
    });
    expect(days[28]).toEqual({
      date: '2026-11-19',
      met: 0,
      atRisk: 0,
      breached: 30,
      unknown: 0,
    });
  });
});

describe('fillGaps', () => {
  const span = (
    objectiveId: string,
    status: SloInterval['status'],
    fromHoursAgo: number,
    toHoursAgo: number,
  ): SloInterval => ({
    objectiveId,
    status,
    start: ago(fromHoursAgo * H),
    end: ago(toHoursAgo * H),
  });

  it('keeps every recorded interval and adds only the derived time none of them covers', () => {
    const recorded = [span('o1', 'met', 10, 8), span('o1', 'at-risk', 4, 2)];
    const derived = [
      span('o1', 'breached', 12, 6),
      span('o1', 'met', 6, 0),
      span('o2', 'met', 5, 0),
    ];
    expect(fillGaps(recorded, derived)).toEqual([
      ...recorded,
      span('o1', 'breached', 12, 10),
      span('o1', 'breached', 8, 6),
      span('o1', 'met', 6, 4),
      span('o1', 'met', 2, 0),
      // Another objective's recorded time does not hide this one's.
      span('o2', 'met', 5, 0),
    ]);
  });

  it('fills time recorded as unknown (results unreadable then) and keeps the rest of it', () => {
    const recorded = [span('o1', 'unknown', 6, 2), span('o1', 'met', 2, 0)];
    expect(fillGaps(recorded, [span('o1', 'breached', 8, 4)])).toEqual([
      span('o1', 'met', 2, 0),
      span('o1', 'breached', 8, 4),
      span('o1', 'unknown', 4, 2),
    ]);
  });

  it('adds nothing where recorded time covers it all', () => {
    const recorded = [span('o1', 'met', 24, 0)];
    expect(fillGaps(recorded, [span('o1', 'breached', 20, 1)])).toEqual(
      recorded,
    );
  });
});
