import { expect, test } from '@playwright/test';
import { signInAs } from './signIn';

const shots = '../node_modules/.cache/e2e-screenshots';

// A wide screen: the README's screenshots show the whole demo graph on the tab.
test.use({ viewport: { width: 1920, height: 1080 } });

// The demo seed posts OpenLineage events three levels deep: raw POS files → curated
// store sales → campaign effectiveness → the campaign dashboard.
test('a data product page shows its lineage three levels deep, with working links', async ({
  page,
}) => {
  // The first catalog sync of a loaded machine can take a few minutes.
  test.setTimeout(300_000);
  await signInAs(page, 'Bob Okafor');
  await expect(async () => {
    await page.goto('/catalog?filters[kind]=system&filters[type]=data-product');
    await expect(page.getByRole('link', { name: 'Store sales' })).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 200_000 });
  await page.getByRole('link', { name: 'Store sales' }).click();

  const graph = page.getByTestId('lineage-graph').first();
  await expect(graph).toBeVisible();
  await expect(
    graph
      .getByRole('button', { name: /Dashboard/ })
      .or(graph.locator('[data-kind="dashboard"]'))
      .first(),
  ).toBeVisible();
  await expect(graph.locator('[data-kind="job"]').first()).toBeVisible();
  await page
    .getByText('Lineage', { exact: true })
    .first()
    .scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/lineage-card.png`, fullPage: true });
  // The card alone, for the plugin README (plugins/data-mesh/docs/lineage-card.png):
  // three levels with dataset, job and dashboard nodes.
  const lineageCard = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Where this data comes from' });
  await expect(
    lineageCard.locator('[data-kind="dataset"]').first(),
  ).toBeVisible();
  await lineageCard.scrollIntoViewIfNeeded();
  await lineageCard.screenshot({ path: `${shots}/lineage-readme-card.png` });
  // The card draws the graph legibly too (it was shrunk into a thin strip to fit).
  const cardNode = await graph
    .locator('[data-kind="job"]')
    .first()
    .boundingBox();
  expect(cardNode?.width).toBeGreaterThan(140);
  await graph.screenshot({ path: `${shots}/lineage-card-graph.png` });

  await page.goto(`${new URL(page.url()).pathname.replace(/\/$/, '')}/lineage`);
  await expect(page.getByTestId('lineage-graph')).toBeVisible();
  await expect(page.locator('[data-kind="job"]').first()).toBeVisible();
  // Drawn legibly: a node keeps most of its 188 px width (not shrunk into a strip).
  const node = await page.locator('[data-kind="job"]').first().boundingBox();
  expect(node?.width).toBeGreaterThan(140);
  await page.screenshot({ path: `${shots}/lineage-tab.png`, fullPage: true });
  // The tab as one sees it (README: plugins/data-mesh/docs/lineage-tab.png).
  await page.screenshot({ path: `${shots}/lineage-readme-tab.png` });

  // A catalog node links to its entity page.
  const upstream = page.locator('[data-kind="dataset"][role="link"]').first();
  const label = await upstream.getAttribute('aria-label');
  await upstream.click();
  await expect(page).not.toHaveURL(/\/lineage$/);
  expect(label).toBeTruthy();
});

test('a data product page lists its QuickSight dashboards and opens one embedded', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAs(page, 'Alice Moreau');
  await expect(async () => {
    await page.goto('/catalog?filters[kind]=system&filters[type]=data-product');
    await expect(page.getByRole('link', { name: 'Order history' })).toBeVisible(
      { timeout: 5_000 },
    );
  }).toPass({ timeout: 200_000 });
  await page.getByRole('link', { name: 'Order history' }).click();
  await page.screenshot({
    path: `${shots}/dashboards-card-state.png`,
    fullPage: true,
  });
  const open = page.getByRole('button', { name: 'Open Order history trends' });
  await expect(open).toBeVisible();
  await page.screenshot({
    path: `${shots}/dashboards-card.png`,
    fullPage: true,
  });
  // Owners come from DescribeDashboardPermissions (the local AWS's gap filler).
  const dashboardsCard = page.locator('.MuiCard-root').filter({ has: open });
  await expect(
    dashboardsCard.getByText(
      /Owners: alice@retail\.example, dan@retail\.example/,
    ),
  ).toBeVisible();
  await dashboardsCard.scrollIntoViewIfNeeded();
  await dashboardsCard.screenshot({
    path: `${shots}/lineage-readme-dashboards-card.png`,
  });
  await open.click();
  const frame = page.frameLocator('iframe[title="Order history trends"]');
  await expect(frame.getByText('Order history trends').first()).toBeVisible();
  await page.screenshot({
    path: `${shots}/dashboard-embedded.png`,
    fullPage: true,
  });
  await page
    .getByRole('dialog')
    .screenshot({ path: `${shots}/lineage-readme-dashboard-embedded.png` });
});
