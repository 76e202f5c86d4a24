import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './ports';

export interface MotoServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export class MotoNotInstalledError extends Error {
  constructor(detail: string) {
    super(
      `moto server is not available (${detail}). The local AWS needs Python 3 with moto's server extras: ` +
        `pip install "moto[server]"`,
    );
    this.name = 'MotoNotInstalledError';
  }
}

// Runs moto's server with a watchdog on stdin: when the Node parent dies, even by
// SIGKILL, the pipe closes and moto exits instead of lingering on its port.
const LAUNCHER = `
import os, sys, threading
def watch():
    try:
        sys.stdin.buffer.read()
    finally:
        os._exit(0)
threading.Thread(target=watch, daemon=True).start()
try:
    from moto.server import main
except ImportError as e:
    sys.stderr.write("MOTO_IMPORT_ERROR " + str(e) + "\\n")
    os._exit(3)
main(sys.argv[1:])
`;

/**
 * Starts `moto.server` on loopback (a free port unless one is given) and resolves once it
 * answers HTTP. State lives in moto's memory; see MotoJournal for persistence.
 */
export async function startMoto(
  options: { port?: number; python?: string; startTimeoutMs?: number } = {},
): Promise<MotoServer> {
  const port = options.port ?? (await freePort());
  const python = options.python ?? process.env.LOCAL_AWS_PYTHON ?? 'python3';
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
  // An inherited MOTO_ACCOUNT_ID would override the per-request account and break the
  // two-account setup.
  delete env.MOTO_ACCOUNT_ID;
  const child = spawn(
    python,
    ['-c', LAUNCHER, '-H', '127.0.0.1', '-p', String(port)],
    {
      stdio: ['pipe', 'ignore', 'pipe'],
      env,
    },
  );
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; error?: Error }>(
    resolve => {
      child.once('exit', code => resolve({ code }));
      child.once('error', error => resolve({ code: null, error }));
    },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);

  for (;;) {
    const done = await Promise.race([exited, delay(100).then(() => undefined)]);
    if (done) {
      if (
        done.error &&
        (done.error as NodeJS.ErrnoException).code === 'ENOENT'
      ) {
        throw new MotoNotInstalledError(`${python} not found`);
      }
      if (stderr.includes('MOTO_IMPORT_ERROR'))
        throw new MotoNotInstalledError(stderr.trim().split('\n').pop()!);
      throw new Error(
        `moto server exited during start (code ${done.code}): ${stderr
          .trim()
          .slice(-1000)}`,
      );
    }
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(
        `moto server did not answer on ${endpoint} within the start timeout: ${stderr.slice(
          -1000,
        )}`,
      );
    }
  }
  return { endpoint, port, stop: () => stopChild(child, exited) };
}

function delay(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/data.json`, {
      signal: AbortSignal.timeout(1000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(killer);
}
