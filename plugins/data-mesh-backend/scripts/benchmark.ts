/*
 * Access-request benchmark (see README, "Benchmark").
 *
 *   source scripts/toolchain.sh
 *   node -r @backstage/cli/config/nodeTransform.cjs plugins/data-mesh-backend/scripts/benchmark.ts \
 *     [--users 50] [--creates 10] [--lists 20] [--approvals 100] [--phase-seconds 120]
 *
 * The parent starts a local AWS (moto and the DataZone stand-in, seeded, no
 * fault rules: zero added latency) and a backend with the data-mesh plugin in
 * this process (Lake Formation mode, SQLite in memory, the tests' policy and
 * mock sign-in tokens). Load comes from a child process (this file with
 * `--child`) over loopback, plain `fetch` loops, one loop per simulated user:
 *
 *   1. create: every user creates `--creates` requests for their own team;
 *   2. list: every user lists their requests (`view=mine`) `--lists` times;
 *   2'. the same two at a person's pace (`create~1/s`, `list~1/s`: random start
 *      within a second, 0.5–1.5 s pause after each call), on other datasets;
 *   3. approvals: `--approvals` pending requests on distinct (role, table)
 *      pairs are approved all at once by one reviewer; the parent then counts
 *      the grants in Lake Formation (producer account, ListPermissions).
 *
 * Each phase is bounded in count and in time (`--phase-seconds`). Figures are
 * printed as a table and as JSON (last line).
 */
