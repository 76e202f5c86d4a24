import type { DataZoneStore } from './store';
import type { DataZoneState } from './state';
import type { SortKey } from './paging';

/** A query's matches, sorted by their paging key, ready to be paged by key. */
export interface PreparedResult<T> {
  sorted: { item: T; k: SortKey }[];
}

interface StoreCache {
  version: number;
  state?: DataZoneState;
  seq: number;
  builtAt: number;
  results: Map<string, PreparedResult<unknown>>;
}

const MAX_QUERIES = 6;
const caches = new WeakMap<DataZoneStore, StoreCache>();

/**
 * Keeps the sorted matches of recent Search/SearchListings queries until the store
 * changes, so paging a 50,000-item result costs a binary search and one page of output
 * instead of filtering and sorting everything again for every page (the first page of
 * a query pays once). A cache is dropped on `store.changed()`, when the state object is
 * replaced, or when its creation sequence moved; code that edits records in place must
 * call `store.changed()` (as persistence requires anyway).
 */
export function prepared<T>(
  store: DataZoneStore,
  queryKey: string,
  build: () => PreparedResult<T>,
): PreparedResult<T> {
  let cache = caches.get(store);
  if (!cache) {
    const fresh: StoreCache = {
      version: 0,
      seq: -1,
      builtAt: -1,
      results: new Map(),
    };
    store.onChange(() => {
      fresh.version += 1;
    });
    caches.set(store, fresh);
    cache = fresh;
  }
  if (
    cache.builtAt !== cache.version ||
    cache.state !== store.state ||
    cache.seq !== store.state.seq
  ) {
    cache.results.clear();
    cache.builtAt = cache.version;
    cache.state = store.state;
    cache.seq = store.state.seq;
  }
  const hit = cache.results.get(queryKey);
  if (hit) {
    // Most recently used last.
    cache.results.delete(queryKey);
    cache.results.set(queryKey, hit);
    return hit as PreparedResult<T>;
  }
  const result = build();
  cache.results.set(queryKey, result);
  if (cache.results.size > MAX_QUERIES) {
    const oldest = cache.results.keys().next().value;
    if (oldest !== undefined) cache.results.delete(oldest);
  }
  return result;
}
