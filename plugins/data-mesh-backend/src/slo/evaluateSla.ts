// Evaluation of one ODCS `slaProperties` entry against measured signals. Pure:
// no I/O, `now` is passed in.

import {
  OdcsSlaProperty,
  SloObjective,
  SloStatus,
} from '@data-mesh-portal/plugin-data-mesh-common';
import {
  durationMs,
  formatDuration,
  formatSlaDuration,
  formatTimeOfDay,
  lastOccurrence,
  parseInstant,
  parseSlaDuration,
  parseTimeOfDay,
  subtractDuration,
} from './durations';
import {
  knownUpdates,
  lastDataUpdate,
  newestEventTime,
  Observed,
  oldestKeptData,
  unavailableReasons,
} from './freshness';
import { AvailabilityHistory, DatasetSignals } from './signals';

/** Tunables of the evaluation (defaults in {@link DEFAULT_SLO_OPTIONS}). */
export interface SloEvaluationOptions {
  /** Share of an objective's budget from which it is "at risk" (0.8 = 80 %). */
  atRiskRatio: number;
  /** Lifecycle dates (end of support, end of life) closer than this are "at risk". */
  lifecycleWarningMs: number;
  /** Data-quality results older than this are not trusted (status unknown). */
  qualityMaxAgeMs: number;
  /**
   * Share of a quality rule's runs over the window that must pass (0.95 =
   * 95 %): a rule that passes now but failed more often than this allows is
   * "at risk" from `atRiskRatio` of the allowance used.
   */
  qualityPassRateTarget: number;
  /** Window of availability and error budget. */
  windowMs: number;
}

export const DEFAULT_SLO_OPTIONS: SloEvaluationOptions = {
  atRiskRatio: 0.8,
  lifecycleWarningMs: 90 * 86_400_000,
  qualityMaxAgeMs: 7 * 86_400_000,
  qualityPassRateTarget: 0.95,
  windowMs: 30 * 86_400_000,
};

export interface SlaContext {
  now: Date;
  signals: DatasetSignals;
  /** The element when the SLA has none (`slaDefaultElement`). */
  defaultElement?: string;
  availability?: AvailabilityHistory;
  options: SloEvaluationOptions;
}

type Evaluated = Omit<
  SloObjective,
  'id' | 'dataset' | 'property' | 'title' | 'kind'
> &
  Pick<SloObjective, 'kind'>;

const PROPERTY_TITLES: Record<string, string> = {
  latency: 'Freshness (latency)',
  frequency: 'Update frequency',
  retention: 'Retention',
  availability: 'Availability',
  timeofavailability: 'Time of availability',
  generalavailability: 'General availability',
  endofsupport: 'End of support',
  endoflife: 'End of life',
};

export function slaTitle(sla: OdcsSlaProperty): string {
  const base = PROPERTY_TITLES[sla.property.toLowerCase()] ?? sla.property;
  return sla.driver ? `${base} (${sla.driver})` : base;
}

function unknown(
  kind: Evaluated['kind'],
  target: string,
  reason: string,
  extra: Partial<Evaluated> = {},
): Evaluated {
  return { kind, target, status: 'unknown', reason, ...extra };
}

function flagsOf(...observed: (Observed | undefined)[]): string[] | undefined {
  return observed.some(o => o?.skewed) ? ['clock-skew'] : undefined;
}

function noSignalReason(signals: DatasetSignals, what: string): string {
  const reasons = unavailableReasons(signals);
  return reasons.length > 0
    ? `${what} could not be measured: ${reasons.join('; ')}`
    : `no signal tells ${what} (no Glue table, partitions or S3 objects were found for this dataset)`;
}

function statusForRatio(
  ratio: number,
  options: SloEvaluationOptions,
): SloStatus {
  if (ratio > 1) return 'breached';
  return ratio >= options.atRiskRatio ? 'at-risk' : 'met';
}