import * as iam from '@aws-sdk/client-iam';
import * as lfSdk from '@aws-sdk/client-lakeformation';
import * as stsSdk from '@aws-sdk/client-sts';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  DUMMY_CREDENTIALS,
  PRODUCER_ROLE_ARN,
  PRODUCER_ROLE_NAME,
  startLocalAws,
} from '@data-mesh-portal/local-aws';
import * as common from '@data-mesh-portal/plugin-data-mesh-common';
import * as fixtures from '../src/__testUtils__/fixtures';
import { ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { arg, installJestShim, percentile } from './benchmarkUtils';

interface LoadSpec {
  phase: string;
  baseUrl: string;
  /** One sequential loop per user: the calls it makes, in order. */
  users: Array<{ auth: string; calls: Array<{ method: 'GET' | 'POST'; path: string; body?: unknown; expect: number }> }>;
  /** All loops start together; `burst` fires every call of every user at once. */
  burst?: boolean;
  /** Pause after each call of a user (0.5–1.5 × this, at random): people, not a tight loop. */
  thinkMs?: number;
  deadlineMs: number;
}

interface LoadResult {
  phase: string;
  calls: number;
  errors: number;
  errorSamples: string[];
  timedOut: boolean;
  wallMs: number;
  latenciesMs: number[];
}

// ---------------------------------------------------------------------------
// Child: the load generator.

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let calls = 0;
  let timedOut = false;
  const deadline = Date.now() + spec.deadlineMs;
  const call = async (auth: string, c: LoadSpec['users'][0]['calls'][0]) => {
    const started = performance.now();
    calls++;
    try {
      const res = await fetch(`${spec.baseUrl}${c.path}`, {
        method: c.method,
        headers: { authorization: auth, ...(c.body ? { 'content-type': 'application/json' } : {}) },
        body: c.body ? JSON.stringify(c.body) : undefined,
        signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
      });
      const text = await res.text();
      latencies.push(performance.now() - started);
      if (res.status !== c.expect) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${c.method} ${c.path} → ${res.status} ${text.slice(0, 200)}`);
      }
    } catch (error) {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(`${c.method} ${c.path} → ${error}`);
    }
  };
  const begin = performance.now();
  if (spec.burst) {
    await Promise.all(spec.users.flatMap(u => u.calls.map(c => call(u.auth, c))));
  } else {
    await Promise.all(
      spec.users.map(async u => {
        if (spec.thinkMs) {
          // People do not all press at the same instant.
          await new Promise(r => setTimeout(r, spec.thinkMs! * Math.random()));
        }
        for (const c of u.calls) {
          if (Date.now() > deadline) {
            timedOut = true;
            return;
          }
          await call(u.auth, c);
          if (spec.thinkMs) {
            await new Promise(r => setTimeout(r, spec.thinkMs! * (0.5 + Math.random())));
          }
        }
      }),
    );
  }
  return {
    phase: spec.phase,
    calls,
    errors,
    errorSamples,
    timedOut,
    wallMs: performance.now() - begin,
    latenciesMs: latencies,
  };
}

if (process.argv.includes('--child')) {
  process.on('message', async (spec: LoadSpec) => {
    const result = await runLoad(spec);
    process.send!(result);
  });
} else {
  main().then(
    () => process.exit(0),
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------------------
// Parent: local AWS, the backend, the phases, the figures.


async function main() {
  const users = arg('users', 50);
  const creates = arg('creates', 10);
  const lists = arg('lists', 20);
  const approvals = arg('approvals', 100);
  const phaseMs = arg('phase-seconds', 120) * 1000;

  installJestShim();

  const machine = () => ({
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadavg: os.loadavg().map(n => Number(n.toFixed(2))),
    freeMemGb: Number((os.freemem() / 2 ** 30).toFixed(1)),
  });
  const before = machine();
  const t0 = performance.now();
  const local = await startLocalAws({ seed: true, persist: false });
  const demo = local.demo!;
  // The credentials manager's STS role assumption reads the endpoint from the environment.
  process.env.AWS_ENDPOINT_URL = local.endpoint;
  console.error(`local AWS up in ${Math.round(performance.now() - t0)} ms at ${local.endpoint} (no fault rules: zero added latency)`);

  let child: ChildProcess | undefined;
  let started: Awaited<ReturnType<typeof fixtures.startDataMeshBackend>> | undefined;
  try {
    // Tables: every Glue table of the demo mesh (producer account), one dataset each.
    const tables = demo.dataProducts.flatMap(p => p.assets.map(a => ({ database: p.database, table: a.table })));
    // Roles for the approval phase: approvals / tables.length roles × the tables, distinct pairs.
    const roleCount = Math.ceil(approvals / tables.length);
    const account = demo.accounts.governance;
    const iamClient = new iam.IAMClient(local.clientConfig());
    const roleArns: string[] = [];
    for (let r = 0; r < roleCount; r++) {
      const RoleName = `bench-consumer-${r}`;
      await iamClient.send(
        new iam.CreateRoleCommand({
          RoleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          }),
        }),
      );
      roleArns.push(`arn:aws:iam::${account}:role/${RoleName}`);
    }
    iamClient.destroy();

    const owner = 'group:default/bench-owners';
    const datasetRef = (i: number) => `api:default/bench-dataset-${i}`;
    const group = (name: string, roleArn: string): any => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name, namespace: 'default', annotations: { [common.ANNOTATION_LAKE_FORMATION_PRINCIPAL_ROLE_ARN]: roleArn } },
      spec: { type: 'team', children: [] },
    });
    const entities: any[] = [
      ...tables.map((t, i) => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: {
          name: `bench-dataset-${i}`,
          namespace: 'default',
          annotations: {
            [common.ANNOTATION_GLUE_DATABASE]: t.database,
            [common.ANNOTATION_GLUE_TABLE]: t.table,
            [common.ANNOTATION_AWS_ACCOUNT_ID]: demo.accounts.producer,
            [common.ANNOTATION_AWS_REGION]: local.region,
          },
        },
        spec: {
          type: 'dataset',
          lifecycle: 'production',
          owner,
          definition: fixtures.contractYaml({ tables: [t.table] }),
        },
        relations: [{ type: 'ownedBy', targetRef: owner }],
      })),
      group('bench-owners', 'arn:aws:iam::123456789012:role/unused'),
      // Load teams: never approved, so their role need not exist.
      ...Array.from({ length: users }, (_, u) => group(`bench-team-${u}`, `arn:aws:iam::${account}:role/bench-load-${u}`)),
      ...roleArns.map((arn, r) => group(`bench-approve-team-${r}`, arn)),
      group('bench-warmup-team', `arn:aws:iam::${account}:role/bench-warmup`),
      group('bench-solo-team', `arn:aws:iam::${account}:role/bench-solo`),
    ];
    const userRef = (u: number) => `user:default/bench-user-${u}`;
    for (let u = 0; u < users; u++) fixtures.MEMBERSHIP[userRef(u)] = [`group:default/bench-team-${u}`];
    fixtures.MEMBERSHIP['user:default/bench-reviewer'] = [owner];
    fixtures.MEMBERSHIP['user:default/bench-warmup'] = ['group:default/bench-warmup-team'];
    fixtures.MEMBERSHIP['user:default/bench-requester'] = roleArns.map((_, r) => `group:default/bench-approve-team-${r}`);

    started = await fixtures.startDataMeshBackend({
      entities,
      endpoint: local.endpoint,
      producerAccount: demo.accounts.producer,
      producerRoleName: PRODUCER_ROLE_NAME,
      accessKeyId: DUMMY_CREDENTIALS.accessKeyId,
      secretAccessKey: DUMMY_CREDENTIALS.secretAccessKey,
      notifications: { send: (async () => {}) as any },
      config: { maxDurationDays: 365, defaultDurationDays: 30 },
    });
    const address = started.server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/data-mesh`;
    const header = (ref: string) => mockCredentials.user.header(ref);

    child = fork(__filename, ['--child'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const load = (spec: LoadSpec) =>
      new Promise<LoadResult>((resolve, reject) => {
        const onMessage = (m: any) => {
          if (m?.phase !== spec.phase) return; // not ours (e.g. the transform's own messages)
          child!.off('message', onMessage);
          resolve(m as LoadResult);
        };
        child!.on('message', onMessage);
        child!.once('exit', code => reject(new Error(`load generator exited with ${code}`)));
        child!.send(spec);
      });

    const results: Record<string, LoadResult> = {};
    // Warm-up (first requests compile routes, open connections): not measured.
    const warmUp = await load({
      phase: 'warm-up',
      baseUrl,
      deadlineMs: phaseMs,
      users: [
        {
          auth: header('user:default/bench-warmup'),
          calls: [
            ...Array.from({ length: 10 }, (_, i) => ({
              method: 'POST' as const,
              path: '/access-requests',
              body: { entityRef: datasetRef(i), teamRef: 'group:default/bench-warmup-team', purpose: `Benchmark warm-up request ${i}` },
              expect: 201,
            })),
            ...Array.from({ length: 20 }, () => ({ method: 'GET' as const, path: '/access-requests?view=mine', expect: 200 })),
          ],
        },
      ],
    });

    if (warmUp.errors > 0) throw new Error(`Warm-up failed: ${warmUp.errorSamples.join('; ')}`);
    // One user alone first: the service time without queueing, for comparison.
    fixtures.MEMBERSHIP['user:default/bench-solo'] = ['group:default/bench-solo-team'];
    results['create@1'] = await load({
      phase: 'create@1',
      baseUrl,
      deadlineMs: phaseMs,
      users: [
        {
          auth: header('user:default/bench-solo'),
          calls: Array.from({ length: Math.min(20, tables.length) }, (_, i) => ({
            method: 'POST' as const,
            path: '/access-requests',
            body: { entityRef: datasetRef(i), teamRef: 'group:default/bench-solo-team', purpose: `Benchmark, one user alone, request ${i}` },
            expect: 201,
          })),
        },
      ],
    });
    results['list@1'] = await load({
      phase: 'list@1',
      baseUrl,
      deadlineMs: phaseMs,
      users: [
        {
          auth: header('user:default/bench-solo'),
          calls: Array.from({ length: 50 }, () => ({ method: 'GET' as const, path: '/access-requests?view=mine&limit=50', expect: 200 })),
        },
      ],
    });

    const perUserCreates = Math.min(creates, tables.length);
    // Every user creates requests for their own team on `perUserCreates` datasets
    // from `offset` on (the paced phase takes other ones: no duplicates), or lists theirs.
    const createUsers = (offset: number, note: string) =>
      Array.from({ length: users }, (_, u) => ({
        auth: header(userRef(u)),
        calls: Array.from({ length: perUserCreates }, (_call, i) => ({
          method: 'POST' as const,
          path: '/access-requests',
          body: {
            entityRef: datasetRef((u + i + offset) % tables.length),
            teamRef: `group:default/bench-team-${u}`,
            purpose: `Benchmark request ${u}/${i}${note}`,
          },
          expect: 201,
        })),
      }));
    const listUsers = () =>
      Array.from({ length: users }, (_, u) => ({
        auth: header(userRef(u)),
        calls: Array.from({ length: lists }, () => ({
          method: 'GET' as const,
          path: '/access-requests?view=mine&limit=50',
          expect: 200,
        })),
      }));
    results.create = await load({ phase: 'create', baseUrl, deadlineMs: phaseMs, users: createUsers(0, '') });
    results.list = await load({ phase: 'list', baseUrl, deadlineMs: phaseMs, users: listUsers() });
    // The same users at a person's pace (a call, then about a second of
    // thinking): latency without the queue a tight loop builds on 2 cores.
    results['create~1/s'] = await load({
      phase: 'create~1/s',
      baseUrl,
      deadlineMs: phaseMs,
      thinkMs: 1000,
      users: createUsers(perUserCreates, " at a person's pace"),
    });
    results['list~1/s'] = await load({
      phase: 'list~1/s',
      baseUrl,
      deadlineMs: phaseMs,
      thinkMs: 1000,
      users: listUsers(),
    });

    // Approvals: `approvals` pending requests on distinct (role, table) pairs, made first (not measured).
    const pending: string[] = [];
    for (let n = 0; n < approvals; n++) {
      const r = Math.floor(n / tables.length);
      const res = await fetch(`${baseUrl}/access-requests`, {
        method: 'POST',
        headers: { authorization: header('user:default/bench-requester'), 'content-type': 'application/json' },
        body: JSON.stringify({
          entityRef: datasetRef(n % tables.length),
          teamRef: `group:default/bench-approve-team-${r}`,
          purpose: `Benchmark approval ${n}`,
        }),
      });
      const body = await res.json();
      if (res.status !== 201) throw new Error(`Creating approval request ${n}: ${res.status} ${JSON.stringify(body)}`);
      pending.push(body.id);
    }
    results.approve = await load({
      phase: 'approve',
      baseUrl,
      deadlineMs: phaseMs,
      burst: true,
      users: [
        {
          auth: header('user:default/bench-reviewer'),
          calls: pending.map(id => ({ method: 'POST' as const, path: `/access-requests/${id}/approve`, body: {}, expect: 200 })),
        },
      ],
    });

    // Count in Lake Formation, as the producer account, every grant to the bench roles.
    const sts = new stsSdk.STSClient(local.clientConfig());
    const assumed = await sts.send(new stsSdk.AssumeRoleCommand({ RoleArn: PRODUCER_ROLE_ARN, RoleSessionName: 'benchmark-count' }));
    sts.destroy();
    const lf = new lfSdk.LakeFormationClient({
      ...local.clientConfig(),
      credentials: {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken,
      },
    });
    const pairs = new Map<string, Set<string>>();
    let NextToken: string | undefined;
    do {
      const page = await lf.send(new lfSdk.ListPermissionsCommand({ CatalogId: demo.accounts.producer, NextToken }));
      for (const p of page.PrincipalResourcePermissions ?? []) {
        const principal = p.Principal?.DataLakePrincipalIdentifier ?? '';
        if (!roleArns.includes(principal)) continue;
        const t = p.Resource?.Table;
        const key = `${principal}|${t?.DatabaseName}.${t?.Name}`;
        pairs.set(key, new Set([...(pairs.get(key) ?? []), ...(p.Permissions ?? [])]));
      }
      NextToken = page.NextToken;
    } while (NextToken);
    lf.destroy();
    const exactGrants = [...pairs.values()].filter(s => s.size === 2 && s.has('SELECT') && s.has('DESCRIBE')).length;
    const statuses: Record<string, number> = {};
    const failureSamples = new Set<string>();
    for (const id of pending) {
      const res = await fetch(`${baseUrl}/access-requests/${id}`, { headers: { authorization: header('user:default/bench-reviewer') } });
      const body = await res.json();
      statuses[body.status] = (statuses[body.status] ?? 0) + 1;
      if (body.failureReason && failureSamples.size < 3) failureSamples.add(body.failureReason);
    }

    // Figures.
    const figures = Object.fromEntries(
      Object.entries(results).map(([phase, r]) => {
        const sorted = [...r.latenciesMs].sort((a, b) => a - b);
        return [
          phase,
          {
            calls: r.calls,
            errors: r.errors,
            timedOut: r.timedOut,
            p50Ms: Number(percentile(sorted, 50).toFixed(1)),
            p99Ms: Number(percentile(sorted, 99).toFixed(1)),
            maxMs: Number((sorted[sorted.length - 1] ?? NaN).toFixed(1)),
            wallMs: Math.round(r.wallMs),
            perSecond: Number(((r.calls / r.wallMs) * 1000).toFixed(0)),
            errorSamples: r.errorSamples,
          },
        ];
      }),
    );
    const summary = {
      date: new Date().toISOString(),
      node: process.version,
      machineBefore: before,
      machineAfter: machine(),
      concurrentUsers: users,
      figures,
      approvals: {
        fired: pending.length,
        requestStatuses: statuses,
        failureSamples: [...failureSamples],
        lakeFormationGrants: pairs.size,
        lakeFormationGrantsExactlySelectDescribe: exactGrants,
      },
      targets: {
        createP99Within50ms: figures.create.p99Ms <= 50 && figures.create.errors === 0,
        listP99Within50ms: figures.list.p99Ms <= 50 && figures.list.errors === 0,
        pacedCreateP99Within50ms: figures['create~1/s'].p99Ms <= 50 && figures['create~1/s'].errors === 0,
        pacedListP99Within50ms: figures['list~1/s'].p99Ms <= 50 && figures['list~1/s'].errors === 0,
        exactly100Grants: approvals === 100 ? exactGrants === 100 && pairs.size === 100 : undefined,
      },
    };
    console.log('');
    console.log(`Access-request benchmark, ${summary.date}, ${before.cpus} CPUs (${before.cpuModel}), load average ${before.loadavg.join(' ')} → ${summary.machineAfter.loadavg.join(' ')}`);
    console.log(`${users} concurrent users, load from a child process over loopback (fetch), local AWS with zero added latency`);
    console.log('phase      calls  errors  p50 ms  p99 ms  max ms  calls/s   (@1: one user alone)');
    for (const [phase, f] of Object.entries(figures)) {
      console.log(
        `${phase.padEnd(9)} ${String(f.calls).padStart(6)} ${String(f.errors).padStart(7)} ${String(f.p50Ms).padStart(7)} ${String(f.p99Ms).padStart(7)} ${String(f.maxMs).padStart(7)} ${String(f.perSecond).padStart(8)}${f.timedOut ? '  (stopped at the time limit)' : ''}`,
      );
      for (const sample of f.errorSamples) console.log(`    error: ${sample}`);
    }
    console.log(
      `approvals: ${pending.length} fired at once → requests ${JSON.stringify(statuses)}; Lake Formation lists ${pairs.size} (role, table) grants, ${exactGrants} with exactly SELECT+DESCRIBE`,
    );
    for (const reason of failureSamples) console.log(`    failed: ${reason}`);
    console.log(`targets: ${JSON.stringify(summary.targets)}`);
    console.log(JSON.stringify(summary));
  } finally {
    child?.kill();
    await started?.backend.stop().catch(() => {});
    await started?.awsClients.destroy();
    await local.stop();
  }
}
