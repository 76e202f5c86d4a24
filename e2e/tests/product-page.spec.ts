/*
 * The data product page, part 1: the Ownership card and the live SLO card, in a real
 * browser against the running portal and the local AWS. Bob (marketing analytics, a
 * consumer) browses the catalog and opens two demo products whose seeded DataZone
 * data-quality history makes an at-risk and a breached objective (packages/local-aws,
 * DEMO_QUALITY: Store sales 2 failed runs in 30 days, newest passing; Web sales the last
 * three runs failed), then a product the test publishes in DataZone without a data
 * contract (synced at once through the catalog scheduler's trigger endpoint). Every
 * expectation on what the cards show is checked against the catalog and the SLO API as
 * Bob, so it tests true data, not copies of it.
 * Screenshots of each step go to node_modules/.cache/e2e-screenshots.
 */
import { expect, Locator, Page, test } from '@playwright/test';
import type { Entity } from '@backstage/catalog-model';
import type { SloReport, SloStatus } from '@data-mesh-portal/plugin-data-mesh-common';
import { publishDataProduct } from '../dataZone';
import { demoUserToken, scriptToken } from '../portal';
import { signInAs } from './signIn';

const shots = '../node_modules/.cache/e2e-screenshots';
const PRODUCT_PATH = /\/catalog\/default\/system\/[^/]+$/;
// The scheduler task of the catalog's DataZone provider (app-config.yaml: id "default").
const DATAZONE_SYNC_TASK = 'DataZoneEntityProvider:default:refresh';

let token: string | undefined;
async function backend<T>(path: string): Promise<T> {
  const backendUrl = process.env.DMP_E2E_BACKEND_URL!;
  token ??= await demoUserToken(backendUrl, 'bob');
  const res = await fetch(`${backendUrl}/api${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.ok, `${path}: ${res.status} ${await res.clone().text()}`).toBe(true);
  return (await res.json()) as T;
}

/**
 * Runs the DataZone provider's sync now instead of at its next interval, through the
 * catalog's scheduler endpoint (user or service credentials; a script's, here). It
 * answers 409 while a sync runs, which may have read DataZone before the new product
 * existed, so trigger again until a fresh run is queued.
 */
async function syncCatalogNow() {
  const backendUrl = process.env.DMP_E2E_BACKEND_URL!;
  const task = encodeURIComponent(DATAZONE_SYNC_TASK);
  await expect(async () => {
    const res = await fetch(`${backendUrl}/api/catalog/.backstage/scheduler/v1/tasks/${task}/trigger`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scriptToken}` },
    });
    expect(res.status, `trigger ${DATAZONE_SYNC_TASK}: ${await res.text()}`).toBe(200);
  }).toPass({ intervals: [1_000], timeout: 90_000 });
}

const productLink = (page: Page, title: string) =>
  page.getByRole('link').filter({ hasText: new RegExp(`^${title}$`) });

