import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalAwsServer } from './localAws';
import {
  DUMMY_CREDENTIALS,
  LOCAL_AWS_ACCOUNTS,
  LOCAL_AWS_REGION,
  type LocalAwsAccounts,
} from './accounts';
import type { DemoMesh } from './seed';
import type { DataZoneStandIn } from './datazone/server';
import type { LocalAwsControl } from './admin/control';
import type { CountersSnapshot } from './admin/counters';
import { parseFaultSpec, type FaultRule, type FaultSpec } from './admin/faults';
import type { QuotaSettings } from './admin/quotas';
import type { ScaleMesh, ScaleSpec } from './scale/seed';

export interface LocalAws {
  /** The one endpoint for every service (`AWS_ENDPOINT_URL`). */
  endpoint: string;
  /** The demo DataZone domain when seeded, else the scale mesh's domain. */
  domainId?: string;
  /** The scale mesh, when `startLocalAws({ scale })` asked for one. */
  scale?: ScaleMesh;
  demo?: DemoMesh;
  accounts: LocalAwsAccounts;
  region: string;
  dataDir: string;
  /** The in-process stand-in, for tests that need to look at or arrange its state. */
  dataZone: DataZoneStandIn;
  /** Counters, faults, quotas: the objects `/_local-aws/…` serves. */
  control: LocalAwsControl;
  /** Calls per service and operation since the last reset. */
  counters(): CountersSnapshot;
  /** Zeroes the counters; returns what they held. */
  resetCounters(): CountersSnapshot;
  /** Calls of one operation since the last reset (DataZone unless `service` is given). */
  calls(operation: string, service?: string): number;
  /** Adds a fault rule (checked like the admin endpoint checks it). */
  injectFault(spec: FaultSpec): FaultRule;
  /** Replaces every fault rule. */
  setFaults(specs: FaultSpec[]): FaultRule[];
  /** Removes one fault rule, or all; requests held by timeouts are then served. */
  clearFaults(id?: string): void;
  /** The fault rules with their seen/hit counts. */
  faults(): FaultRule[];
  /** Changes quota emulation, e.g. `setQuotas({ enabled: true })`. */
  setQuotas(update: Partial<QuotaSettings>): QuotaSettings;
  /** Quota emulation off, defaults back. */
  clearQuotas(): void;
  /** Settings for any `@aws-sdk/client-*` constructor. */
  clientConfig(): {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    forcePathStyle: true;
  };
  stop(): Promise<void>;
}

/**
 * Starts a private local AWS for a test suite: moto and the router on free ports, a temp
 * data dir (removed on stop unless one was given), the demo mesh seeded unless
 * `seed: false`. Call `stop()` in afterAll; it stops moto and closes every socket.
 */
export async function startLocalAws(
  options: {
    seed?: boolean;
    dataDir?: string;
    /** Seed a scale mesh straight into the stand-in's store (seconds for 50,000 assets). */
    scale?: ScaleSpec;
    /** Keep DataZone state on disk (default true). */
    persist?: boolean;
  } = {},
): Promise<LocalAws> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-aws-'));
  const server = await startLocalAwsServer({
    dataDir,
    seed: options.seed ?? true,
    port: 0,
    scale: options.scale,
    persist: options.persist,
  });
  const control = server.control;
  return {
    endpoint: server.endpoint,
    domainId: server.demo?.domainId ?? server.scale?.domainId,
    scale: server.scale,
    demo: server.demo,
    accounts: LOCAL_AWS_ACCOUNTS,
    region: LOCAL_AWS_REGION,
    dataDir,
    dataZone: server.dataZone,
    control,
    counters: () => control.counters.snapshot(),
    resetCounters: () => control.counters.reset(),
    calls: (operation, service = 'datazone') =>
      control.counters.snapshot().services[service]?.[operation]?.calls ?? 0,
    injectFault: spec => control.faults.add(parseFaultSpec(spec)),
    setFaults: specs => control.faults.replace(specs.map(parseFaultSpec)),
    clearFaults: id => {
      control.faults.clear(id);
    },
    faults: () => control.faults.list(),
    setQuotas: update => control.quotas.set(update),
    clearQuotas: () => control.quotas.reset(),
    clientConfig: () => ({
      region: LOCAL_AWS_REGION,
      endpoint: server.endpoint,
      credentials: { ...DUMMY_CREDENTIALS },
      forcePathStyle: true,
    }),
    stop: async () => {
      await server.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
