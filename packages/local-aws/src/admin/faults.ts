/**
 * Runtime fault injection for the local AWS: rules that make chosen operations slow,
 * throttled, failing or silent. Off until a rule is added; rules live in memory only.
 */

export type FaultKind = 'throttle' | 'error' | 'latency' | 'timeout';

export const FAULT_KINDS: FaultKind[] = [
  'throttle',
  'error',
  'latency',
  'timeout',
];

/** What a caller asks for (admin endpoint body, CLI flags, `LocalAws.faults.add`). */
export interface FaultSpec {
  /**
   * SigV4 signing service (`datazone`, `glue`, `s3`, `lakeformation`, `sts`, …) or `*`.
   * Default `datazone`.
   */
  service?: string;
  /** Operation name (`Search`, `GetTables`, `ListObjectsV2`, …) or `*` (default). */
  operation?: string;
  /**
   * `throttle`: the service's own throttling error (DataZone `ThrottlingException` 429);
   * `error`: a 5xx (`status`, default 500); `latency`: `latencyMs` added before the
   * answer; `timeout`: the request is accepted and never answered until the client gives
   * up, the rule is removed, or `holdMs` passes (then it is served normally).
   */
  kind: FaultKind;
  /** Probability that a matching call is hit, 0..1 (default 1). Seeded: see `seed`. */
  rate?: number;
  /** Deterministic alternative to `rate`: hit every Nth matching call (1 = every call). */
  every?: number;
  /**
   * Only page N (1-based) of a paged listing: page 1 is a call without `nextToken`,
   * page N+1 a call with the token page N returned. DataZone operations only.
   */
  page?: number;
  /** Stop after hitting this many calls (the rule stays listed, spent). */
  times?: number;
  /** `latency`: milliseconds added (default 1000). */
  latencyMs?: number;
  /** `error`: the HTTP status, 500 (default), 502, 503 or 504. */
  status?: number;
  /** `timeout`: the longest a request is held (default 600000 ms). */
  holdMs?: number;
  /** Seed of the rule's random generator (default 1): the same calls get the same hits. */
  seed?: number;
}

export interface FaultRule extends FaultSpec {
  id: string;
  service: string;
  operation: string;
  /** Matching calls seen so far. */
  seen: number;
  /** Calls this rule hit so far. */
  hits: number;
}

export class FaultSpecError extends Error {}

const SPEC_KEYS = new Set([
  'service',
  'operation',
  'kind',
  'rate',
  'every',
  'page',
  'times',
  'latencyMs',
  'status',
  'holdMs',
  'seed',
]);

/** Checks a rule from the outside world; throws FaultSpecError naming the bad field. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new FaultSpecError('A fault rule must be a JSON object.');
  const spec = value as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!SPEC_KEYS.has(key) && key !== 'id' && key !== 'seen' && key !== 'hits')
      throw new FaultSpecError(`Unknown fault rule field "${key}".`);
  }
  if (!FAULT_KINDS.includes(spec.kind as FaultKind))
    throw new FaultSpecError(
      `"kind" must be one of ${FAULT_KINDS.join(', ')}.`,
    );
  const str = (key: string) => {
    if (spec[key] !== undefined && typeof spec[key] !== 'string')
      throw new FaultSpecError(`"${key}" must be a string.`);
  };
  const num = (key: string, min: number, max: number, integer: boolean) => {
    const v = spec[key];
    if (v === undefined) return;
    if (
      typeof v !== 'number' ||
      Number.isNaN(v) ||
      v < min ||
      v > max ||
      (integer && !Number.isInteger(v))
    ) {
      throw new FaultSpecError(
        `"${key}" must be ${
          integer ? 'an integer' : 'a number'
        } from ${min} to ${max}.`,
      );
    }
  };
  str('service');
  str('operation');
  num('rate', 0, 1, false);
  num('every', 1, Number.MAX_SAFE_INTEGER, true);
  num('page', 1, Number.MAX_SAFE_INTEGER, true);
  num('times', 0, Number.MAX_SAFE_INTEGER, true);
  num('latencyMs', 0, 3_600_000, true);
  num('status', 500, 599, true);
  num('holdMs', 0, 3_600_000, true);
  num('seed', 0, 2 ** 32 - 1, true);
  const out: FaultSpec = { kind: spec.kind as FaultKind };
  for (const key of SPEC_KEYS) {
    if (spec[key] !== undefined) (out as any)[key] = spec[key];
  }
  return out;
}

/** mulberry32: a tiny seeded generator, so rate-based faults are repeatable. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the faults decided for one call. */
export interface FaultDecision {
  /** Total latency to add before anything else. */
  latencyMs: number;
  /** The failing rule that hit, if any. */
  fail?: FaultRule;
}

