/*
 * The self-serve "New data product" journey in a real browser against the running
 * portal and the local AWS: Alice (sales domain team) opens Create, picks the
 * template, fills in the form, presses Create, watches every step finish with its
 * log, and follows the output link to the new product's page, which "sync product
 * now" put in the catalog. Screenshots go to node_modules/.cache/e2e-screenshots.
 */
import { expect, Locator, Page, test } from '@playwright/test';
import { signInAs as signInOnce } from './signIn';

const shots = '../node_modules/.cache/e2e-screenshots';

// Unique per run, so a rerun against a kept local AWS never meets its own product.
const suffix = Date.now().toString(36);
const PRODUCT_NAME = `Store returns ${suffix}`;
const PRODUCT_ID = `store-returns-${suffix}`;
const DATASET = 'store_returns';

/** Signs in, once more if the demo sign-in page reports a transient fetch failure. */
async function signInAs(page: Page, title: string) {
  try {
    await signInOnce(page, title);
  } catch (error) {
    if (!(await page.getByText('Sign-in failed').isVisible())) throw error;
    await signInOnce(page, title);
  }
}

/** Picks an option of a scaffolder EntityPicker / OwnerPicker (an MUI Autocomplete). */
async function pick(page: Page, label: string, option: RegExp) {
  const field = page.getByRole('textbox', { name: label });
  // The options show entity titles; their accessible names are empty.
  const choice = page.getByRole('option').filter({ hasText: option }).first();
  // The picker loads its options from the catalog; the domains come from the
  // DataZone provider's first sync, a few seconds after the backend starts.
  await expect(async () => {
    await field.click();
    await expect(choice).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 90_000 });
  await choice.click();
  await expect(field).not.toHaveValue('');
}

/**
 * Chooses an option of an MUI Select. The menu scrolls to the current value as it
 * opens, so a click can land beside the option and leave the menu open, which hides
 * the rest of the page from the accessibility tree: close it and try again.
 */
async function choose(page: Page, select: Locator, option: string) {
  const menu = page.getByRole('listbox');
  await expect(async () => {
    if (await menu.isVisible()) await page.keyboard.press('Escape');
    await expect(menu).toBeHidden({ timeout: 3_000 });
    await select.click({ timeout: 5_000 });
    await menu
      .getByRole('option', { name: option, exact: true })
      .click({ timeout: 5_000 });
    await expect(menu).toBeHidden({ timeout: 3_000 });
    await expect(select).toHaveText(option, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
}

test('Alice creates a data product from the template and lands on its page', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAs(page, 'Alice Moreau');

  // Create… lists the template.
  await page.goto('/create');
  const card = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'New data product' })
    .first();
  await expect(card).toBeVisible();
  await page.screenshot({
    path: `${shots}/create-1-templates.png`,
    fullPage: true,
  });
  await card.getByRole('button', { name: /choose/i }).click();
  await expect(page).toHaveURL(
    /\/create\/templates\/default\/new-data-product/,
  );

  // Step 1: the product.
  await page.getByLabel('Product name').fill(PRODUCT_NAME);
  await page.getByLabel('Short id').fill(PRODUCT_ID);
  await page
    .getByLabel('Description')
    .fill(
      'Returned store items per day, for refund and quality analysis (e2e).',
    );
  await pick(page, 'Domain', /^Sales$/);
  await pick(page, 'Owning team', /^Sales domain team$/);
  await page.screenshot({
    path: `${shots}/create-2-product.png`,
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: the first dataset, with the default row key plus one more column.
  await page.getByLabel('Dataset (table) name').fill(DATASET);
  await expect(page.getByText('I will list the columns').first()).toBeVisible();
  await page.getByRole('button', { name: /add/i }).last().click();
  const names = page.getByRole('textbox', { name: 'Name', exact: true });
  await expect(names).toHaveCount(2);
  await names.nth(1).fill('refund_amount');
  // The second column's type; the first (the row key) is a bigint.
  const types = page.getByRole('button', { name: /^Glue type / });
  await expect(types).toHaveCount(2);
  await choose(page, types.nth(1), 'decimal(12,2)');
  await page.screenshot({
    path: `${shots}/create-3-dataset.png`,
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 3: SLO targets (defaults kept), step 4: where on AWS (defaults kept).
  await expect(page.getByLabel('Freshness (hours)')).toHaveValue('24');
  await page.getByLabel('Freshness (hours)').fill('12');
  await page.screenshot({ path: `${shots}/create-4-slos.png`, fullPage: true });
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Producer AWS account')).toHaveValue(
    '222222222222',
  );
  await page.getByRole('button', { name: 'Review' }).click();

  // Review, then Create.
  await expect(page.getByText(PRODUCT_NAME).first()).toBeVisible();
  await page.screenshot({
    path: `${shots}/create-5-review.png`,
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/create\/tasks\/[^/]+$/);

  // Every step finishes; the log shows each one.
  const openProduct = page
    .getByRole('button', { name: 'Open the data product' })
    .or(page.getByRole('link', { name: 'Open the data product' }));
  await expect(openProduct.first()).toBeVisible({ timeout: 180_000 });
  const showLogs = page.getByRole('button', { name: /show logs/i });
  if (await showLogs.isVisible()) await showLogs.click();
  for (const step of [
    'Read the domain',
    "Find the owning team's DataZone project",
    'Create the S3 bucket',
    'Create the Glue database',
    "Create the first dataset's table",
    'Register the location with Lake Formation',
    'Define the LF-tags',
    'Tag the database',
    'Tag the first dataset',
    'Grant the owning team read access',
    'Publish the data product in DataZone',
    'Show the product in the catalog',
  ]) {
    await expect(page.getByText(step, { exact: true }).first()).toBeVisible();
  }
  // The task log ends with the last step's line; no step failed.
  await expect(page.getByText(/failed/i)).toHaveCount(0);
  await page.screenshot({
    path: `${shots}/create-6-task-done.png`,
    fullPage: true,
  });

  // The output link opens the new product's page: a System of type data-product.
  await openProduct.first().click();
  await expect(page).toHaveURL(/\/catalog\/default\/system\/[^/]+$/);
  // "Sync product now" has handed the product to the catalog; its processing and
  // stitching finish a few seconds later, so the page may need a reload.
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('heading', { name: PRODUCT_NAME }).first(),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText('data-product').first()).toBeVisible();
  await expect(page.getByText('Sales domain team').first()).toBeVisible();
  // The overview's cards read the contract the template attached.
  await expect(page.getByText('Service levels').first()).toBeVisible();
  await expect(page.getByText('Your access').first()).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await page.screenshot({
    path: `${shots}/create-7-product-page.png`,
    fullPage: true,
  });
});
