// Evaluation of ODCS `quality` rules against data-quality results (DataZone
// time series) and the Glue table's record count. Pure.

import {
  OdcsQualityRule,
  SloObjective,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { formatDuration } from './durations';
import { clampToNow } from './freshness';
import {
  DataQualityEvaluation,
  DataQualityRun,
  DatasetSignals,
} from './signals';
import { formatPercent, SloEvaluationOptions } from './evaluateSla';

type Evaluated = Omit<SloObjective, 'id' | 'dataset' | 'title'>;

// ODCS library metrics → AWS Glue Data Quality (DQDL) rule types whose
// results DataZone stores in its data-quality form.
const METRIC_RULE_TYPES: Record<string, string[]> = {
  rowcount: ['rowcount'],
  nullvalues: ['iscomplete', 'completeness'],
  missingvalues: ['iscomplete', 'completeness'],
  duplicatevalues: [
    'isunique',
    'uniqueness',
    'isprimarykey',
    'distinctvaluescount',
  ],
  invalidvalues: ['columnvalues', 'columndatatype', 'columnlength', 'datatype'],
};

const OPERATORS: Array<[keyof OdcsQualityRule, string]> = [
  ['mustBe', '='],
  ['mustNotBe', '≠'],
  ['mustBeGreaterThan', '>'],
  ['mustBeGreaterOrEqualTo', '≥'],
  ['mustBeLessThan', '<'],
  ['mustBeLessOrEqualTo', '≤'],
  ['mustBeBetween', 'between'],
  ['mustNotBeBetween', 'not between'],
];

/** The rule's comparison, readable: `rowCount > 0`, `nullValues = 0 %`. */
export function describeRuleTarget(rule: OdcsQualityRule): string {
  const subject = rule.metric ?? rule.name ?? rule.type ?? 'rule';
  let unit = '';
  if (rule.unit === 'percent') unit = ' %';
  else if (rule.unit && rule.unit !== 'rows') unit = ` ${rule.unit}`;
  for (const [key, symbol] of OPERATORS) {
    const value = rule[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      return `${subject} ${symbol} ${value[0]} and ${value[1]}${unit}`;
    }
    return `${subject} ${symbol} ${String(value)}${unit}`;
  }
  if (rule.type === 'text') return rule.description ?? 'described in text';
  return `${subject} passes`;
}

/** Compares a measured number with the rule's operator; undefined when the rule has none. */
export function compareWithRule(
  rule: OdcsQualityRule,
  value: number,
): boolean | undefined {
  const n = (v: unknown): number => {
    if (typeof v === 'number') return v;
    return typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  };
  if (rule.mustBe !== undefined) return value === n(rule.mustBe);
  if (rule.mustNotBe !== undefined) return value !== n(rule.mustNotBe);
  if (rule.mustBeGreaterThan !== undefined)
    return value > n(rule.mustBeGreaterThan);
  if (rule.mustBeGreaterOrEqualTo !== undefined)
    return value >= n(rule.mustBeGreaterOrEqualTo);
  if (rule.mustBeLessThan !== undefined) return value < n(rule.mustBeLessThan);
  if (rule.mustBeLessOrEqualTo !== undefined)
    return value <= n(rule.mustBeLessOrEqualTo);
  if (Array.isArray(rule.mustBeBetween)) {
    return (
      value >= n(rule.mustBeBetween[0]) && value <= n(rule.mustBeBetween[1])
    );
  }
  if (Array.isArray(rule.mustNotBeBetween)) {
    return (
      value < n(rule.mustNotBeBetween[0]) || value > n(rule.mustNotBeBetween[1])
    );
  }
  return undefined;
}

// Rule and result names repeat across every run of a 30-day history: normalize each once.
const normalized = new Map<string, string>();

function norm(text: string | undefined): string {
  const key = text ?? '';
  let value = normalized.get(key);
  if (value === undefined) {
    value = key.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (normalized.size >= 10_000) normalized.clear();
    normalized.set(key, value);
  }
  return value;
}

function matchesRule(
  evaluation: DataQualityEvaluation,
  rule: OdcsQualityRule,
  column: string | undefined,
): boolean {
  const description = norm(evaluation.description);
  for (const name of [rule.id, rule.name]) {
    if (
      name &&
      description &&
      (description === norm(name) || description.includes(norm(name)))
    ) {
      return true;
    }
  }
  const types = METRIC_RULE_TYPES[norm(rule.metric)];
  if (!types) return false;
  if (!evaluation.types.some(type => types.includes(norm(type)))) return false;
  const fields = evaluation.applicableFields.map(norm);
  return column ? fields.includes(norm(column)) : fields.length === 0;
}

function findResult(
  runs: DataQualityRun[],
  rule: OdcsQualityRule,
  column: string | undefined,
): { run: DataQualityRun; evaluation: DataQualityEvaluation } | undefined {
  for (const run of runs) {
    const evaluation = run.evaluations.find(e => matchesRule(e, rule, column));
    if (evaluation) return { run, evaluation };
  }
  return undefined;
}

/** PASS is met, FAIL and ERROR are breached, anything else unknown. */
function resultStatus(
  evaluation: DataQualityEvaluation,
): 'met' | 'breached' | 'unknown' {
  const result = (evaluation.status ?? '').toUpperCase();
  if (result === 'PASS') return 'met';
  if (result === 'FAIL' || result === 'ERROR') return 'breached';
  return 'unknown';
}

/** Passed and failed results of one rule over the runs read (the window). */
export interface RuleTrackRecord {
  passed: number;
  failed: number;
}

/** Counts the rule's PASS and FAIL/ERROR results over every run read. */
export function trackRecord(
  runs: DataQualityRun[],
  rule: OdcsQualityRule,
  column: string | undefined,
  since: Date,
): RuleTrackRecord {
  const record = { passed: 0, failed: 0 };
  for (const run of runs) {
    if (run.timestamp.getTime() < since.getTime()) continue;
    for (const evaluation of run.evaluations) {
      if (!matchesRule(evaluation, rule, column)) continue;
      const status = resultStatus(evaluation);
      if (status === 'met') record.passed++;
      else if (status === 'breached') record.failed++;
      break;
    }
  }
  return record;
}

/** A stretch of time over which a rule's newest result said one thing. */
export interface RuleResultSpan {
  status: ReturnType<typeof resultStatus>;
  start: Date;
  end: Date;
}

/**
 * The rule's status over time as its data-quality results tell it: each result
 * holds from its run until the next result of the rule, for at most
 * `maxAgeMs` (after which it no longer vouches for the data: unmeasured time).
 * Oldest first.
 */
export function ruleResultHistory(
  runs: DataQualityRun[],
  rule: OdcsQualityRule,
  column: string | undefined,
  now: Date,
  maxAgeMs: number,
): RuleResultSpan[] {
  const results: { at: number; status: RuleResultSpan['status'] }[] = [];
  for (const run of runs) {
    const evaluation = run.evaluations.find(e => matchesRule(e, rule, column));
    if (!evaluation) continue;
    results.push({
      at: Math.min(run.timestamp.getTime(), now.getTime()),
      status: resultStatus(evaluation),
    });
  }
  results.sort((a, b) => a.at - b.at);
  const spans: RuleResultSpan[] = [];
  results.forEach((result, index) => {
    const next = results[index + 1]?.at ?? now.getTime();
    const end = Math.min(next, result.at + maxAgeMs);
    if (end > result.at) {
      spans.push({
        status: result.status,
        start: new Date(result.at),
        end: new Date(end),
      });
    }
  });
  return spans;
}

/**
 * How a rule whose newest result passed stands: the share of its failure
 * allowance (1 − pass-rate target) its failures over the window used, and
 * the share of the result's trusted life (`qualityMaxAgeMs`) already gone.
 * Either from `atRiskRatio` on makes it at risk; it is never breached while
 * its newest result passes.
 */
export function passingRuleRisk(
  record: RuleTrackRecord,
  ageMs: number,
  options: SloEvaluationOptions,
): {
  status: 'met' | 'at-risk';
  failureBudgetUsed: number;
  ageUsed: number;
  passRate?: number;
} {
  const runs = record.passed + record.failed;
  const passRate = runs > 0 ? record.passed / runs : undefined;
  const allowed = 1 - options.qualityPassRateTarget;
  let failureBudgetUsed = 0;
  if (passRate !== undefined && passRate < 1) {
    failureBudgetUsed = allowed > 0 ? (1 - passRate) / allowed : Infinity;
  }
  // Rounded so that a pass rate exactly at the band's edge is not lost to floating point.
  failureBudgetUsed = Math.round(failureBudgetUsed * 1e9) / 1e9;
  const ageUsed =
    options.qualityMaxAgeMs > 0 ? ageMs / options.qualityMaxAgeMs : 0;
  const atRisk =
    failureBudgetUsed >= options.atRiskRatio || ageUsed >= options.atRiskRatio;
  return {
    status: atRisk ? 'at-risk' : 'met',
    failureBudgetUsed,
    ageUsed,
    passRate,
  };
}

export interface QualityContext {
  now: Date;
  signals: DatasetSignals;
  options: SloEvaluationOptions;
}

/**
 * Evaluates one quality rule of a schema object (`column` undefined) or of a
 * column. Never throws.
 */
export function evaluateQualityRule(
  rule: OdcsQualityRule,
  column: string | undefined,
  ctx: QualityContext,
): Evaluated {
  const target = describeRuleTarget(rule);
  const property = rule.metric ?? rule.name ?? rule.type ?? 'quality';
  const base = {
    kind: 'quality' as const,
    property,
    target,
    description: rule.description,
  };
  const quality = ctx.signals.quality;

  if (quality?.ok) {
    const found = findResult(quality.data.runs, rule, column);
    if (found) {
      const at = clampToNow(
        found.run.timestamp,
        ctx.now,
        'DataZone data quality',
        quality.observedAt,
      );
      const age = ctx.now.getTime() - at.at.getTime();
      const result = (found.evaluation.status ?? '').toUpperCase();
      const flags = at.skewed ? ['clock-skew'] : [];
      const common = {
        ...base,
        current: result || 'no status',
        measuredAt: at.at.toISOString(),
        source: 'DataZone ListTimeSeriesDataPoints (data quality)',
      };
      if (age > ctx.options.qualityMaxAgeMs) {
        return {
          ...common,
          status: 'unknown',
          reason: `The newest data-quality result (${
            result || 'no status'
          }) is ${formatDuration(age)} old, too old to vouch for the data now`,
          flags: [...flags, 'stale'],
        };
      }
      const description =
        found.evaluation.description ?? found.evaluation.types.join(', ');
      if (result === 'FAIL' || result === 'ERROR') {
        return {
          ...common,
          status: 'breached',
          reason: `Data-quality run of ${at.at.toISOString()}: ${description} failed`,
          flags: flags.length ? flags : undefined,
        };
      }
      if (result !== 'PASS') {
        return {
          ...common,
          status: 'unknown',
          reason: `The data-quality run reported "${result}" for this rule`,
          flags: flags.length ? flags : undefined,
        };
      }
      // Passed now: at risk when it failed too often over the window, or when
      // the result is close to no longer vouching for the data.
      const since = new Date(ctx.now.getTime() - ctx.options.windowMs);
      const record = trackRecord(quality.data.runs, rule, column, since);
      const risk = passingRuleRisk(record, age, ctx.options);
      const runs = record.passed + record.failed;
      const days = Math.round(ctx.options.windowMs / 86_400_000);
      const passRateTarget = formatPercent(ctx.options.qualityPassRateTarget);
      const rate =
        risk.passRate !== undefined ? formatPercent(risk.passRate) : undefined;
      const reasons: string[] = [];
      if (risk.failureBudgetUsed >= ctx.options.atRiskRatio) {
        reasons.push(
          `${
            record.failed
          } of its ${runs} runs in the last ${days} days failed: a pass rate of ${rate} against a ${passRateTarget} pass-rate target (${Math.round(
            risk.failureBudgetUsed * 100,
          )} % of the failures allowed)`,
        );
      }
      if (risk.ageUsed >= ctx.options.atRiskRatio) {
        reasons.push(
          `the result is ${formatDuration(
            age,
          )} old and stops vouching for the data at ${formatDuration(
            ctx.options.qualityMaxAgeMs,
          )}`,
        );
      }
      const passed = `Data-quality run of ${at.at.toISOString()}: ${description} passed`;
      const budgetUsed = Math.max(risk.failureBudgetUsed, risk.ageUsed);
      return {
        ...common,
        current:
          runs > 1 ? `PASS (${record.passed}/${runs} runs passed)` : 'PASS',
        status: risk.status,
        reason:
          risk.status === 'at-risk'
            ? `${passed}, but ${reasons.join('; and ')}`
            : `${passed}${
                runs > 1
                  ? ` (${record.passed} of ${runs} runs in ${days} days passed)`
                  : ''
              }`,
        budgetUsed: Number.isFinite(budgetUsed) ? budgetUsed : undefined,
        flags: flags.length ? flags : undefined,
      };
    }
  }

  if (norm(rule.metric) === 'rowcount' && !column && ctx.signals.table?.ok) {
    const { recordCount, updateTime, createTime } = ctx.signals.table.data;
    if (recordCount !== undefined) {
      const passed = compareWithRule(rule, recordCount);
      const at = updateTime ?? createTime ?? ctx.signals.table.observedAt;
      const clamped = clampToNow(
        at,
        ctx.now,
        'Glue',
        ctx.signals.table.observedAt,
      );
      if (passed !== undefined) {
        return {
          ...base,
          current: `${recordCount.toLocaleString('en-US')} rows`,
          status: passed ? 'met' : 'breached',
          reason: `The Glue table's recordCount (written when the table was last updated) is ${recordCount}`,
          measuredAt: clamped.at.toISOString(),
          source: 'Glue GetTables (Parameters.recordCount)',
          flags: clamped.skewed ? ['clock-skew'] : undefined,
        };
      }
    }
  }

  let reason: string;
  if (quality && !quality.ok) {
    reason = `data-quality results could not be read: ${quality.reason}`;
  } else if (
    rule.type === 'sql' ||
    rule.type === 'custom' ||
    rule.type === 'text'
  ) {
    reason = `${rule.type} rules run in your data-quality tool; no published result matches this rule (publish results to DataZone data quality to see them here)`;
  } else {
    reason = 'no data-quality result matches this rule yet';
  }
  return { ...base, status: 'unknown', reason };
}
