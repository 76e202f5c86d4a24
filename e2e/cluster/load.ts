/*
 * Steady load on two backend replicas sharing one PostgreSQL, for 10 minutes by
 * default: catalog reads of data products, access-request create (then withdraw,
 * so the next create is not a duplicate) and list, and SLO reads, spread over
 * both replicas at a fixed rate (open loop: a slow answer does not slow the
 * arrivals). Prints throughput, p50/p99 per operation, errors, and each
 * replica's memory sampled every 30 s.
 *
 *   source scripts/toolchain.sh && source scripts/lib.sh && start_test_postgres
 *   node -r @backstage/cli/config/nodeTransform.cjs e2e/cluster/load.ts [--seconds 600] [--rate 20]
 *
 * Exits non-zero on any error or when a replica's live heap (after a full GC,
 * through memoryProbe.cjs) grows by more than 10 % between the end of warm-up
 * and the end of the run.
 */
import { Cluster, demoUserToken, log, percentile, Replica, sleep, startCluster } from './cluster';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const seconds = arg('seconds', 600);
const rate = arg('rate', 20); // operations per second, all replicas together
const warmupSeconds = Math.min(120, Math.round(seconds / 5));
const SAMPLE_SECONDS = 30;

type Op = 'catalog-read' | 'access-create' | 'access-withdraw' | 'access-list' | 'slo-read';

type Sample = { op: Op; ms: number; ok: boolean; status: number; replica: string };

