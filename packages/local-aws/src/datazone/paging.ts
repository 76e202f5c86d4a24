import { createHash } from 'node:crypto';
import { validation } from './errors';

export type SortKey = (string | number)[];

/**
 * Pages a result list by a stable sort key rather than an offset: the token carries the
 * key of the last item returned, so items inserted or removed while a client pages never
 * make it skip or repeat one. Keys end with the record's creation `seq`, which makes
 * them unique. The token also carries a fingerprint of the query, so a token replayed
 * with different parameters is rejected instead of silently paging the wrong list.
 */
export function paginate<T>(options: {
  items: T[];
  key: (item: T) => SortKey;
  descending?: boolean;
  maxResults: number | undefined;
  limit: number;
  nextToken: string | undefined;
  query: unknown;
}): { page: T[]; nextToken?: string } {
  return paginateSorted({
    ...options,
    sorted: sortByKey(options.items, options.key, options.descending),
  });
}

/** Items with their paging keys, in paging order (see `paginateSorted`). */
export function sortByKey<T>(
  items: T[],
  key: (item: T) => SortKey,
  descending = false,
): { item: T; k: SortKey }[] {
  const sign = descending ? -1 : 1;
  return items
    .map(item => ({ item, k: key(item) }))
    .sort((a, b) => sign * compareKeys(a.k, b.k));
}

/**
 * One page of an already sorted list: a binary search for the token's key, then a
 * slice, so the last page costs what the first does (Search over a large mesh keeps the
 * sorted list between pages, see `searchCache.ts`).
 */
export function paginateSorted<T>(options: {
  sorted: { item: T; k: SortKey }[];
  descending?: boolean;
  maxResults: number | undefined;
  limit: number;
  nextToken: string | undefined;
  query: unknown;
}): { page: T[]; nextToken?: string } {
  const { sorted, descending = false, limit } = options;
  const pageSize = options.maxResults ?? limit;
  const sign = descending ? -1 : 1;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(options.query ?? null))
    .digest('base64url')
    .slice(0, 16);

  let start = 0;
  if (options.nextToken !== undefined) {
    const after = decodeToken(options.nextToken, fingerprint);
    // First item strictly after the last one returned, in this ordering.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sign * compareKeys(sorted[mid].k, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const slice = sorted.slice(start, start + pageSize);
  const more = start + pageSize < sorted.length;
  return {
    page: slice.map(s => s.item),
    nextToken: more
      ? encodeToken(slice[slice.length - 1].k, fingerprint)
      : undefined,
  };
}

// Same order as String#localeCompare(…, 'en'), without building a collator per call.
const collator = new Intl.Collator('en');

export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    return collator.compare(String(x), String(y));
  }
  return a.length - b.length;
}

function encodeToken(key: SortKey, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: 1, q: fingerprint, k: key })).toString(
    'base64url',
  );
}

function decodeToken(token: string, fingerprint: string): SortKey {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      parsed?.v === 1 &&
      parsed.q === fingerprint &&
      Array.isArray(parsed.k)
    ) {
      return parsed.k as SortKey;
    }
  } catch {
    // fall through
  }
  throw validation(
    'The nextToken is invalid or was issued for a different request',
  );
}
