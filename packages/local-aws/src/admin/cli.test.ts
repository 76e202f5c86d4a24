import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../paths';
import { startLocalAws, type LocalAws } from '../testing';
import { runAdminCommand } from './cli';

jest.setTimeout(120_000);

const exec = promisify(execFile);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCommand(
    argv,
    t => out.push(t),
    t => err.push(t),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('local-aws admin commands', () => {
  let dataDir: string;
  let aws: LocalAws | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-aws-cli-admin-'));
  });

  afterAll(async () => {
    await aws?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seed-scale writes a mesh into a data dir that start then serves', async () => {
    const seeded = await run(
      'seed-scale',
      '--products',
      '6',
      '--assets-per-product',
      '5',
      '--data-dir',
      dataDir,
    );
    expect(seeded.code).toBe(0);
    const mesh = JSON.parse(seeded.out);
    expect(mesh).toMatchObject({ products: 6, assets: 30, listings: 36 });
    expect(
      JSON.parse(readFileSync(join(dataDir, 'scale-mesh.json'), 'utf8')),
    ).toHaveLength(1);

    aws = await startLocalAws({
      seed: false,
      dataDir,
      scale: { products: 6, assetsPerProduct: 5 },
    });
    expect(aws.domainId).toBe(mesh.domainId);
    expect(Object.keys(aws.dataZone.store.state.assets)).toHaveLength(30);
  });

  it('faults set|show|clear, quotas on|show|off and counters show|reset talk to the endpoint', async () => {
    const endpoint = ['--endpoint', aws!.endpoint];
    const set = await run(
      'faults',
      'set',
      '--operation',
      'Search',
      '--kind',
      'error',
      '--page',
      '7',
      '--status',
      '503',
      ...endpoint,
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject([
      { operation: 'Search', kind: 'error', page: 7, status: 503 },
    ]);
    await run(
      'faults',
      'set',
      '--json',
      '{"service":"glue","kind":"throttle","every":2}',
      ...endpoint,
    );
    expect(aws!.faults().map(f => f.service)).toEqual(['datazone', 'glue']);
    const shown = await run('faults', 'show', ...endpoint);
    expect(JSON.parse(shown.out)).toHaveLength(2);
    expect((await run('faults', 'clear', ...endpoint)).out).toBe(
      'removed 2 fault rule(s)',
    );
    expect(aws!.faults()).toEqual([]);

    const on = await run(
      'quotas',
      'on',
      '--rps',
      'Search=5',
      '--default-rps',
      '10',
      ...endpoint,
    );
    expect(JSON.parse(on.out)).toMatchObject({
      enabled: true,
      defaultRps: 10,
      rps: { Search: 5 },
    });
    expect(aws!.control.quotas.rateOf('Search')).toBe(5);
    expect(aws!.control.quotas.rateOf('AcceptSubscriptionRequest')).toBe(3);
    await run('quotas', 'off', ...endpoint);
    expect(aws!.control.quotas.get().enabled).toBe(false);

    aws!.control.counters.call('datazone', 'Search');
    const counters = JSON.parse((await run('counters', ...endpoint)).out);
    expect(counters.services.datazone.Search.calls).toBe(1);
    await run('counters', 'reset', ...endpoint);
    expect(aws!.counters().total).toBe(0);
  });

  it('answers bad usage with 2 and a missing server with 1', async () => {
    const bad = await run('faults', 'set', '--kind', 'explode');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/"kind"/);
    expect((await run('faults', 'set', '--colour', 'red')).code).toBe(2);
    expect((await run('counters', 'sideways')).code).toBe(2);
    expect((await run('start')).code).toBeUndefined();
    const none = await run('faults', 'show', '--port', '1');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/No local AWS answers there/);
  });

  it('is wired into bin/local-aws', async () => {
    aws!.injectFault({ operation: 'GetAsset', kind: 'latency' });
    const { stdout } = await exec(
      join(packageRoot(), 'bin', 'local-aws'),
      ['faults', 'show', '--endpoint', aws!.endpoint],
      { timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toMatchObject([
      { operation: 'GetAsset', kind: 'latency' },
    ]);
  });
});
