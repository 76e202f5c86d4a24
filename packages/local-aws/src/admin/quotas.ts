/**
 * DataZone request-rate quotas ("Quotas for Amazon DataZone", per account and Region;
 * aws-api-notes §2.2). Rows the documentation gives are listed; every other operation
 * gets `defaultRps`, 20 by default, the figure most documented rows share (the page
 * that lists SearchListings, GetAsset, GetListing and the List* calls could not be
 * read; SearchListings is modelled like Search).
 */
export const DATAZONE_DOCUMENTED_QUOTAS: Record<string, number> = {
  CreateGlossary: 5,
  UpdateGlossary: 20,
  GetGlossary: 20,
  DeleteGlossary: 20,
  UpdateGlossaryTerm: 20,
  DeleteGlossaryTerm: 20,
  CreateAsset: 20,
  ListAssetRevisions: 20,
  CreateAssetRevision: 20,
  DeleteAsset: 20,
  CreateDataProduct: 20,
  ListDataProductRevisions: 20,
  CreateDataProductRevision: 20,
  DeleteDataProduct: 20,
  CreateAssetType: 20,
  DeleteAssetType: 20,
  CreateFormType: 20,
  DeleteFormType: 20,
  Search: 20,
  SearchTypes: 20,
  SearchListings: 20,
  AcceptPredictions: 20,
  RejectPredictions: 20,
  AcceptSubscriptionRequest: 3,
  CancelSubscription: 3,
};

export interface QuotaSettings {
  /** Off by default. */
  enabled: boolean;
  /** Requests per second for operations without a row (default 20). */
  defaultRps: number;
  /**
   * Bucket size in seconds of rate: a full bucket lets `rps × burstSeconds` calls
   * through at once (default 1, so Search allows 20 at once, then 20 per second).
   */
  burstSeconds: number;
  /** Per-operation overrides on top of the documented rows. */
  rps: Record<string, number>;
}

export const defaultQuotaSettings = (): QuotaSettings => ({
  enabled: false,
  defaultRps: 20,
  burstSeconds: 1,
  rps: {},
});

export class QuotaSettingsError extends Error {}

/** Merges a partial update from the outside world into the current settings. */
export function mergeQuotaSettings(
  current: QuotaSettings,
  update: unknown,
): QuotaSettings {
  if (!update || typeof update !== 'object' || Array.isArray(update))
    throw new QuotaSettingsError('Quota settings must be a JSON object.');
  const u = update as Record<string, unknown>;
  const next: QuotaSettings = { ...current, rps: { ...current.rps } };
  for (const key of Object.keys(u)) {
    if (!['enabled', 'defaultRps', 'burstSeconds', 'rps'].includes(key))
      throw new QuotaSettingsError(`Unknown quota setting "${key}".`);
  }
  const positive = (v: unknown, what: string) => {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
      throw new QuotaSettingsError(`${what} must be a positive number.`);
    return v;
  };
  if (u.enabled !== undefined) {
    if (typeof u.enabled !== 'boolean')
      throw new QuotaSettingsError('"enabled" must be true or false.');
    next.enabled = u.enabled;
  }
  if (u.defaultRps !== undefined)
    next.defaultRps = positive(u.defaultRps, '"defaultRps"');
  if (u.burstSeconds !== undefined)
    next.burstSeconds = positive(u.burstSeconds, '"burstSeconds"');
  if (u.rps !== undefined) {
    if (!u.rps || typeof u.rps !== 'object' || Array.isArray(u.rps))
      throw new QuotaSettingsError(
        '"rps" must map operation names to numbers.',
      );
    for (const [op, v] of Object.entries(u.rps as Record<string, unknown>))
      next.rps[op] = positive(v, `"rps.${op}"`);
  }
  return next;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets per account and operation, refilled continuously. */
export class QuotaLimiter {
  private settings = defaultQuotaSettings();
  private buckets = new Map<string, Bucket>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  get(): QuotaSettings & { limits: Record<string, number> } {
    return {
      ...this.settings,
      rps: { ...this.settings.rps },
      limits: { ...DATAZONE_DOCUMENTED_QUOTAS, ...this.settings.rps },
    };
  }

  set(update: unknown): QuotaSettings {
    this.settings = mergeQuotaSettings(this.settings, update);
    this.buckets.clear();
    return this.get();
  }

  reset() {
    this.settings = defaultQuotaSettings();
    this.buckets.clear();
  }

  rateOf(operation: string): number {
    return (
      this.settings.rps[operation] ??
      DATAZONE_DOCUMENTED_QUOTAS[operation] ??
      this.settings.defaultRps
    );
  }

  /** True when the call may proceed; false when it is over the quota. */
  take(accountId: string, operation: string): boolean {
    if (!this.settings.enabled) return true;
    const rps = this.rateOf(operation);
    const capacity = Math.max(1, rps * this.settings.burstSeconds);
    const now = this.clock();
    const key = `${accountId}/${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: capacity, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * rps,
    );
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    return false;
  }
}
