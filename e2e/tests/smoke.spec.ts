import { expect, test } from '@playwright/test';

test('a demo person signs in and sees the demo organisation in the catalog', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in as Alice Moreau' }).click();

  // The root redirects to the catalog once signed in.
  await expect(page).toHaveURL(/\/catalog/);
  await expect(
    page.getByRole('link', { name: 'Data Mesh Portal', exact: true }).first(),
  ).toBeVisible();

  // The catalog knows who signed in: Alice's own page lists her team.
  await page.goto('/catalog/default/user/alice');
  await expect(page.getByText('Alice Moreau').first()).toBeVisible();
  await expect(page.getByRole('link', { name: /sales-domain|Sales domain team/ }).first()).toBeVisible();

  // And the demo organisation is there.
  await page.goto('/catalog?filters[kind]=group');
  await expect(page.getByText('Marketing analytics').first()).toBeVisible();
  await page.screenshot({ path: '../node_modules/.cache/e2e-screenshots/catalog.png', fullPage: true });
});
