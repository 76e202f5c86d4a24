/** What happened to the calls of one operation since the last reset. */
export interface OperationCount {
  /** Every request that reached the operation (SDK retries count again). */
  calls: number;
  /** Answered 429/throttled, by quota emulation or an injected throttling fault. */
  throttled: number;
  /** Answered by another injected fault: a 5xx, a failed page or a timeout. */
  faulted: number;
}

export interface CountersSnapshot {
  /** Epoch ms of the last reset (or of the start). */
  since: number;
  /** Sum of `calls` over every operation. */
  total: number;
  /** `service → operation → counts`; DataZone operations by their SDK names. */
  services: Record<string, Record<string, OperationCount>>;
}

export type CountOutcome = 'throttled' | 'faulted';

/** Exact per-operation call counters (the process is single-threaded: no races). */
export class Counters {
  private counts = new Map<string, Map<string, OperationCount>>();
  private since = Date.now();

  private entry(service: string, operation: string): OperationCount {
    let byOp = this.counts.get(service);
    if (!byOp) {
      byOp = new Map();
      this.counts.set(service, byOp);
    }
    let count = byOp.get(operation);
    if (!count) {
      count = { calls: 0, throttled: 0, faulted: 0 };
      byOp.set(operation, count);
    }
    return count;
  }

  call(service: string, operation: string) {
    this.entry(service, operation).calls += 1;
  }

  outcome(service: string, operation: string, outcome: CountOutcome) {
    this.entry(service, operation)[outcome] += 1;
  }

  snapshot(): CountersSnapshot {
    const services: CountersSnapshot['services'] = {};
    let total = 0;
    for (const [service, byOp] of [...this.counts].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      services[service] = {};
      for (const [operation, count] of [...byOp].sort(([a], [b]) =>
        a.localeCompare(b),
      )) {
        services[service][operation] = { ...count };
        total += count.calls;
      }
    }
    return { since: this.since, total, services };
  }

  reset(): CountersSnapshot {
    const last = this.snapshot();
    this.counts = new Map();
    this.since = Date.now();
    return last;
  }
}
