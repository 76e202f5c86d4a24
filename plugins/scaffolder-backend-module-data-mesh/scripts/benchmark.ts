/*
 * Benchmark of the New data product template: full runs through the
 * scaffolder (a real scaffolder backend in this process) against a private
 * local AWS (moto + the DataZone stand-in, demo mesh seeded).
 *
 *   source scripts/toolchain.sh
 *   node -r @backstage/cli/config/nodeTransform.cjs \
 *     plugins/scaffolder-backend-module-data-mesh/scripts/benchmark.ts --runs 5
 *
 * Options: --runs N (default 5, per mode), --mode columns|crawler|both
 * (default both), --poll-ms P (how often the task's status is read, default 20).
 *
 * Prints, per mode: wall time per run (task creation until the task is
 * completed, p50 and max), then per step the median time inside the action,
 * its median time waiting for AWS (SDK sends, measured by client middleware)
 * and its AWS calls by operation, counted by the local AWS itself
 * (`GET /_local-aws/counters`, read before and after each step); and the
 * share of the wall time spent waiting for AWS, in our actions' own code,
 * and in the scaffolder (templating, task store, status polling).
 * Crawler mode uploads one CSV file per run before the template runs, so the
 * crawler finds one table.
 */
import os from 'node:os';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  LocalAwsAdminClient,
  type CountersSnapshot,
} from '@data-mesh-portal/local-aws';
import { dataMeshCatalogSyncServiceRef } from '@data-mesh-portal/plugin-data-mesh-node';
import { validateDataContract } from '@data-mesh-portal/plugin-data-mesh-common';
import { createDataMeshActions } from '../src/actions';
import { startActionTestEnv } from '../src/__testUtils__/harness';
import {
  columnsValues,
  crawlerValues,
  startTemplateBackend,
  uploadBeforehand,
} from '../src/__testUtils__/template';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const runs = Number(arg('runs') ?? 5);
const mode = arg('mode') ?? 'both';
const pollMs = Number(arg('poll-ms') ?? 20);

