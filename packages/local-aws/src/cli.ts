import { resolve } from 'node:path';
import {
  resetLocalAws,
  startLocalAwsServer,
  PortInUseError,
  dataFiles,
} from './localAws';
import { MotoNotInstalledError } from './moto';
import { packageRoot } from './paths';
import { ADMIN_USAGE, runAdminCommand } from './admin/cli';

const USAGE = `Usage: local-aws <command> [options]

Commands:
  start   Start moto, the DataZone stand-in and the router; seed the demo mesh on first start.
  reset   Delete all local AWS state (moto journal, DataZone state, demo ids).
${ADMIN_USAGE}
Options:
  --port <port>       Router port (default 4566).
  --data-dir <dir>    State directory (default <repo>/.data/local-aws).
  --no-seed           Do not seed the demo mesh on an empty state.
`;

function repoRoot(): string {
  // packages/local-aws → packages → repo
  return resolve(packageRoot(), '..', '..');
}

function parseArgs(argv: string[]) {
  const [command, ...rest] = argv;
  const options: { port: number; dataDir: string; seed: boolean } = {
    port: 4566,
    dataDir: resolve(repoRoot(), '.data', 'local-aws'),
    seed: true,
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--port') options.port = Number(rest[++i]);
    else if (arg === '--data-dir') options.dataDir = resolve(rest[++i]);
    else if (arg === '--no-seed') options.seed = false;
    else throw new Error(`Unknown option ${arg}`);
  }
  if (
    !Number.isInteger(options.port) ||
    options.port < 0 ||
    options.port > 65535
  ) {
    throw new Error('--port needs a port number');
  }
  return { command, options };
}

async function main() {
  const adminCode = await runAdminCommand(process.argv.slice(2));
  if (adminCode !== undefined) return adminCode;
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { command, options } = parsed;
  if (command === 'reset') {
    resetLocalAws(options.dataDir);
    process.stdout.write(`Deleted local AWS state in ${options.dataDir}\n`);
    return 0;
  }
  if (command !== 'start') {
    process.stderr.write(USAGE);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  const log = (message: string) =>
    process.stderr.write(`[local-aws] ${message}\n`);
  let server;
  try {
    server = await startLocalAwsServer({
      port: options.port,
      dataDir: options.dataDir,
      seed: options.seed,
      log,
    });
  } catch (error) {
    if (
      error instanceof PortInUseError ||
      error instanceof MotoNotInstalledError
    ) {
      process.stderr.write(`[local-aws] ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  process.stdout.write(`AWS_ENDPOINT_URL=${server.endpoint}\n`);
  if (server.demo)
    process.stdout.write(`DMP_DATAZONE_DOMAIN_ID=${server.demo.domainId}\n`);
  log(
    `accounts: governance ${server.accounts.governance}, producer ${server.accounts.producer}`,
  );
  log(
    `environment written to ${
      dataFiles(options.dataDir).endpointEnv
    } (source it for the AWS CLI)`,
  );
  log('ready; Ctrl-C stops');

  await new Promise<void>(resolveStop => {
    const handlers: Record<'SIGINT' | 'SIGTERM', () => void> = {
      SIGINT: () => stop('SIGINT'),
      SIGTERM: () => stop('SIGTERM'),
    };
    function stop(signal: 'SIGINT' | 'SIGTERM') {
      log(`${signal}: stopping`);
      process.off('SIGINT', handlers.SIGINT);
      process.off('SIGTERM', handlers.SIGTERM);
      server!.stop().then(resolveStop, (error: unknown) => {
        log(`error while stopping: ${(error as Error).message}`);
        resolveStop();
      });
    }
    process.on('SIGINT', handlers.SIGINT);
    process.on('SIGTERM', handlers.SIGTERM);
  });
  return 0;
}

main().then(
  code => process.exit(code),
  error => {
    process.stderr.write(`[local-aws] ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
