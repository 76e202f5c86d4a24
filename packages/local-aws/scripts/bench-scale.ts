/**
 * Scale benchmark of the local DataZone stand-in: seeds a mesh of N products × M assets
 * in memory, prints seeding time, heap and state size, then pages `Search` (ASSET) and
 * `SearchListings` (FORMS, 50 per page) over it with the real SDK client and prints the
 * first, middle and last page times and the full walk.
 *
 *   source scripts/toolchain.sh
 *   node --expose-gc -r ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *     packages/local-aws/scripts/bench-scale.ts [--products 1000] [--assets-per-product 50] [--quick]
 *
 * `--quick` stops each walk after three pages.
 */
import {
  DataZoneClient,
  SearchCommand,
  SearchListingsCommand,
} from '@aws-sdk/client-datazone';
import { DataZoneStore } from '../src/datazone/store';
import { startStandInServer } from '../src/datazone/testing/standInServer';
import { seedScaleMesh } from '../src/scale/seed';
import { DUMMY_CREDENTIALS, LOCAL_AWS_REGION } from '../src/accounts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main() {
  const products = arg('--products', 1000);
  const assetsPerProduct = arg('--assets-per-product', 50);
  const quick = process.argv.includes('--quick');
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const store = new DataZoneStore();
  const started = performance.now();
  const mesh = seedScaleMesh(store, { products, assetsPerProduct });
  const seedMs = performance.now() - started;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const t = performance.now();
  const stateBytes = JSON.stringify(store.state).length;
  const stringifyMs = performance.now() - t;
  console.log(
    `seeded ${mesh.assets} assets, ${mesh.products} products, ${
      mesh.listings
    } listings, ${mesh.projectIds.length} projects in ${seedMs.toFixed(0)} ms`,
  );
  console.log(
    `heap +${mb(heapAfter - heapBefore)} (rss ${mb(
      process.memoryUsage().rss,
    )}); state JSON ${mb(stateBytes)}, serialized in ${stringifyMs.toFixed(
      0,
    )} ms`,
  );

  const server = await startStandInServer(store);
  const client = new DataZoneClient({
    endpoint: server.endpoint,
    region: LOCAL_AWS_REGION,
    credentials: DUMMY_CREDENTIALS,
  });
  const domainIdentifier = mesh.domainId;
  const calls = {
    Search: (nextToken?: string) =>
      client.send(
        new SearchCommand({
          domainIdentifier,
          searchScope: 'ASSET',
          maxResults: 50,
          additionalAttributes: ['FORMS'],
          nextToken,
        }),
      ),
    SearchListings: (nextToken?: string) =>
      client.send(
        new SearchListingsCommand({
          domainIdentifier,
          maxResults: 50,
          additionalAttributes: ['FORMS'],
          nextToken,
        }),
      ),
  };
  try {
    for (const [name, call] of Object.entries(calls)) {
      const times: number[] = [];
      let nextToken: string | undefined;
      let items = 0;
      const walkStart = performance.now();
      let pages = 0;
      do {
        const s = performance.now();
        const page = await call(nextToken);
        times.push(performance.now() - s);
        items += page.items?.length ?? 0;
        nextToken = page.nextToken;
        pages += 1;
      } while (nextToken && !(quick && pages >= 3));
      const walk = performance.now() - walkStart;
      const sorted = [...times].sort((a, b) => a - b);
      const pct = (p: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
      console.log(
        `${name}: ${pages} pages, ${items} items in ${(walk / 1000).toFixed(
          1,
        )} s; page ms first ${times[0].toFixed(1)}, second ${times[1]?.toFixed(
          1,
        )}, middle ${times[Math.floor(times.length / 2)].toFixed(
          1,
        )}, last ${times[times.length - 1].toFixed(1)}, p50 ${pct(0.5).toFixed(
          1,
        )}, p99 ${pct(0.99).toFixed(1)}`,
      );
    }
  } finally {
    client.destroy();
    await server.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
