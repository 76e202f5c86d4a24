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

export interface LocalAws {
  /** The one endpoint for every service (`AWS_ENDPOINT_URL`). */
  endpoint: string;
  /** The demo DataZone domain, when seeded. */
  domainId?: string;
  demo?: DemoMesh;
  accounts: LocalAwsAccounts;
  region: string;
  dataDir: string;
  /** The in-process stand-in, for tests that need to look at or arrange its state. */
  dataZone: DataZoneStandIn;
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
  options: { seed?: boolean; dataDir?: string } = {},
): Promise<LocalAws> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-aws-'));
  const server = await startLocalAwsServer({
    dataDir,
    seed: options.seed ?? true,
    port: 0,
  });
  return {
    endpoint: server.endpoint,
    domainId: server.demo?.domainId,
    demo: server.demo,
    accounts: LOCAL_AWS_ACCOUNTS,
    region: LOCAL_AWS_REGION,
    dataDir,
    dataZone: server.dataZone,
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
