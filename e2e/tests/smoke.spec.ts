import { expect, test } from '@playwright/test';
import { signInAs } from './signIn';

const shots = '../node_modules/.cache/e2e-screenshots';

test('a demo person signs in and sees the demo organisation in the catalog', async ({ page }) => {
  await signInAs(page, 'Alice Moreau');
  await expect(
    page.getByRole('link', { name: 'Data Mesh Portal', exact: true }).first(),
  ).toBeVisible();

  // The catalog knows who signed in: Alice's own page lists her team.
  await page.goto('/catalog/default/user/alice');
  await expect(page.getByText('Alice Moreau').first()).toBeVisible();
  await expect(
    page.getByRole('link', { name: /Sales domain team/ }).first(),
  ).toBeVisible();

  await page.goto('/catalog?filters[kind]=group');
  await expect(page.getByText('Marketing analytics').first()).toBeVisible();
  await page.screenshot({ path: `${shots}/catalog-groups.png`, fullPage: true });
});

test('the DataZone demo mesh is synced into the catalog as data products and datasets', async ({ page }) => {
  await signInAs(page, 'Bob Okafor');
  // The provider's first sync starts a few seconds after the backend.
  await expect(async () => {
    await page.goto('/catalog?filters[kind]=system&filters[type]=data-product');
    await expect(page.getByRole('link', { name: 'Store sales' })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await page.screenshot({ path: `${shots}/catalog-data-products.png`, fullPage: true });

  await page.getByRole('link', { name: 'Store sales' }).click();
  await expect(page.getByText('data-product').first()).toBeVisible();
  await expect(page.getByRole('link', { name: /Sales domain team/ }).first()).toBeVisible();
  await page.screenshot({ path: `${shots}/data-product-page.png`, fullPage: true });
});
