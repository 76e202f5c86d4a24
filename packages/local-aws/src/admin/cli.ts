import { resolve } from 'node:path';
import { packageRoot } from '../paths';
import { DataZoneStore } from '../datazone/store';
import { StatePersistence } from '../datazone/persistence';
import { seedScaleMesh, type ScaleSpec } from '../scale/seed';
import { readScaleMeshes, writeScaleMeshes } from '../scale/meshes';
import { LocalAwsAdminClient } from './client';
import { parseFaultSpec, type FaultSpec } from './faults';

export const ADMIN_USAGE = `  faults show|set|clear   Fault injection on a running local AWS (off by default).
      set --kind throttle|error|latency|timeout [--service datazone] [--operation Search]
          [--rate 0..1 | --every N] [--page N] [--times N] [--latency-ms MS] [--status 5xx]
          [--hold-ms MS] [--seed N] [--replace]     (or --json '<rule or [rules]>')
      clear [--id fault-1]
  counters [show|reset]   Calls per service and operation since the last reset.
  quotas show|on|off      DataZone quota emulation: on [--default-rps 20] [--burst-seconds 1]
                          [--rps Search=20 --rps AcceptSubscriptionRequest=3 ...]
  seed-scale --products N --assets-per-product M [--domain-name NAME] [--columns 6]
          [--products-per-project 20] [--unpublished-every K]
                          Writes a scale mesh into --data-dir (stop the server first),
                          or, with --port/--endpoint, into the running local AWS.

  --port <port> / --endpoint <url> name the running local AWS (default port 4566).
`;

const ADMIN_COMMANDS = new Set(['faults', 'counters', 'quotas', 'seed-scale']);

const FLAG_OF: Record<string, keyof FaultSpec> = {
  '--service': 'service',
  '--operation': 'operation',
  '--kind': 'kind',
  '--rate': 'rate',
  '--every': 'every',
  '--page': 'page',
  '--times': 'times',
  '--latency-ms': 'latencyMs',
  '--status': 'status',
  '--hold-ms': 'holdMs',
  '--seed': 'seed',
};

const NUMERIC = new Set<keyof FaultSpec>([
  'rate',
  'every',
  'page',
  'times',
  'latencyMs',
  'status',
  'holdMs',
  'seed',
]);

class UsageError extends Error {}

function number(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || Number.isNaN(n))
    throw new UsageError(`${flag} needs a number`);
  return n;
}

interface Parsed {
  sub?: string;
  endpoint: string;
  dataDir: string;
  flags: Map<string, string[]>;
}

function parse(args: string[]): Parsed {
  const flags = new Map<string, string[]>();
  let sub: string | undefined;
  let port = 4566;
  let endpoint: string | undefined;
  let dataDir = resolve(packageRoot(), '..', '..', '.data', 'local-aws');
  const boolean = new Set(['--replace']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      if (sub !== undefined) throw new UsageError(`Unexpected argument ${arg}`);
      sub = arg;
      continue;
    }
    if (boolean.has(arg)) {
      flags.set(arg, ['true']);
      continue;
    }
    const value = args[++i];
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    if (arg === '--port') port = number(value, '--port');
    else if (arg === '--endpoint') endpoint = value;
    else if (arg === '--data-dir') dataDir = resolve(value);
    else flags.set(arg, [...(flags.get(arg) ?? []), value]);
  }
  const given = args.includes('--port') || args.includes('--endpoint');
  if (given) flags.set('--remote', ['true']);
  return {
    sub,
    endpoint: endpoint ?? `http://127.0.0.1:${port}`,
    dataDir,
    flags,
  };
}

function only(parsed: Parsed, allowed: string[]) {
  for (const flag of parsed.flags.keys()) {
    if (flag !== '--remote' && !allowed.includes(flag))
      throw new UsageError(`Unknown option ${flag}`);
  }
}

const one = (parsed: Parsed, flag: string) => parsed.flags.get(flag)?.[0];

function faultSpecFromFlags(parsed: Parsed): FaultSpec[] {
  const json = one(parsed, '--json');
  if (json !== undefined) {
    const value = JSON.parse(json);
    return (Array.isArray(value) ? value : [value]).map(parseFaultSpec);
  }
  const spec: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAG_OF)) {
    const value = one(parsed, flag);
    if (value !== undefined)
      spec[key] = NUMERIC.has(key) ? number(value, flag) : value;
  }
  return [parseFaultSpec(spec)];
}

function quotaUpdate(parsed: Parsed, enabled: boolean) {
  const update: {
    enabled: boolean;
    defaultRps?: number;
    burstSeconds?: number;
    rps?: Record<string, number>;
  } = { enabled };
  const defaultRps = one(parsed, '--default-rps');
  if (defaultRps !== undefined)
    update.defaultRps = number(defaultRps, '--default-rps');
  const burst = one(parsed, '--burst-seconds');
  if (burst !== undefined)
    update.burstSeconds = number(burst, '--burst-seconds');
  for (const pair of parsed.flags.get('--rps') ?? []) {
    const [op, value] = pair.split('=');
    if (!op || value === undefined)
      throw new UsageError('--rps takes Operation=N, e.g. --rps Search=20');
    update.rps = { ...update.rps, [op]: number(value, '--rps') };
  }
  return update;
}