export interface CallFacts {
  service: string;
  operation: string;
  /** Page number of a paged listing, when known. */
  page?: number;
}

interface Held {
  release: () => void;
  ruleId: string;
}

export class FaultRegistry {
  private rules: FaultRule[] = [];
  private random = new Map<string, () => number>();
  private nextId = 1;
  private held = new Set<Held>();

  list(): FaultRule[] {
    return this.rules.map(r => ({ ...r }));
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  add(spec: FaultSpec): FaultRule {
    const rule: FaultRule = {
      ...spec,
      id: `fault-${this.nextId++}`,
      service: spec.service ?? 'datazone',
      operation: spec.operation ?? '*',
      seen: 0,
      hits: 0,
    };
    this.rules.push(rule);
    this.random.set(rule.id, seeded(spec.seed ?? 1));
    return { ...rule };
  }

  /** Replaces every rule (and releases requests held by the old ones). */
  replace(specs: FaultSpec[]): FaultRule[] {
    this.clear();
    return specs.map(s => this.add(s));
  }

  /** Removes one rule (or all): requests its timeouts hold are served normally. */
  clear(id?: string): number {
    const before = this.rules.length;
    this.rules = id ? this.rules.filter(r => r.id !== id) : [];
    for (const held of [...this.held]) {
      if (!id || held.ruleId === id) held.release();
    }
    if (id) this.random.delete(id);
    else this.random.clear();
    return before - this.rules.length;
  }

  decide(call: CallFacts): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    if (this.rules.length === 0) return decision;
    for (const rule of this.rules) {
      if (!matches(rule, call)) continue;
      rule.seen += 1;
      if (rule.times !== undefined && rule.hits >= rule.times) continue;
      const isFailing = rule.kind !== 'latency';
      if (isFailing && decision.fail) continue;
      const hit =
        rule.every !== undefined
          ? rule.seen % rule.every === 0
          : this.random.get(rule.id)!() < (rule.rate ?? 1);
      if (!hit) continue;
      rule.hits += 1;
      if (isFailing) decision.fail = rule;
      else decision.latencyMs += rule.latencyMs ?? 1000;
    }
    return decision;
  }

  /**
   * Holds a request for a timeout rule: resolves when the client goes away (`gone`),
   * the rule is cleared, or `holdMs` passes.
   */
  hold(rule: FaultRule, gone?: Promise<void>): Promise<void> {
    return new Promise<void>(resolve => {
      const entry: Held = { ruleId: rule.id, release: () => {} };
      const timer = setTimeout(() => entry.release(), rule.holdMs ?? 600_000);
      timer.unref();
      entry.release = () => {
        clearTimeout(timer);
        this.held.delete(entry);
        resolve();
      };
      this.held.add(entry);
      void gone?.then(() => entry.release());
    });
  }

  /** How many requests timeouts hold right now. */
  get holding(): number {
    return this.held.size;
  }
}

function matches(rule: FaultRule, call: CallFacts): boolean {
  if (rule.service !== '*' && rule.service !== call.service) return false;
  if (rule.operation !== '*' && rule.operation !== call.operation) return false;
  if (rule.page !== undefined && rule.page !== call.page) return false;
  return true;
}

/**
 * Remembers which page each issued `nextToken` leads to, per operation, so page rules
 * can tell page 7 from page 1. Bounded: the oldest tokens are forgotten first.
 */
export class PageTracker {
  private pages = new Map<string, number>();

  constructor(private readonly limit = 100_000) {}

  pageOf(operation: string, nextToken: unknown): number | undefined {
    if (nextToken === undefined || nextToken === null || nextToken === '')
      return 1;
    return this.pages.get(`${operation}\u0000${String(nextToken)}`);
  }

  /** After a page was answered: its `nextToken` leads to page + 1. */
  record(operation: string, page: number | undefined, nextToken: string) {
    if (page === undefined) return;
    const key = `${operation}\u0000${nextToken}`;
    this.pages.delete(key);
    this.pages.set(key, page + 1);
    if (this.pages.size > this.limit) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
  }

  clear() {
    this.pages.clear();
  }
}

const NEXT_TOKEN = /"nextToken":"([^"\\]*)"/;

/** The top-level `nextToken` of a restJson1 response body, without parsing it all. */
export function nextTokenOf(body: string): string | undefined {
  return NEXT_TOKEN.exec(body)?.[1];
}
