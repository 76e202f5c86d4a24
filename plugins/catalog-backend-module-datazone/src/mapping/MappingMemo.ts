/**
 * Remembers results of expensive, deterministic mapping steps (parsing a
 * product's ODCS contract, building and validating each dataset's part of it)
 * between syncs. Keys are DataZone listing ids at a revision: a published
 * listing revision never changes, so an unchanged mesh maps from memory.
 *
 * Entries not used during a run are dropped at its end (`endRun`), so the memo
 * holds at most what the last run and the current one need.
 */
export class MappingMemo {
  private previous = new Map<string, unknown>();
  private current = new Map<string, unknown>();
  hits = 0;
  misses = 0;

  /** The value for `key`, computed once; no key (no listing revision) means no memo. */
  get<T>(key: string | undefined, compute: () => T): T {
    if (key === undefined) {
      return compute();
    }
    if (this.current.has(key)) {
      return this.current.get(key) as T;
    }
    let value: T;
    if (this.previous.has(key)) {
      value = this.previous.get(key) as T;
      this.hits += 1;
    } else {
      value = compute();
      this.misses += 1;
    }
    this.current.set(key, value);
    return value;
  }

  /** Forgets what this run did not use; returns this run's hits and misses. */
  endRun(): { hits: number; misses: number } {
    const counts = { hits: this.hits, misses: this.misses };
    this.previous = this.current;
    this.current = new Map();
    this.hits = 0;
    this.misses = 0;
    return counts;
  }
}

/** The memo key of a listing at a revision, or undefined when either is unknown. */
export function listingKey(
  kind: string,
  listingId: string | undefined,
  revision: string | undefined,
): string | undefined {
  return listingId && revision ? `${kind}:${listingId}@${revision}` : undefined;
}