/** `latency` and `frequency`: the age of the data against a duration. */
function evaluateAge(sla: OdcsSlaProperty, ctx: SlaContext): Evaluated {
  const kind =
    sla.property.toLowerCase() === 'latency' ? 'freshness' : 'frequency';
  const duration = parseSlaDuration(sla.value, sla.unit);
  const declared = `${sla.value}${sla.unit ? ` ${sla.unit}` : ''}`;
  if (!duration.ok) {
    return unknown(
      kind,
      declared,
      `the target cannot be read: ${duration.reason}`,
    );
  }
  const targetMs = durationMs(duration.value);
  const target = `≤ ${formatSlaDuration(duration.value)}`;
  const element = sla.element ?? ctx.defaultElement;
  // Latency on a dated column measures the data's event time; otherwise (and
  // for frequency) when data last landed.
  const observed =
    (kind === 'freshness'
      ? newestEventTime(ctx.signals, element, ctx.now)
      : undefined) ?? lastDataUpdate(ctx.signals, ctx.now);
  if (!observed) {
    return unknown(
      kind,
      target,
      noSignalReason(ctx.signals, 'when the data was last updated'),
    );
  }
  const age = ctx.now.getTime() - observed.at.getTime();
  let ratio = age / targetMs;
  if (targetMs === 0) ratio = age === 0 ? 1 : Infinity;
  let status = statusForRatio(ratio, ctx.options);
  const what = kind === 'freshness' ? 'Newest data is' : 'Last update was';
  let reason =
    status === 'breached'
      ? `${what} ${formatDuration(age)} old, beyond the ${formatSlaDuration(
          duration.value,
        )} target`
      : `${what} ${formatDuration(age)} old (${Math.round(
          ratio * 100,
        )} % of the ${formatSlaDuration(duration.value)} target)`;
  if (observed.skewed) {
    reason +=
      '; a signal reported a time in the future (clock skew) and was counted as now';
  }
  const crawler = ctx.signals.crawler;
  if (crawler?.ok) {
    const { lastRunStatus, state, name, errorMessage } = crawler.data;
    if (lastRunStatus && /FAILED|CANCELLED/i.test(lastRunStatus)) {
      reason += `; the last run of crawler ${name} ${lastRunStatus.toLowerCase()}${
        errorMessage ? ` (${errorMessage})` : ''
      }, so new data may not be registered`;
      if (status === 'met') status = 'at-risk';
    } else if (state && /RUNNING|STOPPING/i.test(state)) {
      reason += `; crawler ${name} is ${state.toLowerCase()}, its result is not known yet`;
    }
  }
  return {
    kind,
    target,
    current: `${formatDuration(age)} old`,
    status,
    reason,
    measuredAt: observed.observedAt.toISOString(),
    source: observed.source,
    budgetUsed: Number.isFinite(ratio) ? ratio : undefined,
    flags: flagsOf(observed),
  };
}

function evaluateRetention(sla: OdcsSlaProperty, ctx: SlaContext): Evaluated {
  const duration = parseSlaDuration(sla.value, sla.unit);
  const declared = `${sla.value}${sla.unit ? ` ${sla.unit}` : ''}`;
  if (!duration.ok) {
    return unknown(
      'retention',
      declared,
      `the target cannot be read: ${duration.reason}`,
    );
  }
  const target = `keeps ${formatSlaDuration(duration.value)}`;
  const horizon = subtractDuration(ctx.now, duration.value);
  const kept = oldestKeptData(
    ctx.signals,
    sla.element ?? ctx.defaultElement,
    ctx.now,
  );
  const table = ctx.signals.table?.ok ? ctx.signals.table : undefined;
  const createTime = table?.data.createTime;
  if (!kept) {
    if (createTime && createTime.getTime() > horizon.getTime()) {
      return {
        kind: 'retention',
        target,
        current: `dataset ${formatDuration(
          ctx.now.getTime() - createTime.getTime(),
        )} old`,
        status: 'met',
        reason: `The dataset was created ${formatDuration(
          ctx.now.getTime() - createTime.getTime(),
        )} ago, less than the retention period: no data has reached the retention age yet`,
        measuredAt: table!.observedAt.toISOString(),
        source: 'Glue GetTables (CreateTime)',
      };
    }
    return unknown(
      'retention',
      target,
      ctx.signals.table?.ok
        ? 'how far back the data goes cannot be told: no complete partition or S3 listing was read'
        : noSignalReason(ctx.signals, 'how far back the data goes'),
    );
  }
  const keptFor = ctx.now.getTime() - kept.at.getTime();
  const base = {
    kind: 'retention' as const,
    target,
    current: `oldest data ${formatDuration(keptFor)} old`,
    measuredAt: kept.observedAt.toISOString(),
    source: kept.source,
    flags: flagsOf(kept),
  };
  if (kept.at.getTime() <= horizon.getTime()) {
    return {
      ...base,
      status: 'met',
      reason: `Data goes back ${formatDuration(
        keptFor,
      )}, at least the ${formatSlaDuration(duration.value)} promised`,
    };
  }
  if (
    createTime &&
    createTime.getTime() > horizon.getTime() &&
    kept.at.getTime() <= createTime.getTime() + 86_400_000
  ) {
    return {
      ...base,
      status: 'met',
      reason: `Data goes back to the dataset's creation ${formatDuration(
        keptFor,
      )} ago, less than the retention period: nothing has reached the retention age yet`,
    };
  }
  return {
    ...base,
    status: 'breached',
    reason: `The oldest data kept is ${formatDuration(
      keptFor,
    )} old, less than the ${formatSlaDuration(duration.value)} promised${
      createTime
        ? ` although the dataset exists since ${createTime
            .toISOString()
            .slice(0, 10)}`
        : ''
    }`,
  };
}

