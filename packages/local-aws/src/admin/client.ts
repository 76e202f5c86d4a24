import type { CountersSnapshot } from './counters';
import type { FaultRule, FaultSpec } from './faults';
import type { QuotaSettings } from './quotas';
import type { ScaleMesh, ScaleSpec } from '../scale/seed';

/**
 * The admin endpoints of a running local AWS (`local-aws start` in another process), for
 * benchmarks and the CLI: counters, faults, quotas and scale seeding over plain HTTP.
 */
export class LocalAwsAdminClient {
  private readonly base: string;

  /** `endpoint` is the local AWS endpoint (`AWS_ENDPOINT_URL`), e.g. http://127.0.0.1:4566. */
  constructor(endpoint: string) {
    this.base = `${endpoint.replace(/\/+$/, '')}/_local-aws`;
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${this.base}/${path}`, {
      method,
      headers:
        body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = JSON.parse(text).message ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new Error(
        `${method} ${this.base}/${path}: ${response.status} ${message}`,
      );
    }
    return JSON.parse(text) as T;
  }

  counters(): Promise<CountersSnapshot> {
    return this.call('GET', 'counters');
  }

  /** Zeroes the counters; resolves to what they held. */
  resetCounters(): Promise<CountersSnapshot> {
    return this.call('DELETE', 'counters');
  }

  async faults(): Promise<FaultRule[]> {
    return (await this.call<{ rules: FaultRule[] }>('GET', 'faults')).rules;
  }

  /** Adds rules to the ones in place. */
  async addFaults(...specs: FaultSpec[]): Promise<FaultRule[]> {
    return (await this.call<{ rules: FaultRule[] }>('POST', 'faults', specs))
      .rules;
  }

  /** Replaces every rule. */
  async setFaults(specs: FaultSpec[]): Promise<FaultRule[]> {
    return (await this.call<{ rules: FaultRule[] }>('PUT', 'faults', specs))
      .rules;
  }

  /** Removes one rule or all of them. */
  async clearFaults(id?: string): Promise<number> {
    return (
      await this.call<{ removed: number }>(
        'DELETE',
        id ? `faults/${encodeURIComponent(id)}` : 'faults',
      )
    ).removed;
  }

  quotas(): Promise<QuotaSettings & { limits: Record<string, number> }> {
    return this.call('GET', 'quotas');
  }

  setQuotas(update: Partial<QuotaSettings>): Promise<QuotaSettings> {
    return this.call('PUT', 'quotas', update);
  }

  clearQuotas(): Promise<QuotaSettings> {
    return this.call('DELETE', 'quotas');
  }

  /** Seeds a scale mesh into the running stand-in. */
  seedScale(spec: ScaleSpec): Promise<ScaleMesh> {
    return this.call('POST', 'scale', spec);
  }

  async scaleMeshes(): Promise<ScaleMesh[]> {
    return (await this.call<{ meshes: ScaleMesh[] }>('GET', 'scale')).meshes;
  }
}
