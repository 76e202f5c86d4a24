// 30-day history and error budget from stored evaluations (gaps filled from
// data-quality results). Pure.

import {
  SloErrorBudget,
  SloHistoryDay,
  SloObjectiveKind,
  SloStatus,
} from '@data-mesh-portal/plugin-data-mesh-common';

/**
 * A stretch of time over which one objective kept one status, as stored:
 * consecutive evaluations with the same status extend it.
 */
export interface SloInterval {
  objectiveId: string;
  status: SloStatus;
  start: Date;
  end: Date;
}

/** Objective kinds whose status over time is measured (and so recorded and budgeted). */
export const MEASURED_KINDS: ReadonlySet<SloObjectiveKind> =
  new Set<SloObjectiveKind>([
    'freshness',
    'frequency',
    'retention',
    'availability',
    'time-of-availability',
    'quality',
  ]);

export interface BudgetOptions {
  now: Date;
  windowMs: number;
  /** Compliance target as a fraction (0.99). */
  target: number;
  targetSource: string;
  /** Share of the budget used from which the budget is "at risk". */
  atRiskRatio: number;
}

interface Span {
  status: SloStatus;
  start: number;
  end: number;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

/** The intervals, clipped to the window. */
function spans(intervals: SloInterval[], options: BudgetOptions): Span[] {
  const windowStart = options.now.getTime() - options.windowMs;
  const result: Span[] = [];
  for (const interval of intervals) {
    const start = Math.max(interval.start.getTime(), windowStart);
    const end = Math.min(interval.end.getTime(), options.now.getTime());
    if (end > start) result.push({ status: interval.status, start, end });
  }
  return result;
}

type Range = [number, number];

function rangesByObjective(intervals: SloInterval[]): Map<string, Range[]> {
  const ranges = new Map<string, Range[]>();
  for (const interval of intervals) {
    const list = ranges.get(interval.objectiveId) ?? [];
    list.push([interval.start.getTime(), interval.end.getTime()]);
    ranges.set(interval.objectiveId, list);
  }
  return ranges;
}

/** The parts of each interval that none of `cover`'s ranges (same objective) overlaps. */
function subtract(
  intervals: SloInterval[],
  cover: Map<string, Range[]>,
): SloInterval[] {
  return intervals.flatMap(interval => {
    let pieces: Range[] = [[interval.start.getTime(), interval.end.getTime()]];
    for (const [start, end] of cover.get(interval.objectiveId) ?? []) {
      pieces = pieces.flatMap(([from, to]): Range[] => {
        if (end <= from || start >= to) return [[from, to]];
        const left: Range[] = start > from ? [[from, start]] : [];
        const right: Range[] = end < to ? [[end, to]] : [];
        return [...left, ...right];
      });
    }
    return pieces.map(([from, to]) => ({
      objectiveId: interval.objectiveId,
      status: interval.status,
      start: new Date(from),
      end: new Date(to),
    }));
  });
}

/**
 * Recorded intervals merged with history read back from a signal's own record
 * (data-quality results): what the portal recorded as met, at risk or breached
 * stands; the derived history fills the rest, including time recorded as
 * unknown (the results could not be read then). No time is counted twice.
 */
export function fillGaps(
  recorded: SloInterval[],
  derived: SloInterval[],
): SloInterval[] {
  const known = recorded.filter(i => i.status !== 'unknown');
  const unknown = recorded.filter(i => i.status === 'unknown');
  const filled = subtract(derived, rangesByObjective(known));
  return [...known, ...filled, ...subtract(unknown, rangesByObjective(filled))];
}

/** Error budget of a set of intervals (one objective, or all of an entity's together). */
export function computeErrorBudget(
  intervals: SloInterval[],
  options: BudgetOptions,
): SloErrorBudget {
  let covered = 0;
  let breached = 0;
  for (const span of spans(intervals, options)) {
    if (span.status === 'unknown') continue;
    covered += span.end - span.start;
    if (span.status === 'breached') breached += span.end - span.start;
  }
  const windowDays = Math.round(options.windowMs / DAY);
  const base = {
    windowDays,
    target: options.target,
    targetSource: options.targetSource,
    coveredMinutes: Math.round(covered / MINUTE),
    breachedMinutes: Math.round(breached / MINUTE),
  };
  if (covered === 0) {
    return {
      ...base,
      status: 'unknown',
      reason: `no measurement recorded in the last ${windowDays} days`,
    };
  }
  const allowed = (1 - options.target) * covered;
  // Rounded so that float noise (1 − 0.99 ≠ 0.01) cannot turn "exactly the
  // budget" into "a hair under it".
  let used = Math.round((breached / allowed) * 1e9) / 1e9;
  if (allowed === 0) used = breached > 0 ? Infinity : 0;
  const remaining = Math.max(0, Math.min(1, 1 - used));
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const inBreach = `${pct(breached / covered)} of the measured time in breach`;
  let status: SloStatus;
  let reason: string;
  if (used >= 1 && breached > 0) {
    status = 'breached';
    reason = `Error budget exhausted: ${inBreach}, ${pct(
      1 - options.target,
    )} allowed`;
  } else if (used >= options.atRiskRatio) {
    status = 'at-risk';
    reason = `${pct(remaining)} of the error budget left: ${inBreach}`;
  } else {
    status = 'met';
    reason = `${pct(remaining)} of the error budget left: ${inBreach}`;
  }
  return { ...base, remaining, status, reason };
}

/** Minutes per status per UTC day over the window, oldest day first. */
export function dailyHistory(
  intervals: SloInterval[],
  options: BudgetOptions,
): SloHistoryDay[] {
  const days = Math.round(options.windowMs / DAY);
  const lastDay = Math.floor(options.now.getTime() / DAY);
  const firstDay = lastDay - days + 1;
  const history: SloHistoryDay[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    history.push({
      date: new Date(day * DAY).toISOString().slice(0, 10),
      met: 0,
      atRisk: 0,
      breached: 0,
      unknown: 0,
    });
  }
  const key = {
    met: 'met',
    'at-risk': 'atRisk',
    breached: 'breached',
    unknown: 'unknown',
  } as const;
  for (const span of spans(intervals, options)) {
    let start = span.start;
    while (start < span.end) {
      const day = Math.floor(start / DAY);
      const end = Math.min(span.end, (day + 1) * DAY);
      const entry = history[day - firstDay];
      if (entry) entry[key[span.status]] += (end - start) / MINUTE;
      start = end;
    }
  }
  for (const entry of history) {
    entry.met = Math.round(entry.met);
    entry.atRisk = Math.round(entry.atRisk);
    entry.breached = Math.round(entry.breached);
    entry.unknown = Math.round(entry.unknown);
  }
  return history;
}
