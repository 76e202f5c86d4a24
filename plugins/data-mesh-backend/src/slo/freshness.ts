// Derives "when did data last land" and "how far back does it go" from the
// measured signals. Pure.

import { parseInstant } from './durations';
import { DatasetSignals, SignalResult } from './signals';

/** An instant read from a signal, clamped to `now` when it lies in the future. */
export interface Observed {
  at: Date;
  source: string;
  /** The signal said a time after `now` (clock skew); `at` was clamped to `now`. */
  skewed: boolean;
  /** When the reading was made. */
  observedAt: Date;
}

export function clampToNow(
  at: Date,
  now: Date,
  source: string,
  observedAt: Date,
): Observed {
  if (at.getTime() > now.getTime()) {
    return { at: new Date(now.getTime()), source, skewed: true, observedAt };
  }
  return { at, source, skewed: false, observedAt };
}

function newest(dates: Date[]): Date | undefined {
  let best: Date | undefined;
  for (const date of dates) {
    if (!best || date.getTime() > best.getTime()) best = date;
  }
  return best;
}

function oldest(dates: Date[]): Date | undefined {
  let best: Date | undefined;
  for (const date of dates) {
    if (!best || date.getTime() < best.getTime()) best = date;
  }
  return best;
}

/** Why a signal gave nothing, for the "unknown" reason. */
export function unavailableReasons(signals: DatasetSignals): string[] {
  const reasons: string[] = [];
  for (const signal of Object.values(signals) as (
    | SignalResult<unknown>
    | undefined
  )[]) {
    if (signal && !signal.ok) {
      reasons.push(`${signal.source}: ${signal.reason}`);
    }
  }
  return reasons;
}

/** The column part of an ODCS `element` (`table.column` → `column`) for this dataset. */
export function elementColumns(element: string | undefined): string[] {
  if (!element) return [];
  return element
    .split(',')
    .map(part => part.trim())
    .filter(Boolean)
    .map(part =>
      part.includes('.') ? part.split('.').slice(1).join('.') : part,
    );
}

/**
 * Index of a partition key named by the element, whose values are dates or
 * timestamps (the event time of the data in that partition).
 */
function datedPartitionKey(
  signals: DatasetSignals,
  element: string | undefined,
): { index: number; name: string } | undefined {
  if (!signals.table?.ok) return undefined;
  const keys = signals.table.data.partitionKeys;
  for (const column of elementColumns(element)) {
    const index = keys.findIndex(
      key => key.name.toLowerCase() === column.toLowerCase(),
    );
    if (index >= 0) return { index, name: keys[index].name };
  }
  return undefined;
}

function partitionValueDates(
  signals: DatasetSignals,
  keyIndex: number,
): Date[] {
  if (!signals.partitions?.ok) return [];
  const dates: Date[] = [];
  for (const values of signals.partitions.data.values) {
    const parsed = parseInstant(values[keyIndex]);
    if (parsed.ok) dates.push(parsed.value);
  }
  return dates;
}

/**
 * The newest event time of the data, when the element names a dated
 * partition key (ODCS `latency` on `table.txn_ref_dt`): the newest
 * partition value.
 */
export function newestEventTime(
  signals: DatasetSignals,
  element: string | undefined,
  now: Date,
): Observed | undefined {
  const key = datedPartitionKey(signals, element);
  if (!key || !signals.partitions?.ok) return undefined;
  const at = newest(partitionValueDates(signals, key.index));
  if (!at) return undefined;
  return clampToNow(
    at,
    now,
    `Glue GetPartitions (newest ${key.name} value)`,
    signals.partitions.observedAt,
  );
}

/**
 * When data last landed: the newest of the table's UpdateTime (CreateTime
 * when never updated), the newest partition's CreationTime and the newest S3
 * object under the table location.
 */
export function lastDataUpdate(
  signals: DatasetSignals,
  now: Date,
): Observed | undefined {
  const candidates: Observed[] = [];
  if (signals.table?.ok) {
    const { updateTime, createTime } = signals.table.data;
    const at = updateTime ?? createTime;
    if (at) {
      candidates.push(
        clampToNow(
          at,
          now,
          updateTime
            ? 'Glue GetTables (UpdateTime)'
            : 'Glue GetTables (CreateTime)',
          signals.table.observedAt,
        ),
      );
    }
  }
  if (signals.partitions?.ok) {
    const at = newest(signals.partitions.data.creationTimes);
    if (at) {
      candidates.push(
        clampToNow(
          at,
          now,
          'Glue GetPartitions (newest CreationTime)',
          signals.partitions.observedAt,
        ),
      );
    }
  }
  if (signals.s3?.ok && signals.s3.data.newestLastModified) {
    candidates.push(
      clampToNow(
        signals.s3.data.newestLastModified,
        now,
        'S3 ListObjectsV2 (newest LastModified)',
        signals.s3.observedAt,
      ),
    );
  }
  let best: Observed | undefined;
  for (const candidate of candidates) {
    if (!best || candidate.at.getTime() > best.at.getTime()) best = candidate;
  }
  if (best && candidates.some(c => c.skewed)) {
    best = { ...best, skewed: true };
  }
  return best;
}

/**
 * Every known update instant, and whether the list is complete (all
 * partitions read): used for time-of-availability.
 */
export function knownUpdates(
  signals: DatasetSignals,
  now: Date,
): { updates: Observed[]; complete: boolean } {
  const updates: Observed[] = [];
  const last = lastDataUpdate(signals, now);
  if (last) updates.push(last);
  let complete = false;
  if (signals.partitions?.ok && signals.partitions.data.count > 0) {
    complete = signals.partitions.data.complete;
    for (const at of signals.partitions.data.creationTimes) {
      updates.push(
        clampToNow(
          at,
          now,
          'Glue GetPartitions (CreationTime)',
          signals.partitions.observedAt,
        ),
      );
    }
  }
  return { updates, complete };
}

/**
 * How far back the kept data goes, when a complete reading can tell: the
 * oldest dated partition value (element), else the oldest partition, else the
 * oldest S3 object of a complete listing.
 */
export function oldestKeptData(
  signals: DatasetSignals,
  element: string | undefined,
  now: Date,
): Observed | undefined {
  if (signals.partitions?.ok && signals.partitions.data.complete) {
    const key = datedPartitionKey(signals, element);
    if (key) {
      const at = oldest(partitionValueDates(signals, key.index));
      if (at) {
        return clampToNow(
          at,
          now,
          `Glue GetPartitions (oldest ${key.name} value)`,
          signals.partitions.observedAt,
        );
      }
    }
    const at = oldest(signals.partitions.data.creationTimes);
    if (at) {
      return clampToNow(
        at,
        now,
        'Glue GetPartitions (oldest CreationTime)',
        signals.partitions.observedAt,
      );
    }
  }
  if (
    signals.s3?.ok &&
    signals.s3.data.complete &&
    signals.s3.data.oldestLastModified
  ) {
    return clampToNow(
      signals.s3.data.oldestLastModified,
      now,
      'S3 ListObjectsV2 (oldest LastModified)',
      signals.s3.observedAt,
    );
  }
  return undefined;
}