/** Reads a percentage: `99.9`, `"99.9%"`, `0.999` (a fraction), unit `%`/`percent`. */
export function parsePercent(
  value: unknown,
  unit?: string,
): number | undefined {
  let text = '';
  if (typeof value === 'number') text = String(value);
  else if (typeof value === 'string') text = value.trim();
  let percent = !!unit && /^(%|percent|pct)$/i.test(unit.trim());
  if (text.endsWith('%')) {
    percent = true;
    text = text.slice(0, -1).trim();
  }
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const number = Number(text);
  const fraction = percent || number > 1 ? number / 100 : number;
  return fraction >= 0 && fraction <= 1 ? fraction : undefined;
}

/** `99.95 %`, `93.3 %`, `100 %`. */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  let digits = pct >= 99 ? 2 : 1;
  if (pct === 100 || pct === 0) digits = 0;
  const text = pct.toFixed(digits);
  return `${text.includes('.') ? text.replace(/\.?0+$/, '') : text} %`;
}

function evaluateAvailability(
  sla: OdcsSlaProperty,
  ctx: SlaContext,
): Evaluated {
  const target = parsePercent(sla.value, sla.unit);
  if (target === undefined) {
    return unknown(
      'availability',
      String(sla.value),
      `"${sla.value}" is not a percentage`,
    );
  }
  const targetText = `≥ ${formatPercent(target)}`;
  const table = ctx.signals.table;
  let probe: boolean | undefined;
  if (table?.ok) probe = true;
  else if (table && !table.ok && table.kind === 'not-found') probe = false;
  const { upMs, downMs } = ctx.availability ?? { upMs: 0, downMs: 0 };
  const days = Math.round(ctx.options.windowMs / 86_400_000);
  let measured: number;
  let reason: string;
  if (upMs + downMs > 0) {
    measured = upMs / (upMs + downMs);
    reason = `The Glue table was readable ${formatDuration(
      upMs,
    )} of the ${formatDuration(
      upMs + downMs,
    )} measured in the last ${days} days`;
    if (probe === false) reason += '; it is missing now';
  } else if (probe !== undefined) {
    measured = probe ? 1 : 0;
    reason = probe
      ? 'Only the current probe is recorded so far: the Glue table is readable'
      : 'Only the current probe is recorded so far: the Glue table is missing';
  } else {
    return unknown(
      'availability',
      targetText,
      table && !table.ok
        ? `the dataset could not be probed: ${table.reason}`
        : 'no availability probe recorded yet',
    );
  }
  const allowedBad = 1 - target;
  const bad = 1 - measured;
  let ratio = Math.round((bad / allowedBad) * 1e9) / 1e9;
  if (allowedBad === 0) ratio = bad === 0 ? 0 : Infinity;
  const status =
    measured < target ? 'breached' : statusForRatio(ratio, ctx.options);
  return {
    kind: 'availability',
    target: targetText,
    current: formatPercent(measured),
    status,
    reason,
    measuredAt: (table?.observedAt ?? ctx.now).toISOString(),
    source: 'Glue GetTables (table readable), stored probes',
    budgetUsed: Number.isFinite(ratio) ? ratio : undefined,
  };
}

