// Evaluation of ODCS `quality` rules against data-quality results (DataZone
// time series) and the Glue table's record count. Pure.

import {
  OdcsQualityRule,
  SloObjective,
  SloStatus,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { formatDuration } from './durations';
import { clampToNow } from './freshness';
import {
  DataQualityEvaluation,
  DataQualityRun,
  DatasetSignals,
} from './signals';
import { SloEvaluationOptions } from './evaluateSla';

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

function norm(text: string | undefined): string {
  return (text ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
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
      let status: SloStatus = 'unknown';
      if (result === 'PASS') status = 'met';
      else if (result === 'FAIL' || result === 'ERROR') status = 'breached';
      return {
        ...common,
        status,
        reason:
          status === 'unknown'
            ? `The data-quality run reported "${result}" for this rule`
            : `Data-quality run of ${at.at.toISOString()}: ${
                found.evaluation.description ??
                found.evaluation.types.join(', ')
              } ${result === 'PASS' ? 'passed' : 'failed'}`,
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
