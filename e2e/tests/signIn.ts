import { expect, Page } from '@playwright/test';

/**
 * Signs in through the local portal's demo sign-in page. A person chosen earlier in
 * the same browser context is forgotten first, so the picker always shows.
 */
export async function signInAs(page: Page, title: string) {
  await page.goto('/');
  await page.evaluate(() => window.localStorage.clear());
  await page.goto('/');
  await page
    .getByRole('button', { name: `Sign in as ${title}` })
    .click({ timeout: 60_000 });
  await expect(page).toHaveURL(/\/catalog/, { timeout: 60_000 });
}
