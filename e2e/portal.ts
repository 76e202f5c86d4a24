/*
 * Starts what a browser test needs, on free loopback ports: the local AWS (seeded) and
 * the portal (backend + app dev server) with its own fresh SQLite directory. Used by
 * the Playwright global setup; later journeys reuse it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..');

/**
 * The portal's static script token (backend.auth.externalAccess in app-config.yaml): a
 * service principal, for calls no person makes (e.g. triggering a scheduled task).
 */
export const scriptToken = process.env.DMP_SCRIPT_TOKEN ?? 'e2e-script-token-0123456789';

export type Portal = {
  appUrl: string;
  backendUrl: string;
  awsEndpoint: string;
  /** The demo DataZone domain the local AWS seeded. */
  dataZoneDomainId: string;
  dataDir: string;
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  child?: ChildProcess,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what}: process exited (${child.exitCode ?? child.signalCode})`);
    }
    if (await check().catch(() => false)) return;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000} s`);
}

export function launch(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logDir: string,
  cwd = repoRoot,
) {
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  return spawn(process.execPath, args, {
    cwd,
    env,
    stdio: ['ignore', log, log],
    detached: true, // its own process group, so stop() ends its children too
  });
}

export async function stopGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise(r => child.once('exit', r));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the local AWS (seeded demo) in its own process on `port`, state under
 * `dataDir/local-aws`; resolves with its environment (`endpoint.env`).
 */
export async function startLocalAwsProcess(
  dataDir: string,
  port: number,
): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const awsDir = path.join(dataDir, 'local-aws');
  const child = launch(
    'local-aws',
    [
      '-r',
      require.resolve('@backstage/cli/config/nodeTransform.cjs', { paths: [repoRoot] }),
      'packages/local-aws/src/cli.ts',
      'start',
      '--port',
      String(port),
      '--data-dir',
      awsDir,
    ],
    process.env,
    dataDir,
  );
  const envFile = path.join(awsDir, 'endpoint.env');
  try {
    await waitFor('local AWS', async () => fs.existsSync(envFile), 180_000, child);
  } catch (e) {
    await stopGroup(child);
    throw e;
  }
  const env = Object.fromEntries(
    fs
      .readFileSync(envFile, 'utf8')
      .split('\n')
      .map(line => line.replace(/^export\s+/, '').match(/^(\w+)=(.*)$/))
      .filter((m): m is RegExpMatchArray => !!m)
      .map(m => [m[1], m[2].replace(/^['"]|['"]$/g, '')]),
  );
  return { child, env };
}

export async function startPortal(): Promise<Portal> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmp-portal-'));
  const [appPort, backendPort, awsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const appUrl = `http://localhost:${appPort}`;
  const backendUrl = `http://localhost:${backendPort}`;
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopGroup));
  };

  try {
    const { child: aws, env: awsEnv } = await startLocalAwsProcess(dataDir, awsPort);
    children.push(aws);

    const configFile = path.join(dataDir, 'app-config.e2e.yaml');
    fs.writeFileSync(
      configFile,
      [
        'app:',
        `  baseUrl: ${appUrl}`,
        'backend:',
        `  baseUrl: ${backendUrl}`,
        '  listen:',
        `    port: ${backendPort}`,
        '  cors:',
        `    origin: ${appUrl}`,
        '',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(dataDir, 'backstage'), { recursive: true });
    const portal = launch(
      'portal',
      [
        path.join(repoRoot, '.yarn/releases/yarn-4.13.0.cjs'),
        'start',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        configFile,
      ],
      {
        ...process.env,
        ...awsEnv,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        DMP_DATA_DIR: dataDir,
        DMP_SCRIPT_TOKEN: scriptToken,
        BROWSER: 'none',
      },
      dataDir,
    );
    children.push(portal);
    await waitFor(
      'backend',
      async () => (await fetch(`${backendUrl}/api/data-mesh/health`)).ok,
      240_000,
      portal,
    );
    await waitFor('app', async () => (await fetch(appUrl)).ok, 240_000, portal);
    return {
      appUrl,
      backendUrl,
      awsEndpoint: awsEnv.AWS_ENDPOINT_URL,
      dataZoneDomainId: awsEnv.DMP_DATAZONE_DOMAIN_ID,
      dataDir,
      stop,
    };
  } catch (e) {
    await stop();
    const logs = ['local-aws', 'portal']
      .map(n => path.join(dataDir, `${n}.log`))
      .filter(f => fs.existsSync(f))
      .map(f => `--- ${path.basename(f)} (last lines)\n${fs.readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}`)
      .join('\n');
    throw new Error(`${(e as Error).message}\n${logs}`);
  }
}

/** A Backstage user token for a demo person, through the dev-only demo sign-in. */
export async function demoUserToken(backendUrl: string, userName: string) {
  const res = await fetch(`${backendUrl}/api/auth/demo/refresh`, {
    headers: { 'x-demo-user': userName, 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`demo sign-in as ${userName} failed: ${res.status} ${await res.text()}`);
  }
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}