async function timed(
  op: Op,
  replica: Replica,
  token: string,
  path: string,
  init: RequestInit = {},
  expected = [200],
): Promise<Sample & { body?: any }> {
  const started = performance.now();
  try {
    const res = await fetch(`${replica.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { op, ms, ok: expected.includes(res.status), status: res.status, replica: replica.name, body };
  } catch (error) {
    return { op, ms: performance.now() - started, ok: false, status: 0, replica: replica.name, body: String(error) };
  }
}

async function main() {
  log(`load: ${seconds} s at ${rate} operations/s over 2 replicas on one PostgreSQL (warm-up ${warmupSeconds} s)`);
  const cluster: Cluster = await startCluster({ replicas: 2 });
  const [a, b] = cluster.replicas;
  const samples: Sample[] = [];
  const errors: string[] = [];
  const memory: { t: number; mb: number[]; heap: (number | undefined)[] }[] = [];
  try {
    const bob = await demoUserToken(a.url, 'bob');
    // The demo mesh, once synced: every data product and dataset.
    let products: any[] = [];
    let datasets: any[] = [];
    for (let i = 0; i < 180 && (products.length === 0 || datasets.length < 20); i++) {
      const query = async (filter: string) => {
        const r = await timed('catalog-read', a, cluster.scriptToken, `/api/catalog/entities/by-query?filter=${encodeURIComponent(filter)}&limit=500`);
        return (r.body?.items ?? []) as any[];
      };
      products = await query('kind=system,spec.type=data-product');
      datasets = await query('kind=api,spec.type=dataset');
      if (products.length === 0 || datasets.length < 20) await sleep(1000);
    }
    if (products.length === 0 || datasets.length === 0) throw new Error('the demo mesh never reached the catalog');
    log(`catalog: ${products.length} data products, ${datasets.length} datasets; replicas ${a.url}, ${b.url}`);

    const ref = (e: any) => `${e.kind.toLowerCase()}:default/${e.metadata.name}`;
    const path = (e: any) => `${e.kind.toLowerCase()}/default/${e.metadata.name}`;
    let tick = 0;
    const inFlight = new Set<Promise<void>>();
    const record = (s: Sample & { body?: any }) => {
      samples.push({ op: s.op, ms: s.ms, ok: s.ok, status: s.status, replica: s.replica });
      if (!s.ok && errors.length < 20) {
        errors.push(`${s.op} on ${s.replica}: ${s.status} ${JSON.stringify(s.body).slice(0, 200)}`);
      }
    };
    const operation = async (n: number) => {
      const replica = n % 2 === 0 ? a : b;
      switch (Math.floor(n / 2) % 4) {
        case 0:
          record(await timed('catalog-read', replica, bob, `/api/catalog/entities/by-query?filter=${encodeURIComponent('kind=system,spec.type=data-product')}&limit=50`));
          return;
        case 1: {
          const dataset = datasets[n % datasets.length];
          const created = await timed('access-create', replica, bob, '/api/data-mesh/access-requests', {
            method: 'POST',
            body: JSON.stringify({
              entityRef: ref(dataset),
              teamRef: 'group:default/marketing-analytics',
              purpose: `Load test request ${n}: campaign attribution`,
              accessLevel: 'describe',
            }),
          }, [201, 409]); // 409: the same dataset's previous request is still being withdrawn
          record(created);
          if (created.status === 201) {
            const other = replica === a ? b : a;
            record(await timed('access-withdraw', other, bob, `/api/data-mesh/access-requests/${created.body.id}/withdraw`, { method: 'POST', body: '{}' }));
          }
          return;
        }
        case 2:
          record(await timed('access-list', replica, bob, '/api/data-mesh/access-requests?view=mine&limit=50'));
          return;
        default: {
          const product = products[n % products.length];
          record(await timed('slo-read', replica, bob, `/api/data-mesh/slo/${path(product)}`));
        }
      }
    };

    const started = Date.now();
    const sampleMemory = async () => {
      const t = Math.round((Date.now() - started) / 1000);
      const mb = cluster.replicas.map(r => r.rssMb());
      const heap = await Promise.all(cluster.replicas.map(r => r.liveHeapMb()));
      memory.push({ t, mb, heap });
    };
    await sampleMemory();
    const sampler = setInterval(sampleMemory, SAMPLE_SECONDS * 1000);
    const intervalMs = 1000 / rate;
    while (Date.now() - started < seconds * 1000) {
      const due = started + tick * intervalMs;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const p = operation(tick++).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    clearInterval(sampler);
    await sampleMemory();
    const elapsed = (Date.now() - started) / 1000;

    log(`\n${samples.length} requests in ${elapsed.toFixed(0)} s: ${(samples.length / elapsed).toFixed(1)} requests/s`);
    log('operation         count  errors   p50 ms   p99 ms   max ms');
    for (const op of ['catalog-read', 'access-create', 'access-withdraw', 'access-list', 'slo-read'] as Op[]) {
      const mine = samples.filter(s => s.op === op);
      const ms = mine.map(s => s.ms).sort((x, y) => x - y);
      log(`${op.padEnd(16)} ${String(mine.length).padStart(6)} ${String(mine.filter(s => !s.ok).length).padStart(7)} ${percentile(ms, 50).toFixed(1).padStart(8)} ${percentile(ms, 99).toFixed(1).padStart(8)} ${(ms[ms.length - 1] ?? NaN).toFixed(1).padStart(8)}`);
    }
    const conflicts = samples.filter(s => s.op === 'access-create' && s.status === 409).length;
    log(`access-create answered 409 (previous request for that dataset not yet withdrawn) ${conflicts} times`);
    log(`\nmemory every ${SAMPLE_SECONDS} s, per replica: RSS of its process group / live heap after a full GC (MB)`);
    log(`   t s  ${cluster.replicas.map(r => r.name.padStart(16)).join('')}`);
    for (const m of memory) {
      log(`${String(m.t).padStart(6)}  ${m.mb.map((x, i) => `${x} / ${m.heap[i] ?? '?'}`.padStart(16)).join('')}`);
    }
    // Memory counts as flat when the live heap does not grow after warm-up (RSS
    // may still rise while V8 sizes its heap, and is printed for reference).
    const warm = memory.find(m => m.t >= warmupSeconds) ?? memory[0];
    const last = memory[memory.length - 1];
    const growth = last.heap.map((mb, i) =>
      mb === undefined || warm.heap[i] === undefined ? NaN : (mb - warm.heap[i]!) / warm.heap[i]!,
    );
    const rssGrowth = last.mb.map((mb, i) => (mb - warm.mb[i]) / warm.mb[i]);
    const pct = (g: number) => `${(g * 100).toFixed(1)} %`;
    log(`from t=${warm.t} s to t=${last.t} s: live heap ${growth.map(pct).join(', ')}; RSS ${rssGrowth.map(pct).join(', ')}`);
    const flat = growth.every(g => g <= 0.1);
    const failed = samples.filter(s => !s.ok).length;
    if (errors.length) log(`first errors:\n  ${errors.join('\n  ')}`);
    const pass = failed === 0 && flat;
    log(`load: ${pass ? 'PASS' : 'FAIL'} (${failed} errors; live heap ${flat ? 'flat (≤ 10 % growth)' : 'growing'} after warm-up)`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await cluster.stop();
  }
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
