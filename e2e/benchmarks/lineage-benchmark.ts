/*
 * Lineage graph benchmark: a 500-node lineage graph in Chromium, with the
 * production build of the app.
 *
 *   source scripts/toolchain.sh
 *   (cd packages/app && yarn backstage-cli package build)   # once: packages/app/dist
 *   node -r @backstage/cli/config/nodeTransform.cjs e2e/benchmarks/lineage-benchmark.ts \
 *     [--nodes 500] [--runs 5] [--budget-ms 2000] [--product Inventory] [--keep]
 *     [--screenshot lineage-500.png]
 *
 * It starts the local AWS (seeded demo mesh) and the backend alone, which serves
 * packages/app/dist itself (@backstage/plugin-app-backend) — no dev server. It then
 * posts OpenLineage run events through the real DataZone API (PostLineageEvent, the
 * producers' recipe) until the lineage API answers exactly `--nodes` nodes for the
 * product (depth 3, the tab's default), and drives Debian Chromium (playwright-core):
 *
 * - `cold`: a new tab opens the product's Lineage tab URL (the whole app boots from
 *   the browser's HTTP cache, reads the entity and the lineage API, draws the graph);
 * - `tab`: on the product's overview page (whose Lineage card already shows the
 *   graph), a click on the Lineage tab (in-app navigation, a fresh lineage call).
 *
 * Per run, in the page's own clock (performance.now(), from navigation start or
 * from the click): when the lineage answer arrived (resource timing), when all
 * nodes were in the DOM *and* the graph visible (DependencyGraph hides it until its
 * layout settles), and when a click on the root node was handled (the app
 * navigated to the entity page: the page answers input). It prints each run, p50,
 * max and whether the budget holds, and one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataZoneClient } from '@aws-sdk/client-datazone';
import { chromium, Page } from 'playwright-core';
import {
  glueTableDataset,
  OpenLineageDataset,
  OpenLineageRunEvent,
  postOpenLineageRunEvent,
} from '../../plugins/data-mesh-backend/src/lineage/postRunEvent';
import { startCluster, until } from '../cluster/cluster';
import { demoUserToken, repoRoot, waitFor } from '../portal';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const TARGET_NODES = Number(flag('nodes', '500'));
const RUNS = Number(flag('runs', '5'));
const BUDGET_MS = Number(flag('budget-ms', '2000'));
const PRODUCT_TITLE = flag('product', 'Inventory');
const KEEP = args.includes('--keep');
const SCREENSHOT = flag('screenshot', '');
const CHROMIUM = process.env.DMP_CHROMIUM ?? '/usr/bin/chromium';

const log = (...parts: unknown[]) =>
  // eslint-disable-next-line no-console
  console.log(...parts);

/** The local AWS and one backend (SQLite) serving the production build. */
async function startProductionPortal() {
  const dist = path.join(repoRoot, 'packages/app/dist/index.html');
  if (!fs.existsSync(dist)) {
    throw new Error(
      'No production build: run `cd packages/app && yarn backstage-cli package build` first.',
    );
  }
  const cluster = await startCluster({ replicas: 1, database: 'sqlite', serveApp: true });
  const backendUrl = cluster.replicas[0].url;
  try {
    await until('the production app served by the backend', 120_000, async () => {
      const res = await fetch(`${backendUrl}/catalog`);
      return res.ok && (await res.text()).includes('/static/');
    });
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return {
    backendUrl,
    awsEndpoint: cluster.awsEndpoint,
    region: 'us-east-1',
    producerAccount: '222222222222',
    domainId: cluster.dataZoneDomainId,
    dataDir: cluster.dataDir,
    stop: cluster.stop,
  };
}

type Entity = {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
};

/**
 * Run events that add exactly `budget` lineage nodes (jobs and datasets) around
 * `root`, at most three dataset levels away each way: half downstream (jobs
 * reading the root and writing `fan` tables each, then each new table read by one
 * job writing `fan` more…), half upstream (jobs writing the root from `fan` inputs
 * each, and so on).
 */
export function benchmarkLineageEvents(options: {
  root: OpenLineageDataset;
  budget: number;
  region: string;
  accountId: string;
  fan?: number;
  rootJobs?: number;
  levels?: number;
}): OpenLineageRunEvent[] {
  const { root, region, accountId } = options;
  const fan = options.fan ?? 4;
  const rootJobs = options.rootJobs ?? 4;
  const levels = options.levels ?? 3;
  const events: OpenLineageRunEvent[] = [];
  let serial = 0;
  const at = new Date().toISOString();
  const event = (
    job: string,
    inputs: OpenLineageDataset[],
    outputs: OpenLineageDataset[],
  ): OpenLineageRunEvent => ({
    eventType: 'COMPLETE',
    eventTime: at,
    run: {
      runId: `00000000-0000-4000-8000-${String(++serial).padStart(12, '0')}`,
    },
    job: { namespace: 'benchmark-etl', name: job },
    inputs,
    outputs,
    producer: 'https://github.com/data-mesh-portal/lineage-benchmark',
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  });
  const grow = (direction: 'down' | 'up', budget: number) => {
    let left = budget;
    let frontier = [root];
    let last: OpenLineageRunEvent | undefined;
    for (let level = 1; level <= levels && left > 0; level++) {
      const next: OpenLineageDataset[] = [];
      for (const dataset of frontier) {
        const jobs = dataset === root ? rootJobs : 1;
        for (let j = 0; j < jobs && left > 0; j++) {
          if (left === 1 && last) {
            // One node left: one more table for the previous job.
            const extra =
              direction === 'down'
                ? glueTableDataset({
                    region,
                    accountId,
                    database: `bench_down_${level}`,
                    table: `t${++serial}`,
                  })
                : {
                    namespace: 's3://bench-landing',
                    name: `raw/up_${level}/f${++serial}`,
                  };
            (direction === 'down' ? last.outputs! : last.inputs!).push(extra);
            left = 0;
            break;
          }
          const k = Math.min(fan, left - 1);
          const made: OpenLineageDataset[] = [];
          for (let i = 0; i < k; i++) {
            made.push(
              direction === 'down'
                ? glueTableDataset({
                    region,
                    accountId,
                    database: `bench_down_${level}`,
                    table: `t${++serial}`,
                  })
                : level < levels
                ? glueTableDataset({
                    region,
                    accountId,
                    database: `bench_up_${level}`,
                    table: `t${++serial}`,
                  })
                : {
                    namespace: 's3://bench-landing',
                    name: `raw/up_${level}/f${++serial}`,
                  },
            );
          }
          const job = `${direction}_${level}_${++serial}`;
          last =
            direction === 'down'
              ? event(job, [dataset], made)
              : event(job, made, [dataset]);
          events.push(last);
          next.push(...made);
          left -= 1 + k;
        }
      }
      frontier = next;
    }
    if (left > 0) {
      throw new Error(
        `${left} nodes do not fit in ${levels} levels: raise --fan`,
      );
    }
  };
  const down = Math.ceil(options.budget / 2);
  grow('down', down);
  grow('up', options.budget - down);
  return events;
}

/** Instrumentation every page gets before the app's own scripts. */
const PAGE_PROBE = `
(() => {
  const bench = (window.__bench = { pushes: [], clicks: [], longTasks: [] });
  const push = history.pushState;
  history.pushState = function (...a) {
    const r = push.apply(this, a);
    bench.pushes.push({ t: performance.now(), path: location.pathname });
    return r;
  };
  document.addEventListener('click', e => bench.clicks.push({ t: performance.now(), ts: e.timeStamp }), true);
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  // Resolves with the frame time when 'expected' node elements are in a visible graph
  // (DependencyGraph keeps it hidden until its layout has settled).
  bench.graphReady = (expected, notIn) => new Promise(resolve => {
    const tick = () => {
      for (const g of document.querySelectorAll('[data-testid="lineage-graph"]')) {
        if (notIn && notIn === g) continue;
        const svg = g.querySelector('svg#dependency-graph, svg#lineage-graph-drawing');
        const holder = svg && svg.parentElement;
        const n = g.querySelectorAll('[data-testid^="lineage-node-"]').length;
        if (n >= expected && holder && getComputedStyle(holder).visibility === 'visible') {
          return resolve({ t: performance.now(), nodes: n });
        }
      }
      requestAnimationFrame(tick);
    };
    tick();
  });
  bench.lineageResponse = () => {
    const e = performance.getEntriesByType('resource').filter(r => r.name.includes('/api/data-mesh/lineage/')).pop();
    return e ? { start: e.startTime, end: e.responseEnd, cached: e.transferSize === 0 } : undefined;
  };
})();
`;

type Run = {
  api: number;
  apiStart: number;
  /** The lineage answer came from the browser's HTTP cache (`private, max-age=30`). */
  cached: boolean;
  visible: number;
  click: number;
  longTaskMs: number;
};

const p50 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function clickRoot(page: Page): Promise<number> {
  const before = await page.evaluate(
    () => (window as any).__bench.pushes.length,
  );
  await page
    .locator(
      '[data-testid="lineage-graph"] g[data-kind="dataset"][role="link"]',
    )
    .first()
    .click();
  await page.waitForFunction(
    n => (window as any).__bench.pushes.length > n,
    before,
  );
  return page.evaluate(() => {
    const b = (window as any).__bench;
    return b.pushes[b.pushes.length - 1].t;
  });
}

async function main() {
  const started = Date.now();
  const portal = await startProductionPortal();
  log(`data dir ${portal.dataDir}`);
  log(
    `local AWS ${portal.awsEndpoint}, backend + production app ${
      portal.backendUrl
    } (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  try {
    // Dan can sign in once the catalog has read the demo people.
    let token = '';
    await waitFor(
      'the demo user dan in the catalog',
      async () => {
        token = await demoUserToken(portal.backendUrl, 'dan');
        return true;
      },
      300_000,
    );
    const catalog = async <T>(p: string): Promise<T> => {
      const res = await fetch(`${portal.backendUrl}/api/catalog${p}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok) throw new Error(`${p}: ${res.status}`);
      return (await res.json()) as T;
    };
    // The catalog syncs the demo products from the local DataZone.
    let product: Entity | undefined;
    let tables: Entity[] = [];
    await waitFor(
      `data product "${PRODUCT_TITLE}" and its datasets in the catalog`,
      async () => {
        const { items } = await catalog<{ items: Entity[] }>(
          '/entities/by-query?filter=kind=system,spec.type=data-product&limit=100',
        );
        product = items.find(e => e.metadata.title === PRODUCT_TITLE);
        if (!product) return false;
        const apis = await catalog<{ items: Entity[] }>(
          '/entities/by-query?filter=kind=api,spec.type=dataset&limit=500',
        );
        const name = product.metadata.name;
        tables = apis.items.filter(
          e =>
            e.metadata.annotations?.['data-mesh-portal.io/glue-table'] &&
            (e.spec?.system === name ||
              String(e.spec?.system ?? '').endsWith(`/${name}`)),
        );
        return tables.length > 0;
      },
      400_000,
    );
    const entityPath = `system/${product!.metadata.namespace ?? 'default'}/${
      product!.metadata.name
    }`;
    const lineage = async () => {
      const t = Date.now();
      const res = await fetch(
        `${portal.backendUrl}/api/data-mesh/lineage/${entityPath}?depth=3`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      if (!res.ok)
        throw new Error(`lineage: ${res.status} ${await res.text()}`);
      const graph = (await res.json()) as {
        nodes: unknown[];
        truncated: boolean;
      };
      return { graph, ms: Date.now() - t };
    };
    const before = (await lineage()).graph.nodes.length;

    const rootTable = tables[0].metadata.annotations!;
    const root = glueTableDataset({
      region: portal.region,
      accountId: portal.producerAccount,
      database: rootTable['data-mesh-portal.io/glue-database'],
      table: rootTable['data-mesh-portal.io/glue-table'],
    });
    const events = benchmarkLineageEvents({
      root,
      budget: TARGET_NODES - before,
      region: portal.region,
      accountId: portal.producerAccount,
    });
    const client = new DataZoneClient({
      endpoint: portal.awsEndpoint,
      region: portal.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const posting = Date.now();
    for (const e of events)
      await postOpenLineageRunEvent(client, portal.domainId, e);
    client.destroy();
    log(
      `posted ${
        events.length
      } OpenLineage run events (PostLineageEvent) around ${root.namespace}:${
        root.name
      } in ${((Date.now() - posting) / 1000).toFixed(1)} s`,
    );
    const { graph, ms } = await lineage();
    log(
      `lineage API for ${entityPath}: ${graph.nodes.length} nodes (${before} before seeding), truncated ${graph.truncated}, ${ms} ms (first call, uncached)`,
    );
    if (graph.nodes.length !== TARGET_NODES) {
      throw new Error(
        `expected ${TARGET_NODES} nodes, got ${graph.nodes.length}`,
      );
    }

    const context = await browser.newContext({
      baseURL: portal.backendUrl,
      viewport: { width: 1440, height: 900 },
    });
    await context.addInitScript(PAGE_PROBE);
    const signIn = await context.newPage();
    await signIn.goto('/');
    await signIn
      .getByRole('button', { name: 'Sign in as Dan Silva' })
      .click({ timeout: 120_000 });
    await signIn.waitForURL(/\/catalog/, { timeout: 60_000 });
    await signIn.close();

    const entityUrl = `/catalog/${
      product!.metadata.namespace ?? 'default'
    }/system/${product!.metadata.name}`;
    // Playwright turns a page's HTTP cache off once it routes requests: the
    // `uncached` runs fetch the lineage answer (and, cold, the app) every time.
    const newPage = async (uncached: boolean) => {
      const page = await context.newPage();
      if (uncached)
        await page.route('**/api/data-mesh/lineage/**', r => r.continue());
      return page;
    };
    const cold = async (uncached: boolean): Promise<Run> => {
      const page = await newPage(uncached);
      await page.goto(`${entityUrl}/lineage`, { waitUntil: 'commit' });
      const ready = await page.evaluate(
        n => (window as any).__bench.graphReady(n),
        TARGET_NODES,
      );
      const api = await page.evaluate(() =>
        (window as any).__bench.lineageResponse(),
      );
      const click = await clickRoot(page);
      const longTaskMs = await page.evaluate(
        (until: number) =>
          (window as any).__bench.longTasks
            .filter((l: any) => l.start < until)
            .reduce((s: number, l: any) => s + (l.end - l.start), 0),
        ready.t,
      );
      await page.close();
      return {
        api: api.end,
        apiStart: api.start,
        cached: api.cached,
        visible: ready.t,
        click,
        longTaskMs,
      };
    };
    const tab = async (uncached: boolean): Promise<Run> => {
      const page = await newPage(uncached);
      await page.goto(entityUrl, { waitUntil: 'commit' });
      // The overview's Lineage card draws the same graph first.
      await page.evaluate(
        n => (window as any).__bench.graphReady(n),
        TARGET_NODES,
      );
      await page.waitForTimeout(500);
      const card = await page.$('[data-testid="lineage-graph"]');
      await page.evaluate(() => {
        performance.clearResourceTimings();
        (window as any).__bench.longTasks = [];
      });
      await page
        .getByRole('tab', { name: 'Lineage', exact: true })
        .or(page.getByRole('link', { name: 'Lineage', exact: true }))
        .first()
        .click();
      const clickAt = await page.evaluate(() => {
        const b = (window as any).__bench;
        return b.clicks[b.clicks.length - 1].t;
      });
      const ready = await page.evaluate(
        ([n, old]) => (window as any).__bench.graphReady(n, old),
        [TARGET_NODES, card] as const,
      );
      const api = await page.evaluate(() =>
        (window as any).__bench.lineageResponse(),
      );
      const click = await clickRoot(page);
      const longTaskMs = await page.evaluate(
        ([from, until]: number[]) =>
          (window as any).__bench.longTasks
            .filter((l: any) => l.start >= from && l.start < until)
            .reduce((s: number, l: any) => s + (l.end - l.start), 0),
        [clickAt, ready.t],
      );
      await page.close();
      return {
        api: api.end - clickAt,
        apiStart: api.start - clickAt,
        cached: api.cached,
        visible: ready.t - clickAt,
        click: click - clickAt,
        longTaskMs,
      };
    };

    const results: Record<string, Run[]> = {
      cold: [],
      tab: [],
      'cold-uncached': [],
      'tab-uncached': [],
    };
    // Warm-up (not counted): the browser's HTTP cache, the backend's first calls.
    await cold(false);
    await tab(false);
    for (let i = 0; i < RUNS; i++) {
      results.cold.push(await cold(false));
      results.tab.push(await tab(false));
      results['cold-uncached'].push(await cold(true));
      results['tab-uncached'].push(await tab(true));
    }

    const fmt = (x: number) => x.toFixed(0).padStart(6);
    log('');
    log(
      `${TARGET_NODES}-node lineage graph, production build, Chromium ${browser.version()}, ${RUNS} runs each (ms; page clock)`,
    );
    log(
      `load average ${os
        .loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}, ${os.cpus().length} CPUs`,
    );
    const summary: Record<string, unknown> = {};
    for (const [name, runs] of Object.entries(results)) {
      log('');
      log(
        `${name}: ${
          name.startsWith('cold')
            ? 'open /lineage in a new tab (t=0: navigation start)'
            : 'click the Lineage tab on the product page (t=0: the click)'
        }${
          name.endsWith('uncached')
            ? ', no HTTP cache (the lineage answer fetched from the backend)'
            : ', HTTP cache on (the lineage answer may come from it: private, max-age=30)'
        }`,
      );
      log(
        '  run  lineage-API-answered  graph-visible  render(visible-API)  click-handled  long-tasks  API-from-cache',
      );
      runs.forEach((r, i) =>
        log(
          `  ${String(i + 1).padStart(3)}  ${fmt(r.api)}${' '.repeat(15)}${fmt(
            r.visible,
          )}${' '.repeat(8)}${fmt(r.visible - r.api)}${' '.repeat(15)}${fmt(
            r.click,
          )}${' '.repeat(8)}${fmt(r.longTaskMs)}  ${r.cached ? 'yes' : 'no'}`,
        ),
      );
      const visible = runs.map(r => r.visible);
      const click = runs.map(r => r.click);
      const render = runs.map(r => r.visible - r.api);
      const s = {
        visibleP50: p50(visible),
        visibleMax: Math.max(...visible),
        clickP50: p50(click),
        clickMax: Math.max(...click),
        renderP50: p50(render),
        renderMax: Math.max(...render),
        apiP50: p50(runs.map(r => r.api - r.apiStart)),
      };
      summary[name] = s;
      log(
        `  p50: visible ${s.visibleP50.toFixed(
          0,
        )}, interactive (click handled) ${s.clickP50.toFixed(
          0,
        )}, render after the API answer ${s.renderP50.toFixed(
          0,
        )}, API call ${s.apiP50.toFixed(0)}`,
      );
      log(
        `  max: visible ${s.visibleMax.toFixed(
          0,
        )}, interactive ${s.clickMax.toFixed(0)}, render ${s.renderMax.toFixed(
          0,
        )}`,
      );
      log(
        `  interactive ≤ ${BUDGET_MS} ms: ${
          s.clickMax <= BUDGET_MS
            ? 'yes (every run)'
            : s.clickP50 <= BUDGET_MS
            ? 'p50 yes, max no'
            : 'no'
        }`,
      );
    }
    if (SCREENSHOT) {
      const page = await context.newPage();
      await page.goto(`${entityUrl}/lineage`);
      await page.evaluate(
        n => (window as any).__bench.graphReady(n),
        TARGET_NODES,
      );
      await page.screenshot({ path: SCREENSHOT });
      log(`screenshot of the Lineage tab: ${SCREENSHOT}`);
      await page.close();
    }
    log('');
    log(
      JSON.stringify({
        nodes: TARGET_NODES,
        runs: RUNS,
        budgetMs: BUDGET_MS,
        loadavg: os.loadavg(),
        ...summary,
        raw: results,
      }),
    );
    await context.close();
  } finally {
    await browser.close();
    await portal.stop();
    if (!KEEP) fs.rmSync(portal.dataDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
