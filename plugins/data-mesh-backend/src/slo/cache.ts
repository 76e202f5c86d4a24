/**
 * A small time-to-live cache that also shares in-flight loads, so concurrent
 * evaluations of datasets in one Glue database make one GetTables call.
 */
export class TtlCache<V> {
  private readonly entries = new Map<
    string,
    { expires: number; value: Promise<V> }
  >();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 5_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached value of `key`, or `load()`'s; `ttlFor` may shorten the life of a result (e.g. failures). */
  get(
    key: string,
    load: () => Promise<V>,
    ttlFor?: (value: V) => number,
  ): Promise<V> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) {
      return hit.value;
    }
    const value = load();
    const entry = { expires: now + this.ttlMs, value };
    this.entries.set(key, entry);
    value.then(
      result => {
        if (ttlFor)
          entry.expires = this.clock() + Math.min(this.ttlMs, ttlFor(result));
      },
      () => this.entries.delete(key),
    );
    if (this.entries.size > this.maxEntries) {
      // Oldest insertion first: Map keeps insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Runs at most `limit` tasks at a time. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>(resolve => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.active--;
      }
    }
  }
}
