import { expect, Page } from '@playwright/test';

/** Signs in through the local portal's demo sign-in page. */
export async function signInAs(page: Page, title: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${title}` }).click();
  await expect(page).toHaveURL(/\/catalog/);
}
