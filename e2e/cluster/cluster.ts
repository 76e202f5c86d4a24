/*
 * A production-like deployment on one machine: the local AWS (seeded demo), and N
 * backend replicas sharing one PostgreSQL (from
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, e.g. `source scripts/lib.sh
 * && start_test_postgres`), each on its own loopback port, run as plain processes (no
 * development server). No dev frontend: the replica, load and fault scripts talk to
 * the backends' APIs; with `serveApp` the backend serves the app's production build.
 */
import { ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  demoUserToken,
  freePort,
  launch,
  repoRoot,
  startLocalAwsProcess,
  stopGroup,
  waitFor,
} from '../portal';

export type Replica = {
  name: string;
  url: string;
  logFile: string;
  child: ChildProcess;
  /** Resident memory of the replica's process group, in MB. */
  rssMb(): number;
  /** The backend's live heap after a full garbage collection, in MB (memoryProbe.cjs). */
  liveHeapMb(): Promise<number | undefined>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
};

export type Cluster = {
  replicas: Replica[];
  awsEndpoint: string;
  awsPort: number;
  dataZoneDomainId: string;
  dataDir: string;
  scriptToken: string;
  /** Database name prefix of this cluster's plugin databases. */
  databasePrefix: string;
  pg: { host: string; port: number; user: string; password: string };
  /** Restarts the local AWS on the same port and state (its journal replays). */
  restartLocalAws(): Promise<void>;
  stop(): Promise<void>;
};

export type ClusterOptions = {
  replicas?: number;
  /** Extra config lines (YAML) for every replica, e.g. shorter schedules. */
  extraConfig?: string;
  /** Environment for every replica (e.g. LOG_LEVEL). */
  env?: NodeJS.ProcessEnv;
  /** `sqlite`: each replica its own SQLite files (one replica only makes sense). Default `postgres`. */
  database?: 'postgres' | 'sqlite';
  /** The backend serves the app's production build (packages/app/dist) at its own URL. */
  serveApp?: boolean;
};

export function pgFromEnv() {
  const connection = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!connection) {
    throw new Error(
      'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set: run `source scripts/lib.sh && start_test_postgres` first',
    );
  }
  const url = new URL(connection);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

/** The RSS in MB of every process in a process group (ps sums nothing itself). */
function groupRssMb(pgid: number | undefined): number {
  if (!pgid) return 0;
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
    return Math.round(
      out
        .split('\n')
        .map(line => Number(line.trim()) || 0)
        .reduce((a, b) => a + b, 0) / 1024,
    );
  } catch {
    return 0; // the group is gone
  }
}

/** Asks the replica's memory probe for its live heap; undefined if it does not answer. */
async function liveHeapMb(child: ChildProcess, file: string): Promise<number | undefined> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return undefined;
  const asked = Date.now();
  process.kill(child.pid, 'SIGUSR2');
  for (let i = 0; i < 50; i++) {
    await new Promise(r => setTimeout(r, 100));
    try {
      const probe = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (probe.at >= asked) return Math.round(probe.heapUsed / 1024 / 1024);
    } catch {
      // not written yet
    }
  }
  return undefined;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.replicas ?? 2;
  const postgres = (options.database ?? 'postgres') === 'postgres';
  const pg = postgres ? pgFromEnv() : { host: '', port: 0, user: '', password: '' };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmp-cluster-'));
  const databasePrefix = `dmpcluster_${Date.now().toString(36)}_`;
  const scriptToken = 'cluster-script-token-0123456789';
  const awsPort = await freePort();
  const children = new Set<ChildProcess>();
  const stopAll = async () => {
    await Promise.all([...children].map(stopGroup));
  };

  try {
    let aws = await startLocalAwsProcess(dataDir, awsPort);
    children.add(aws.child);
    const awsEnv = aws.env;

    const replicas: Replica[] = [];
    for (let i = 0; i < count; i++) {
      const name = `replica-${String.fromCharCode(97 + i)}`;
      const port = await freePort();
      const url = `http://localhost:${port}`;
      const configFile = path.join(dataDir, `app-config.${name}.yaml`);
      fs.writeFileSync(
        configFile,
        [
          ...(options.serveApp ? ['app:', `  baseUrl: ${url}`] : []),
          'backend:',
          `  baseUrl: ${url}`,
          '  listen:',
          `    port: ${port}`,
          ...(options.serveApp ? ['  cors:', `    origin: ${url}`] : []),
          ...(postgres
            ? [
                '  database:',
                '    client: pg',
                `    prefix: ${databasePrefix}`,
                '    connection:',
                `      host: ${pg.host}`,
                `      port: ${pg.port}`,
                `      user: ${pg.user}`,
                `      password: ${pg.password}`,
              ]
            : []),
          options.extraConfig ?? '',
        ].join('\n'),
      );
      const logFile = path.join(dataDir, `${name}.log`);
      fs.mkdirSync(path.join(dataDir, name, 'backstage'), { recursive: true }); // SQLite files
      const env = {
        ...process.env,
        ...awsEnv,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        DMP_DATA_DIR: path.join(dataDir, name),
        DMP_SCRIPT_TOKEN: scriptToken,
        DMP_MEMORY_PROBE_FILE: path.join(dataDir, `${name}.memory.json`),
        ...options.env,
      };
      // The backend as a plain process (no development-server file watcher that
      // restarts it whenever a source file changes, possibly mid-migration).
      const args = [
        '--expose-gc',
        '--require',
        path.join(__dirname, 'memoryProbe.cjs'),
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs', { paths: [repoRoot] }),
        'src/index.ts',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        configFile,
      ];
      const backendDir = path.join(repoRoot, 'packages/backend');
      const replica: Replica = {
        name,
        url,
        logFile,
        child: launch(name, args, env, dataDir, backendDir),
        rssMb: () => groupRssMb(replica.child.pid),
        liveHeapMb: () => liveHeapMb(replica.child, env.DMP_MEMORY_PROBE_FILE!),
        async kill(signal = 'SIGKILL') {
          const child = replica.child;
          if (child.pid && child.exitCode === null && child.signalCode === null) {
            const exited = new Promise(r => child.once('exit', r));
            try {
              process.kill(-child.pid, signal);
              await exited;
            } catch {
              // already gone
            }
          }
          children.delete(replica.child);
        },
        async restart() {
          await replica.kill('SIGTERM');
          replica.child = launch(name, args, env, dataDir, backendDir);
          children.add(replica.child);
          await waitForBackend(replica);
        },
      };
      children.add(replica.child);
      replicas.push(replica);
      // One at a time, as a rollout does: replicas starting together on fresh
      // databases race for the migration locks, and the losers fail to start.
      await waitForBackend(replica);
    }

    // An interrupted script still stops what it started.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        stopAll().finally(() => process.exit(130));
      });
    }

    return {
      replicas,
      awsEndpoint: awsEnv.AWS_ENDPOINT_URL,
      awsPort,
      dataZoneDomainId: awsEnv.DMP_DATAZONE_DOMAIN_ID,
      dataDir,
      scriptToken,
      databasePrefix,
      pg,
      async restartLocalAws() {
        await stopGroup(aws.child);
        children.delete(aws.child);
        aws = await startLocalAwsProcess(dataDir, awsPort);
        children.add(aws.child);
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw new Error(`${(e as Error).message} (logs in ${dataDir})`);
  }
}