/** From the catalog's data product list, as a person would. */
async function browseTo(page: Page, title: string, shot?: string) {
  // The provider's first sync starts a few seconds after the backend.
  await expect(async () => {
    await page.goto('/catalog?filters[kind]=system&filters[type]=data-product');
    await expect(productLink(page, title)).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  if (shot) await page.screenshot({ path: `${shots}/${shot}`, fullPage: true });
  await productLink(page, title).click();
  await expect(page).toHaveURL(PRODUCT_PATH);
  const name = new URL(page.url()).pathname.split('/').pop()!;
  const entity = await backend<Entity>(`/catalog/entities/by-name/system/default/${name}`);
  return { entity, name };
}

/** An entity card by its title (InfoCard titles are plain text, not headings). */
const card = (page: Page, title: string) =>
  page
    .locator('.MuiCard-root')
    .filter({ has: page.locator('.MuiCardHeader-title').getByText(title, { exact: true }) })
    .first();

/** The card's row for a label (Owning team, Members, …): label → its box → the row. */
const ownershipRow = (ownership: Locator, label: string) =>
  ownership.getByText(label, { exact: true }).locator('xpath=../..');

/** How the catalog names an entity in links: display name, title, else name. */
const shownName = (e: Entity) =>
  (e.spec?.profile as { displayName?: string } | undefined)?.displayName ??
  e.metadata.title ??
  e.metadata.name;

const refPath = (ref: string) => {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return `/catalog/${namespace}/${kind}/${name}`;
};

/** Table rows of the SLO card whose chip has this status (not the summary chips above). */
const objectiveRows = (slo: Locator, status: SloStatus) =>
  slo.getByRole('row').filter({ has: slo.page().getByTestId(`slo-status-${status}`) });

/** A product's dataset API for a Glue table, opened from the product's relations. */
async function openDataset(page: Page, product: Entity, table: string) {
  for (const relation of product.relations!.filter(r => r.type === 'hasPart')) {
    const [kind, rest] = relation.targetRef.split(':');
    if (kind !== 'api') continue;
    const name = rest.split('/')[1];
    const dataset = await backend<Entity>(`/catalog/entities/by-name/api/default/${name}`);
    if (dataset.metadata.annotations?.['data-mesh-portal.io/glue-table'] === table) {
      await page.goto(refPath(relation.targetRef));
      return { dataset, name };
    }
  }
  throw new Error(`no dataset for table ${table} in ${product.metadata.name}`);
}

async function expectObjectiveShown(slo: Locator, report: SloReport, status: SloStatus) {
  const objectives = report.objectives.filter(o => o.status === status);
  expect(objectives.length, `the API reports a ${status} objective`).toBeGreaterThan(0);
  const rows = objectiveRows(slo, status);
  await expect(rows).toHaveCount(objectives.length);
  for (const [i, objective] of objectives.entries()) {
    const cells = rows.nth(i).getByRole('cell');
    await expect(cells.nth(0)).toContainText(objective.title);
    // Target, current value and when it was measured.
    await expect(cells.nth(1)).toHaveText(objective.target);
    expect(objective.current).toBeTruthy();
    await expect(cells.nth(2)).toHaveText(objective.current!);
    await expect(cells.nth(3)).toContainText(objective.reason);
    expect(objective.measuredAt).toBeTruthy();
    await expect(cells.nth(4)).toHaveText(/^(just now|\d+ (min|h|d) ago)/);
  }
  return objectives;
}

test('a data product page shows who owns it and its live SLOs, at risk and breached from real signals', async ({ page }) => {
  // The first catalog sync of a loaded machine can take a few minutes.
  test.setTimeout(300_000);
  await signInAs(page, 'Bob Okafor');

  // 1. Store sales: ownership, and quality rules at risk from their 30-day record.
  const { entity, name } = await browseTo(page, 'Store sales', 'product-page-1-catalog.png');
  const ownership = card(page, 'Ownership');
  await expect(ownership).toBeVisible();

  // Owning team and its members, linked to their catalog pages, as the catalog has them.
  const ownerRef = entity.relations!.find(r => r.type === 'ownedBy')!.targetRef;
  const owner = await backend<Entity>(`/catalog/entities/by-name/${ownerRef.replace(':', '/')}`);
  const team = ownershipRow(ownership, 'Owning team').getByRole('link');
  await expect(team).toHaveText(shownName(owner));
  await expect(team).toHaveAttribute('href', refPath(ownerRef));
  const memberRefs = owner.relations!.filter(r => r.type === 'hasMember').map(r => r.targetRef);
  expect(memberRefs.length).toBeGreaterThan(0);
  const members = ownershipRow(ownership, 'Members').getByRole('link');
  await expect(members).toHaveCount(memberRefs.length);
  for (const ref of memberRefs) {
    await expect(ownershipRow(ownership, 'Members').locator(`a[href="${refPath(ref)}"]`)).toBeVisible();
  }
  // Domain, linked.
  const domainRef = entity.relations!.find(r => r.type === 'partOf' && r.targetRef.startsWith('domain:'))!
    .targetRef;
  await expect(ownershipRow(ownership, 'Domain').getByRole('link')).toHaveAttribute('href', refPath(domainRef));
  // The DataZone portal link of this product, in the seeded domain.
  const portalUrl = entity.metadata.annotations!['data-mesh-portal.io/datazone-portal-url'];
  expect(portalUrl).toContain(process.env.DMP_E2E_DATAZONE_DOMAIN_ID!);
  await expect(ownership.getByRole('link', { name: 'Open in the DataZone portal' })).toHaveAttribute('href', portalUrl);
  await ownership.scrollIntoViewIfNeeded();
  await ownership.screenshot({ path: `${shots}/product-page-3-ownership.png` });

  const slo = card(page, 'Service levels');
  await expect(slo.getByRole('table', { name: 'Service-level objectives' })).toBeVisible();
  await page.screenshot({ path: `${shots}/product-page-2-store-sales.png`, fullPage: true });
  const storeSales = await backend<SloReport>(`/data-mesh/slo/system/default/${name}`);
  expect(storeSales.contractState).toBe('valid');
  const atRisk = await expectObjectiveShown(slo, storeSales, 'at-risk');
  // At risk from the seeded DataZone data-quality history, not a hard-coded status.
  // (Hourly freshness objectives also turn at risk once the demo is 48 min old.)
  const atRiskQuality = atRisk.filter(o => o.kind === 'quality');
  expect(atRiskQuality.length).toBeGreaterThan(0);
  for (const objective of atRiskQuality) {
    expect(objective.source).toMatch(/DataZone/);
    expect(objective.current).toMatch(/^PASS \(\d+\/\d+ runs passed\)$/);
    expect(objective.reason).toMatch(/runs in the last 30 days failed/);
  }
  await expect(objectiveRows(slo, 'breached')).toHaveCount(
    storeSales.objectives.filter(o => o.status === 'breached').length,
  );
  await slo.scrollIntoViewIfNeeded();
  await slo.screenshot({ path: `${shots}/product-page-4-slo-at-risk.png` });

  // The same card on one of its datasets: that dataset's objectives only.
  const storeSalesTable = await openDataset(page, entity, 'store_sales');
  const datasetSlo = card(page, 'Service levels');
  await expect(datasetSlo.getByRole('table', { name: 'Service-level objectives' })).toBeVisible();
  await expectObjectiveShown(
    datasetSlo,
    await backend<SloReport>(`/data-mesh/slo/api/default/${storeSalesTable.name}`),
    'at-risk',
  );
  await datasetSlo.scrollIntoViewIfNeeded();
  await datasetSlo.screenshot({ path: `${shots}/product-page-4-dataset-slo-at-risk.png` });

  // 2. Web sales: the last data-quality runs failed.
  const web = await browseTo(page, 'Web sales');
  const webSlo = card(page, 'Service levels');
  await expect(webSlo.getByRole('table', { name: 'Service-level objectives' })).toBeVisible();
  const webSales = await backend<SloReport>(`/data-mesh/slo/system/default/${web.name}`);
  const breached = await expectObjectiveShown(webSlo, webSales, 'breached');
  const breachedQuality = breached.filter(o => o.kind === 'quality');
  expect(breachedQuality.length).toBeGreaterThan(0);
  for (const objective of breachedQuality) {
    expect(objective.source).toMatch(/DataZone/);
    expect(objective.current).toBe('FAIL');
  }
  // A month of history at once: the seeded data-quality results reach back 30 days,
  // before the portal's first evaluation.
  const measuredDays = webSales.history.filter(d => d.met + d.atRisk + d.breached > 0).length;
  expect(measuredDays).toBeGreaterThanOrEqual(28);
  await expect(webSlo.getByRole('img', { name: `SLO history, 30 days, ${measuredDays} with measurements` })).toBeVisible();
  await webSlo.scrollIntoViewIfNeeded();
  await webSlo.screenshot({ path: `${shots}/product-page-5-slo-breached.png` });
  const webSalesTable = await openDataset(page, web.entity, 'web_sales');
  const webDatasetSlo = card(page, 'Service levels');
  await expect(webDatasetSlo.getByRole('table', { name: 'Service-level objectives' })).toBeVisible();
  await expectObjectiveShown(
    webDatasetSlo,
    await backend<SloReport>(`/data-mesh/slo/api/default/${webSalesTable.name}`),
    'breached',
  );
  await webDatasetSlo.scrollIntoViewIfNeeded();
  await webDatasetSlo.screenshot({ path: `${shots}/product-page-5-dataset-slo-breached.png` });

  // 3. A product without a data contract says so: the demo seed gives every product a
  // contract, so publish one without the contract form in DataZone now, and sync it.
  const bare = `No contract ${Date.now().toString(36)}`;
  await publishDataProduct({
    endpoint: process.env.DMP_E2E_AWS_ENDPOINT!,
    domainId: process.env.DMP_E2E_DATAZONE_DOMAIN_ID!,
    name: bare,
    database: 'e2e_no_contract',
  });
  await syncCatalogNow();
  const noContract = await browseTo(page, bare);
  const bareReport = await backend<SloReport>(`/data-mesh/slo/system/default/${noContract.name}`);
  expect(bareReport.contractState).toBe('none');
  expect(bareReport.contracts).toHaveLength(1); // its one dataset, without a contract
  expect(bareReport.helpUrl).toBeTruthy();
  const bareSlo = card(page, 'Service levels');
  const none = bareSlo.getByTestId('slo-no-contract');
  await expect(none).toContainText('No data contract with service levels: this data promises no SLAs yet.');
  await expect(none.getByRole('link', { name: 'How to write a data contract' })).toHaveAttribute(
    'href',
    bareReport.helpUrl!,
  );
  await expect(bareSlo.getByRole('table', { name: 'Service-level objectives' })).toHaveCount(0);
  await bareSlo.scrollIntoViewIfNeeded();
  await bareSlo.screenshot({ path: `${shots}/product-page-6-no-contract.png` });
});
