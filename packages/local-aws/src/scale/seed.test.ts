import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse as parseYaml } from 'yaml';
import * as dz from '@aws-sdk/client-datazone';
import { DataZoneStore } from '../datazone/store';
import { startStandInServer } from '../datazone/testing/standInServer';
import {
  assertNoWireProblems,
  checkedDataZoneClient,
} from '../datazone/testing/checkedClient';
import {
  DATA_CONTRACT_FORM_TYPE_NAME,
  readDataContractFormContent,
} from '../seed/formTypes';
import { DUMMY_CREDENTIALS, LOCAL_AWS_REGION } from '../accounts';
import { packageRoot } from '../paths';
import { startLocalAws } from '../testing';
import { ScaleSpecError, seedScaleMesh } from './seed';

jest.setTimeout(180_000);

const odcsSchema = () =>
  JSON.parse(
    readFileSync(
      resolve(
        packageRoot(),
        '..',
        '..',
        '..',
        'shared',
        'data',
        'odcs',
        'odcs-json-schema-v3.1.0.json',
      ),
      'utf8',
    ),
  );

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

describe('scale seeding', () => {
  it('seeds 50,000 assets with forms and listings in seconds, and Search/SearchListings page fast over them', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const store = new DataZoneStore();
    const started = performance.now();
    const mesh = seedScaleMesh(store, {
      products: 1000,
      assetsPerProduct: 50,
    });
    const seconds = (performance.now() - started) / 1000;
    const heap = process.memoryUsage().heapUsed - heapBefore;
    expect(mesh).toMatchObject({ products: 1000, assets: 50_000 });
    expect(mesh.listings).toBe(51_000);
    expect(Object.keys(store.state.assets)).toHaveLength(50_000);
    expect(seconds).toBeLessThan(30);

    const server = await startStandInServer(store);
    const client = new dz.DataZoneClient({
      endpoint: server.endpoint,
      region: LOCAL_AWS_REGION,
      credentials: DUMMY_CREDENTIALS,
      maxAttempts: 1,
    });
    const walk = async (
      call: (token?: string) => Promise<{
        items?: unknown[];
        nextToken?: string;
        totalMatchCount?: number;
      }>,
      id: (item: any) => string,
    ) => {
      const times: number[] = [];
      const ids = new Set<string>();
      let token: string | undefined;
      let total = 0;
      do {
        const s = performance.now();
        const page = await call(token);
        times.push(performance.now() - s);
        for (const item of page.items ?? []) ids.add(id(item));
        total = page.totalMatchCount ?? total;
        token = page.nextToken;
      } while (token);
      const later = times.slice(1).sort((a, b) => a - b);
      return {
        ids,
        total,
        pages: times.length,
        first: times[0],
        last: times[times.length - 1],
        p50: later[Math.floor(later.length / 2)],
        max: later[later.length - 1],
      };
    };
    try {
      const listings = await walk(
        token =>
          client.send(
            new dz.SearchListingsCommand({
              domainIdentifier: mesh.domainId,
              maxResults: 50,
              additionalAttributes: ['FORMS'],
              nextToken: token,
            }),
          ),
        item =>
          item.assetListing?.listingId ?? item.dataProductListing.listingId,
      );
      const assets = await walk(
        token =>
          client.send(
            new dz.SearchCommand({
              domainIdentifier: mesh.domainId,
              searchScope: 'ASSET',
              maxResults: 50,
              additionalAttributes: ['FORMS'],
              nextToken: token,
            }),
          ),
        item => item.assetItem.identifier,
      );
      const line = (name: string, w: typeof assets) =>
        `${name}: ${w.pages} pages, ${
          w.ids.size
        } items; page ms first ${w.first.toFixed(0)}, p50 ${w.p50.toFixed(
          1,
        )}, max ${w.max.toFixed(0)}, last ${w.last.toFixed(1)}`;
      process.stdout.write(
        `scale seed: 50,000 assets, 1000 products, 51,000 listings in ${seconds.toFixed(
          1,
        )} s, heap +${mb(heap)}\n${line('SearchListings', listings)}\n${line(
          'Search ASSET',
          assets,
        )}\n`,
      );
      expect(listings.ids.size).toBe(51_000);
      expect(listings.total).toBe(51_000);
      expect(assets.ids.size).toBe(50_000);
      expect(assets.total).toBe(50_000);
      // Paging is by key, not offset: the last page costs what any page does.
      for (const w of [listings, assets]) {
        expect(w.p50).toBeLessThan(200);
        expect(w.last).toBeLessThan(Math.max(200, 10 * w.p50));
      }
    } finally {
      client.destroy();
      await server.stop();
    }
  });

  it('is deterministic, with schema and data-contract forms the SDK and the ODCS schema accept', async () => {
    const a = new DataZoneStore();
    const b = new DataZoneStore();
    const spec = { products: 4, assetsPerProduct: 3, unpublishedEvery: 4 };
    const meshA = seedScaleMesh(a, spec);
    const meshB = seedScaleMesh(b, spec);
    const { durationMs: _a, ...restA } = meshA;
    const { durationMs: _b, ...restB } = meshB;
    expect(restA).toEqual(restB);
    const content = (s: DataZoneStore) =>
      Object.values(s.state.assets).map(x => [x.id, x.revisions[0].forms]);
    expect(content(a)).toEqual(content(b));
    expect(meshA).toMatchObject({ products: 4, assets: 12, listings: 12 });

    const server = await startStandInServer(a);
    const checked = checkedDataZoneClient({
      endpoint: server.endpoint,
      region: LOCAL_AWS_REGION,
      credentials: DUMMY_CREDENTIALS,
    });
    try {
      const listings = await checked.client.send(
        new dz.SearchListingsCommand({
          domainIdentifier: meshA.domainId,
          maxResults: 50,
          additionalAttributes: ['FORMS'],
        }),
      );
      const inventory = await checked.client.send(
        new dz.SearchCommand({
          domainIdentifier: meshA.domainId,
          searchScope: 'DATA_PRODUCT',
          maxResults: 50,
        }),
      );
      const projects = await checked.client.send(
        new dz.ListProjectsCommand({ domainIdentifier: meshA.domainId }),
      );
      const members = await checked.client.send(
        new dz.ListProjectMembershipsCommand({
          domainIdentifier: meshA.domainId,
          projectIdentifier: meshA.projectIds[0],
        }),
      );
      const asset = await checked.client.send(
        new dz.GetAssetCommand({
          domainIdentifier: meshA.domainId,
          identifier: meshA.sampleProducts[0].assetIds[0],
        }),
      );
      assertNoWireProblems(checked);

      expect(inventory.totalMatchCount).toBe(4);
      expect(projects.items).toHaveLength(1);
      expect(
        members.members?.map(m => m.memberDetails?.user?.userId),
      ).toContain(meshA.userProfileIds[0]);
      const glueForm = JSON.parse(
        asset.formsOutput!.find(f => f.formName === 'GlueTableForm')!.content!,
      );
      expect(glueForm.columns).toHaveLength(6);
      expect(glueForm.tableName).toBe(asset.name);

      const products = listings.items!.filter(i => i.dataProductListing);
      expect(products).toHaveLength(3); // the 4th product is unpublished
      const ajv = new Ajv2019({
        strict: false,
        allErrors: true,
        validateFormats: false,
      });
      const validate = ajv.compile(odcsSchema());
      for (const item of products) {
        const forms = JSON.parse(
          item.dataProductListing!.additionalAttributes!.forms!,
        );
        const yaml = readDataContractFormContent(
          JSON.stringify(forms[DATA_CONTRACT_FORM_TYPE_NAME]),
        );
        const contract = parseYaml(yaml!);
        expect(validate(contract) ? [] : validate.errors).toEqual([]);
        expect(contract.schema).toHaveLength(3);
        expect(contract.team.members[0].username).toMatch(/@scale\.example$/);
      }
    } finally {
      checked.client.destroy();
      await server.stop();
    }
  });

  it('rejects bad specs and a second seed into the same domain name', () => {
    const store = new DataZoneStore();
    expect(() => seedScaleMesh(store, { products: 0 })).toThrow(ScaleSpecError);
    expect(() =>
      seedScaleMesh(store, { products: 2000, assetsPerProduct: 1000 }),
    ).toThrow(/asset quota/);
    seedScaleMesh(store, { products: 1, assetsPerProduct: 1 });
    expect(() =>
      seedScaleMesh(store, { products: 1, assetsPerProduct: 1 }),
    ).toThrow(/exists already/);
  });

  it('startLocalAws({ scale }) seeds once per data dir and finds the mesh again on restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'local-aws-scale-'));
    try {
      const first = await startLocalAws({
        seed: false,
        dataDir,
        scale: { products: 5, assetsPerProduct: 4 },
      });
      const domainId = first.domainId;
      expect(first.scale).toMatchObject({ domainId, assets: 20 });
      await first.stop();
      const second = await startLocalAws({
        seed: false,
        dataDir,
        scale: { products: 5, assetsPerProduct: 4 },
      });
      expect(second.domainId).toBe(domainId);
      expect(Object.keys(second.dataZone.store.state.domains)).toHaveLength(1);
      expect(Object.keys(second.dataZone.store.state.assets)).toHaveLength(20);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
