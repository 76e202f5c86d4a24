import { RemovalGuardConfig } from '../config';

/** The outcome of {@link checkRemovals}. */
export type RemovalDecision =
  | { allowed: true; removed: number; acknowledged?: boolean }
  | { allowed: false; removed: number; reason: string };

/**
 * Decides whether a full sync may replace `previousRefs` (what the catalog
 * holds from this provider) with `nextRefs`: a removal of more than the
 * configured share, or of everything, is refused unless acknowledged
 * (`acceptRemovalsUntil` in the future). Pure: `now` is passed in.
 */
export function checkRemovals(options: {
  previousRefs: ReadonlySet<string> | undefined;
  nextRefs: ReadonlySet<string>;
  guard: RemovalGuardConfig;
  now: Date;
}): RemovalDecision {
  const { previousRefs, nextRefs, guard, now } = options;
  if (!previousRefs || previousRefs.size === 0) {
    return { allowed: true, removed: 0 };
  }
  let removed = 0;
  for (const ref of previousRefs) {
    if (!nextRefs.has(ref)) {
      removed += 1;
    }
  }
  if (removed === 0) {
    return { allowed: true, removed };
  }
  if (guard.acceptRemovalsUntil && now.getTime() < guard.acceptRemovalsUntil.getTime()) {
    return { allowed: true, removed, acknowledged: true };
  }
  if (nextRefs.size === 0 && !guard.allowRemovalToZero) {
    return {
      allowed: false,
      removed,
      reason: `the sync would remove all ${previousRefs.size} entities (set removalGuard.allowRemovalToZero or removalGuard.acceptRemovalsUntil to allow it)`,
    };
  }
  const percent = (removed / previousRefs.size) * 100;
  if (percent > guard.maxRemovalPercent) {
    return {
      allowed: false,
      removed,
      reason: `the sync would remove ${removed} of ${previousRefs.size} entities (${percent.toFixed(1)} %, more than removalGuard.maxRemovalPercent ${guard.maxRemovalPercent} %; set removalGuard.acceptRemovalsUntil to a time in the near future to let it through once)`,
    };
  }
  return { allowed: true, removed };
}