function log(line = '') {
  // eslint-disable-next-line no-console
  console.log(line);
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const pct = (part: number, whole: number) =>
  `${whole ? ((100 * part) / whole).toFixed(0) : 0} %`;

/** `service:operation → calls` between two counter snapshots. */
function callsBetween(before: CountersSnapshot, after: CountersSnapshot) {
  const calls = new Map<string, number>();
  for (const [service, ops] of Object.entries(after.services)) {
    for (const [op, count] of Object.entries(ops)) {
      const n = count.calls - (before.services[service]?.[op]?.calls ?? 0);
      if (n > 0) calls.set(`${service}:${op}`, n);
    }
  }
  return calls;
}

interface StepStat {
  step: string;
  action: string;
  ms: number;
  awsMs: number;
  /** Requests our clients sent (the harness's counting proxy). */
  sent: number;
  /** Calls the local AWS counted, its own emulation's included. */
  calls: Map<string, number>;
}

async function main() {
  log(
    `New data product template benchmark: ${runs} run(s) per mode (${mode}), task status read every ${pollMs} ms`,
  );
  log(
    `started ${new Date().toISOString()}, node ${process.version}, ${
      os.cpus().length
    } cores, load average ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
  );
  const started = Date.now();
  const env = await startActionTestEnv();
  const admin = new LocalAwsAdminClient(env.local.endpoint);
  log(`local AWS up and seeded in ${ms(Date.now() - started)}`);

  let stats: StepStat[] = [];
  const instrumented = createBackendModule({
    pluginId: 'scaffolder',
    moduleId: 'data-mesh-benchmark',
    register(reg) {
      reg.registerInit({
        deps: {
          scaffolder: scaffolderActionsExtensionPoint,
          sync: dataMeshCatalogSyncServiceRef,
        },
        async init({ scaffolder, sync }) {
          scaffolder.addActions(
            ...createDataMeshActions({ clients: env.clients, sync }).map(
              action => ({
                ...action,
                async handler(ctx: any) {
                  const before = await admin.counters();
                  const sent0 = env.calls.length;
                  const aws0 = env.timing.awsMs;
                  const t0 = performance.now();
                  try {
                    await action.handler(ctx);
                  } finally {
                    const elapsed = performance.now() - t0;
                    const awsMs = env.timing.awsMs - aws0;
                    stats.push({
                      step: ctx.step?.id ?? '?',
                      action: action.id,
                      ms: elapsed,
                      awsMs,
                      sent: env.calls.length - sent0,
                      calls: callsBetween(before, await admin.counters()),
                    });
                  }
                },
              }),
            ),
          );
        },
      });
    },
  });
  const backend = await startTemplateBackend(env, instrumented);
  // The ODCS JSON Schema is compiled once per process on first use: measure the steady state.
  validateDataContract({});

  const modes = mode === 'both' ? ['columns', 'crawler'] : [mode];
  const summary: string[] = [];
  for (const m of modes) {
    const walls: number[] = [];
    const perRun: StepStat[][] = [];
    for (let i = 1; i <= runs; i++) {
      const productId = `bench-${m === 'columns' ? 'c' : 'k'}-${i}-${Date.now()
        .toString(36)
        .slice(-4)}`;
      const name = `Bench ${m} ${i}`;
      if (m === 'crawler') {
        await uploadBeforehand(env, productId, {
          'returns/part-0.csv':
            'return_id,amount,returned_at\n1,12.50,2026-01-02\n2,3.10,2026-01-03\n',
        });
      }
      stats = [];
      const run = await backend.run(
        m === 'columns'
          ? columnsValues(env, productId, name)
          : crawlerValues(env, productId, name),
        { pollMs },
      );
      walls.push(run.ms);
      perRun.push(stats);
    }
    const steps = perRun[0].map(s => s.step);
    const sum = (f: (s: StepStat) => number) =>
      perRun.map(r => r.reduce((n, s) => n + f(s), 0));
    const inActions = sum(s => s.ms);
    const inAws = sum(s => s.awsMs);
    const calls = sum(s => [...s.calls.values()].reduce((a, b) => a + b, 0));
    const sent = sum(s => s.sent);
    log();
    log(
      `${m} mode: wall per run p50 ${ms(median(walls))}, max ${ms(
        Math.max(...walls),
      )} (runs: ${walls.map(w => w.toFixed(0)).join(', ')} ms); ${median(
        sent,
      )} requests sent by our actions per run, ${median(
        calls,
      )} calls counted by the local AWS (its emulated crawler and data source included)`,
    );
    log(
      `  ${'step'.padEnd(22)} ${'action'.padEnd(40)} ${'time'.padStart(
        7,
      )} ${'AWS'.padStart(7)} sent  local AWS counters`,
    );
    for (const step of steps) {
      const of = perRun.map(r => r.find(s => s.step === step)!);
      const callsOf = of[0].calls;
      log(
        `  ${step.padEnd(22)} ${of[0].action.padEnd(40)} ${ms(
          median(of.map(s => s.ms)),
        ).padStart(7)} ${ms(median(of.map(s => s.awsMs))).padStart(7)} ${String(
          of[0].sent,
        ).padStart(4)}  ${String(
          [...callsOf.values()].reduce((a, b) => a + b, 0),
        ).padStart(3)}: ${[...callsOf]
          .map(([op, n]) => (n > 1 ? `${op}×${n}` : op))
          .join(' ')}`,
      );
    }
    const wall = median(walls);
    const aws = median(inAws);
    const ours = median(inActions.map((t, i) => t - inAws[i]));
    const scaffolder = wall - median(inActions);
    log(
      `  share of the wall time (medians): waiting for AWS ${ms(aws)} (${pct(
        aws,
        wall,
      )}), our actions' own code ${ms(ours)} (${pct(
        ours,
        wall,
      )}), scaffolder and status polling ${ms(scaffolder)} (${pct(
        scaffolder,
        wall,
      )})`,
    );
    summary.push(
      `${m}: p50 ${ms(wall)}, max ${ms(Math.max(...walls))}, ${median(
        sent,
      )} requests sent (${median(calls)} counted by the local AWS)`,
    );
  }
  log();
  log(
    `summary: ${summary.join('; ')}; load average at the end ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
  );
  await backend.stop();
  await env.stop();
  // The scaffolder leaves timers behind: do not wait for them.
  process.exit(0);
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