async function waitForBackend(replica: Replica) {
  await waitFor(
    `${replica.name} (${replica.url})`,
    async () => (await fetch(`${replica.url}/api/data-mesh/health`)).ok,
    300_000,
    replica.child,
  );
}

/** Lines of a replica's log matching `pattern`. */
export function logLines(replica: Replica, pattern: RegExp): string[] {
  if (!fs.existsSync(replica.logFile)) return [];
  return fs
    .readFileSync(replica.logFile, 'utf8')
    .split('\n')
    .map(line => line.replace(/\x1b\[[0-9;]*m/g, '')) // colours of the dev log format
    .filter(line => pattern.test(line));
}

export { demoUserToken };

export function log(line: string) {
  // eslint-disable-next-line no-console
  console.log(line);
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Polls `check` every second until it gives a value (not undefined/null/false). */
export async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== null && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}

/** A JSON call to a replica's API; the body parsed when it is JSON. */
export async function callApi(
  replica: Replica,
  token: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${replica.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** Catalog entities matching `filter`, through a replica. */
export async function catalogEntities(cluster: Cluster, replica: Replica, filter: string): Promise<any[]> {
  const r = await callApi(
    replica,
    cluster.scriptToken,
    `/api/catalog/entities/by-query?filter=${encodeURIComponent(filter)}&limit=1000`,
  );
  if (r.status !== 200) throw new Error(`catalog query ${filter}: ${r.status}`);
  return r.body.items;
}

/** How many entities the catalog holds from the demo DataZone domain. */
export async function dataZoneEntityCount(cluster: Cluster, replica: Replica): Promise<number> {
  const location = `datazone:us-east-1/${cluster.dataZoneDomainId}`;
  return (
    await catalogEntities(cluster, replica, `metadata.annotations.backstage.io/managed-by-location=${location}`)
  ).length;
}

/** Config lines: the DataZone sync every `seconds`, a dead replica's run given up after `timeout`. */
export function syncScheduleConfig(seconds: number): string[] {
  return [
    'catalog:',
    '  providers:',
    '    datazone:',
    '      schedule:',
    `        frequency: PT${seconds}S`,
    '        timeout: PT40S',
    '        initialDelay: PT3S',
  ];
}

/** A log line per completed sync run (the provider's summary line). */
export const SYNC_DONE = /DataZone sync of domain \S+ (applied|failed|refused): /;

/** PASS/FAIL lines of a check script, and its exit code. */
export function checkReporter(script: string) {
  const results: { check: string; pass: boolean }[] = [];
  return {
    report(check: string, pass: boolean, detail: string) {
      results.push({ check, pass });
      log(`${pass ? 'PASS' : 'FAIL'}  ${check}: ${detail}`);
    },
    finish(): number {
      const failed = results.filter(r => !r.pass).length;
      log(`${script}: ${results.length - failed} passed, ${failed} failed`);
      return failed ? 1 : 0;
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