async function seedScale(parsed: Parsed, out: (text: string) => void) {
  const spec: Record<string, unknown> = {
    products: number(one(parsed, '--products'), '--products'),
    assetsPerProduct: number(
      one(parsed, '--assets-per-product'),
      '--assets-per-product',
    ),
  };
  const optional: [string, keyof ScaleSpec, boolean][] = [
    ['--domain-name', 'domainName', false],
    ['--columns', 'columns', true],
    ['--products-per-project', 'productsPerProject', true],
    ['--projects-per-unit', 'projectsPerUnit', true],
    ['--unpublished-every', 'unpublishedEvery', true],
  ];
  for (const [flag, key, numeric] of optional) {
    const value = one(parsed, flag);
    if (value !== undefined) spec[key] = numeric ? number(value, flag) : value;
  }
  if (parsed.flags.has('--remote')) {
    const mesh = await new LocalAwsAdminClient(parsed.endpoint).seedScale(
      spec as unknown as ScaleSpec,
    );
    out(JSON.stringify(mesh, null, 2));
    return;
  }
  const stateFile = resolve(parsed.dataDir, 'datazone-state.json');
  const meshFile = resolve(parsed.dataDir, 'scale-mesh.json');
  const started = performance.now();
  const store = new DataZoneStore(StatePersistence.load(stateFile));
  const persistence = new StatePersistence(stateFile, store);
  const mesh = seedScaleMesh(store, spec);
  await persistence.flush();
  writeScaleMeshes(meshFile, [...readScaleMeshes(meshFile), mesh]);
  const memory = process.memoryUsage();
  out(
    JSON.stringify(
      {
        ...mesh,
        dataDir: parsed.dataDir,
        totalMs: Math.round(performance.now() - started),
        heapUsedMB: Math.round(memory.heapUsed / 1024 / 1024),
        rssMB: Math.round(memory.rss / 1024 / 1024),
      },
      null,
      2,
    ),
  );
}

/**
 * The admin commands of `local-aws`; resolves to an exit code, or to undefined when the
 * command is not one of them (the main CLI handles it then).
 */
export async function runAdminCommand(
  argv: string[],
  out: (text: string) => void = text => process.stdout.write(`${text}\n`),
  err: (text: string) => void = text => process.stderr.write(`${text}\n`),
): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (!ADMIN_COMMANDS.has(command)) return undefined;
  try {
    const parsed = parse(rest);
    const client = new LocalAwsAdminClient(parsed.endpoint);
    const show = (value: unknown) => out(JSON.stringify(value, null, 2));
    if (command === 'seed-scale') {
      only(parsed, [
        '--products',
        '--assets-per-product',
        '--domain-name',
        '--columns',
        '--products-per-project',
        '--projects-per-unit',
        '--unpublished-every',
      ]);
      await seedScale(parsed, out);
      return 0;
    }
    if (command === 'counters') {
      only(parsed, []);
      if (parsed.sub === undefined || parsed.sub === 'show')
        show(await client.counters());
      else if (parsed.sub === 'reset') show(await client.resetCounters());
      else throw new UsageError(`counters ${parsed.sub}? Use show or reset.`);
      return 0;
    }
    if (command === 'quotas') {
      only(parsed, ['--default-rps', '--burst-seconds', '--rps']);
      if (parsed.sub === undefined || parsed.sub === 'show')
        show(await client.quotas());
      else if (parsed.sub === 'on')
        show(await client.setQuotas(quotaUpdate(parsed, true)));
      else if (parsed.sub === 'off') show(await client.clearQuotas());
      else throw new UsageError(`quotas ${parsed.sub}? Use show, on or off.`);
      return 0;
    }
    // faults
    if (parsed.sub === undefined || parsed.sub === 'show') {
      only(parsed, []);
      show(await client.faults());
    } else if (parsed.sub === 'set') {
      only(parsed, [...Object.keys(FLAG_OF), '--json', '--replace']);
      const specs = faultSpecFromFlags(parsed);
      show(
        parsed.flags.has('--replace')
          ? await client.setFaults(specs)
          : await client.addFaults(...specs),
      );
    } else if (parsed.sub === 'clear') {
      only(parsed, ['--id']);
      const removed = await client.clearFaults(one(parsed, '--id'));
      out(`removed ${removed} fault rule(s)`);
    } else
      throw new UsageError(`faults ${parsed.sub}? Use show, set or clear.`);
    return 0;
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof UsageError || error instanceof SyntaxError) {
      err(`${message}\n\n${ADMIN_USAGE}`);
      return 2;
    }
    if ((error as { cause?: unknown }).cause !== undefined) {
      // fetch could not connect (refused, reset, unreachable).
      err(
        `No local AWS answers there (${message}): start it (local-aws start) or pass --port/--endpoint.`,
      );
      return 1;
    }
    err(message);
    return 1;
  }
}