function evaluateTimeOfAvailability(
  sla: OdcsSlaProperty,
  ctx: SlaContext,
): Evaluated {
  const time = parseTimeOfDay(sla.value);
  if (!time.ok) {
    return unknown(
      'time-of-availability',
      String(sla.value),
      `the target cannot be read: ${time.reason}`,
    );
  }
  const flags = time.value.assumedUtc ? ['assumed-utc'] : [];
  const target = `by ${formatTimeOfDay(time.value)}${
    time.value.assumedUtc ? ' (no offset given: UTC assumed)' : ''
  }`;
  const deadline = lastOccurrence(time.value, ctx.now);
  const day = 86_400_000;
  const windowStart = deadline.getTime() - day;
  const { updates, complete } = knownUpdates(ctx.signals, ctx.now);
  if (updates.length === 0) {
    return unknown(
      'time-of-availability',
      target,
      noSignalReason(ctx.signals, 'when the data was last updated'),
      { flags },
    );
  }
  const newestUpdate = updates.reduce((a, b) =>
    b.at.getTime() > a.at.getTime() ? b : a,
  );
  const base = {
    kind: 'time-of-availability' as const,
    target,
    measuredAt: newestUpdate.observedAt.toISOString(),
    source: newestUpdate.source,
  };
  if (newestUpdate.skewed) flags.push('clock-skew');
  const onTime = updates
    .filter(
      u => u.at.getTime() > windowStart && u.at.getTime() <= deadline.getTime(),
    )
    .sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  const deadlineText = deadline.toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');
  if (onTime) {
    const sinceDeadline = updates.some(
      u => u.at.getTime() > deadline.getTime(),
    );
    const toNext = deadline.getTime() + day - ctx.now.getTime();
    const atRisk =
      !sinceDeadline && toNext <= (1 - ctx.options.atRiskRatio) * day;
    return {
      ...base,
      current: `updated ${onTime.at.toISOString()}`,
      status: atRisk ? 'at-risk' : 'met',
      reason: atRisk
        ? `The last deadline (${deadlineText}) was met, but no data has arrived for the next one, due in ${formatDuration(
            toNext,
          )}`
        : `Data was updated ${formatDuration(
            deadline.getTime() - onTime.at.getTime(),
          )} before the deadline of ${deadlineText}`,
      flags: flags.length ? flags : undefined,
    };
  }
  if (newestUpdate.at.getTime() <= windowStart) {
    return {
      ...base,
      current: `last update ${newestUpdate.at.toISOString()}`,
      status: 'breached',
      reason: `No data arrived in the 24 h before the deadline of ${deadlineText}; the newest update is ${formatDuration(
        ctx.now.getTime() - newestUpdate.at.getTime(),
      )} old`,
      flags: flags.length ? flags : undefined,
    };
  }
  if (complete) {
    return {
      ...base,
      current: `first update after ${deadlineText}`,
      status: 'breached',
      reason: `The day's data arrived late: no partition was added in the 24 h before the deadline of ${deadlineText}`,
      flags: flags.length ? flags : undefined,
    };
  }
  return unknown(
    'time-of-availability',
    target,
    `The newest update (${newestUpdate.at.toISOString()}) came after the deadline of ${deadlineText}; whether the day's data was there in time cannot be told from the newest update alone`,
    { flags: flags.length ? flags : undefined, source: newestUpdate.source },
  );
}

function evaluateLifecycle(sla: OdcsSlaProperty, ctx: SlaContext): Evaluated {
  const property = sla.property.toLowerCase();
  const date = parseInstant(sla.value);
  if (!date.ok) {
    return unknown(
      'lifecycle',
      String(sla.value),
      `the date cannot be read: ${date.reason}`,
    );
  }
  const when = date.value;
  const iso = when.toISOString();
  const target =
    property === 'generalavailability'
      ? `from ${iso.slice(0, 10)}`
      : `until ${iso.slice(0, 10)}`;
  const delta = when.getTime() - ctx.now.getTime();
  const base = {
    kind: 'lifecycle' as const,
    target,
    measuredAt: ctx.now.toISOString(),
    source: 'data contract',
  };
  if (property === 'generalavailability') {
    return delta <= 0
      ? {
          ...base,
          status: 'met',
          current: 'generally available',
          reason: `Generally available since ${iso}`,
        }
      : {
          ...base,
          status: 'at-risk',
          current: 'not yet generally available',
          reason: `Not generally available until ${iso} (in ${formatDuration(
            delta,
          )})`,
        };
  }
  const what = property === 'endofsupport' ? 'Support ends' : 'End of life is';
  const past =
    property === 'endofsupport' ? 'Support ended' : 'Reached its end of life';
  if (delta < 0) {
    return {
      ...base,
      status: 'breached',
      current: past.toLowerCase(),
      reason: `${past} on ${iso}`,
    };
  }
  if (delta <= ctx.options.lifecycleWarningMs) {
    return {
      ...base,
      status: 'at-risk',
      current: `in ${formatDuration(delta)}`,
      reason: `${what} on ${iso}, in ${formatDuration(delta)}`,
    };
  }
  return {
    ...base,
    status: 'met',
    current: `in ${formatDuration(delta)}`,
    reason: `${what} on ${iso}`,
  };
}

/** Evaluates one SLA property. Never throws: unreadable input gives `unknown`. */
export function evaluateSlaProperty(
  sla: OdcsSlaProperty,
  ctx: SlaContext,
): Evaluated {
  try {
    switch (String(sla.property).toLowerCase()) {
      case 'latency':
      case 'frequency':
        return evaluateAge(sla, ctx);
      case 'retention':
        return evaluateRetention(sla, ctx);
      case 'availability':
        return evaluateAvailability(sla, ctx);
      case 'timeofavailability':
        return evaluateTimeOfAvailability(sla, ctx);
      case 'generalavailability':
      case 'endofsupport':
      case 'endoflife':
        return evaluateLifecycle(sla, ctx);
      default:
        return unknown(
          'other',
          `${sla.value ?? ''}${sla.unit ? ` ${sla.unit}` : ''}`.trim() || '—',
          `"${sla.property}" is shown as declared: no live signal measures it`,
        );
    }
  } catch (error) {
    return unknown(
      'other',
      String(sla.value),
      `could not be evaluated: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}
