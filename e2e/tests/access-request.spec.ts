/*
 * The access request journey in a real browser against the running portal and the
 * local AWS: a consumer (Bob, marketing analytics) requests access to a sales data
 * product; its owner (Alice) approves in the inbox; Bob's card shows the verified
 * grant and Lake Formation holds exactly that grant; Alice revokes and Bob's card
 * shows it. Screenshots of each step go to node_modules/.cache/e2e-screenshots.
 */
import {
  LakeFormationClient,
  ListPermissionsCommand,
  PrincipalResourcePermissions,
} from '@aws-sdk/client-lakeformation';
import {
  DataZoneClient,
  GetEnvironmentCommand,
  ListEnvironmentsCommand,
} from '@aws-sdk/client-datazone';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { expect, Page, test } from '@playwright/test';
import type {
  AccessGrantVerification,
  AccessRequestList,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { demoUserToken } from '../portal';
import { signInAs as signInOnce } from './signIn';

const shots = '../node_modules/.cache/e2e-screenshots';
// Not Store sales: the demo mesh already has Marketing's pending request for it.
const PRODUCT = 'Order history';
const PRODUCT_PATH = /\/catalog\/default\/system\/[^/]+$/;
const PURPOSE = 'Attribute marketing campaign revenue to stores (e2e)';

test.describe.configure({ mode: 'serial' });

let productUrl: string | undefined;

// The catalog table's entity links carry the ref as a tooltip, so match on their text.
const productLink = (page: Page) =>
  page.getByRole('link').filter({ hasText: new RegExp(`^${PRODUCT}$`) });

async function openProduct(page: Page) {
  if (productUrl) {
    await page.goto(productUrl);
  } else {
    // The provider's first sync starts a few seconds after the backend.
    await expect(async () => {
      await page.goto('/catalog?filters[kind]=system&filters[type]=data-product');
      await expect(productLink(page)).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 90_000 });
    await productLink(page).click();
    await expect(page).toHaveURL(PRODUCT_PATH);
    productUrl = page.url();
  }
  const card = page.locator('.MuiCard-root').filter({
    has: page.getByRole('heading', { name: 'Your access' }),
  });
  await expect(card.first()).toBeVisible();
  return card.first();
}

/** Signs in, once more if the demo sign-in page reports a transient fetch failure. */
async function signInAs(page: Page, title: string) {
  try {
    await signInOnce(page, title);
  } catch (error) {
    if (!(await page.getByText('Sign-in failed').isVisible())) throw error;
    await signInOnce(page, title);
  }
}

async function api<T>(user: string, path: string): Promise<T> {
  const backendUrl = process.env.DMP_E2E_BACKEND_URL!;
  const token = await demoUserToken(backendUrl, user);
  const res = await fetch(`${backendUrl}/api/data-mesh${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.ok, `${path}: ${res.status} ${await res.clone().text()}`).toBe(true);
  return (await res.json()) as T;
}

// The demo's Glue tables, and so the Lake Formation grants on them, live in the
// local AWS's producer account (see packages/local-aws, LOCAL_AWS_ACCOUNTS).
const PRODUCER_ROLE_ARN = 'arn:aws:iam::222222222222:role/DataMeshProducerAccess';

async function producerLakeFormation() {
  const endpoint = process.env.DMP_E2E_AWS_ENDPOINT;
  const base = { endpoint, region: 'us-east-1' };
  const sts = new STSClient({
    ...base,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: PRODUCER_ROLE_ARN, RoleSessionName: 'e2e' }),
  );
  return new LakeFormationClient({
    ...base,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    },
  });
}

/** The IAM roles of a DataZone project's environments: where DataZone grants land. */
async function environmentRolesOf(projectId: string) {
  const dz = new DataZoneClient({
    endpoint: process.env.DMP_E2E_AWS_ENDPOINT,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const domainIdentifier = process.env.DMP_E2E_DATAZONE_DOMAIN_ID!;
  const { items } = await dz.send(
    new ListEnvironmentsCommand({ domainIdentifier, projectIdentifier: projectId }),
  );
  const roles: string[] = [];
  for (const env of items ?? []) {
    const detail = await dz.send(
      new GetEnvironmentCommand({ domainIdentifier, identifier: env.id! }),
    );
    for (const r of detail.provisionedResources ?? []) {
      if (r.type === 'IAMRole' && r.value) roles.push(r.value);
    }
  }
  return roles;
}

type Grant = { principal: string; table: string; permissions: string[] };

/** Every table-level Lake Formation permission in the producer account. */
async function allTableGrants(): Promise<Grant[]> {
  const lf = await producerLakeFormation();
  const all: PrincipalResourcePermissions[] = [];
  let NextToken: string | undefined;
  do {
    const page = await lf.send(new ListPermissionsCommand({ NextToken }));
    all.push(...(page.PrincipalResourcePermissions ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all
    .filter(p => p.Resource?.Table)
    .map(p => ({
      principal: p.Principal?.DataLakePrincipalIdentifier ?? '',
      table: `${p.Resource?.Table?.DatabaseName}.${p.Resource?.Table?.Name}`,
      permissions: [...(p.Permissions ?? [])].sort(),
    }))
    .sort((a, b) => `${a.principal} ${a.table}`.localeCompare(`${b.principal} ${b.table}`));
}

const key = (g: Grant) => JSON.stringify(g);

/** Grants before the request, so the test can say exactly what the approval added. */
let baseline: Grant[] = [];

test('a consumer requests access to another team’s data product', async ({ page }) => {
  await signInAs(page, 'Bob Okafor');
  const card = await openProduct(page);
  await expect(card.getByText(`Neither you nor your teams have access to ${PRODUCT} yet`)).toBeVisible();
  await card.screenshot({ path: `${shots}/access-1-card-no-access.png` });
  // Readable on a phone: the card reflows, the button stays reachable.
  await page.setViewportSize({ width: 390, height: 844 });
  await card.getByRole('button', { name: 'Request access' }).scrollIntoViewIfNeeded();
  await expect(card.getByRole('button', { name: 'Request access' })).toBeInViewport({ ratio: 1 });
  await card.screenshot({ path: `${shots}/access-1-card-narrow.png` });
  await page.setViewportSize({ width: 1280, height: 720 });

  await card.getByRole('button', { name: 'Request access' }).click();
  const dialog = page.getByRole('dialog', { name: `Request access to ${PRODUCT}` });
  await expect(dialog).toBeVisible();
  // Keyboard: the form is reachable and submittable without a mouse.
  await dialog.getByLabel(/For team/).focus();
  await expect(dialog.getByLabel(/For team/)).toHaveValue('group:default/marketing-analytics');
  await dialog.getByRole('button', { name: 'Submit request' }).press('Enter');
  await expect(dialog.getByText('Purpose must say in at least 10 characters why the data is needed')).toBeVisible();
  await dialog.screenshot({ path: `${shots}/access-2-dialog-validation.png` });

  await dialog.getByLabel(/Purpose/).fill(PURPOSE);
  await dialog.getByLabel(/Duration \(days\)/).fill('30');
  await dialog.screenshot({ path: `${shots}/access-3-dialog-filled.png` });
  await dialog.getByRole('button', { name: 'Submit request' }).click();

  const pending = card.getByTestId('access-status-pending');
  const refused = dialog.getByRole('alert');
  await expect(pending.or(refused).first()).toBeVisible();
  if (await refused.isVisible()) {
    await dialog.screenshot({ path: `${shots}/access-4-refused.png` });
    throw new Error(`the backend refused Bob's request: ${(await refused.innerText()).trim()}`);
  }
  await expect(card.getByText(PURPOSE)).toBeVisible();
  await expect(card.getByText('This card updates by itself while a request is under review.')).toBeVisible();
  await card.screenshot({ path: `${shots}/access-4-request-pending.png` });
});

test('the owner approves it in the access requests inbox', async ({ page }) => {
  await signInAs(page, 'Alice Moreau');
  // The inbox is in the sidebar (nav item from the page's title and icon).
  await page.getByRole('link', { name: 'Access requests' }).first().click();
  await expect(page).toHaveURL(/\/data-mesh\/access-requests$/);
  await expect(page.getByRole('tab', { name: /To review/ })).toHaveAttribute('aria-selected', 'true');
  await expect(
    page.getByRole('list', { name: 'To review' }).or(page.getByText(/No requests are waiting for your review/)),
  ).toBeVisible();
  await page.screenshot({ path: `${shots}/access-5-inbox.png` });
  baseline = await allTableGrants();

  const list = page.getByRole('list', { name: 'To review' });
  const item = list.getByTestId('access-request').filter({ hasText: PURPOSE });
  await expect(item).toBeVisible();
  await expect(item).toContainText(PRODUCT);
  await expect(item).toContainText('Bob Okafor');
  await expect(item).toContainText('Marketing analytics');
  await page.screenshot({ path: `${shots}/access-5-inbox-to-review.png` });

  await item.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog', { name: 'Approve access request' });
  await dialog.getByLabel(/Grant for \(days\)/).fill('14');
  await dialog.getByRole('button', { name: 'Approve and grant' }).click();
  // Either the dialog closes (granted) or it stays with the reason the grant failed.
  const failure = dialog.getByRole('alert');
  await expect(async () => {
    if (await failure.isVisible()) return;
    await expect(dialog).toBeHidden({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  if (await failure.isVisible()) {
    await page.screenshot({ path: `${shots}/access-6-approval-failed.png` });
    throw new Error(`approval did not grant: ${(await failure.innerText()).trim()}`);
  }
  await expect(page.getByText('Access granted to marketing-analytics for 14 days')).toBeVisible();
  await page.getByRole('tab', { name: 'Active grants' }).click();
  await expect(page.getByRole('list', { name: 'Active grants' }).getByTestId('access-status-active').first()).toBeVisible();
  await page.screenshot({ path: `${shots}/access-6-inbox-active-grant.png` });
});

test('the consumer sees access granted, and Lake Formation holds exactly that grant', async ({ page }) => {
  await signInAs(page, 'Bob Okafor');
  const card = await openProduct(page);
  const active = card.getByRole('list', { name: 'Your active access' });
  await expect(active.getByTestId('access-status-active')).toBeVisible();
  await expect(active.getByText(/marketing-analytics has read access until .* \(in 14 days\)/)).toBeVisible();
  await expect(active.getByTestId('grant-verified')).toBeVisible();
  await card.screenshot({ path: `${shots}/access-7-card-access-granted.png` });

  const mine = await api<AccessRequestList>('bob', '/access-requests?view=mine&status=active');
  const request = mine.items.find(r => r.purpose === PURPOSE)!;
  expect(request).toBeDefined();
  const grant = await api<AccessGrantVerification>('bob', `/access-requests/${request.id}/grant`);
  expect(grant.granted).toBe(true);
  expect(grant.principal).toBeTruthy();
  expect(grant.tables.length).toBeGreaterThan(0);
  // Exactly what the approval added: SELECT and DESCRIBE on the product's tables, for
  // the consuming project's environment role, and nothing for anyone else. In DataZone
  // mode the request's principal is the subscribing project.
  const [role] = await environmentRolesOf(grant.principal!);
  expect(role).toMatch(/^arn:aws:iam::\d{12}:role\//);
  const before = new Set(baseline.map(key));
  const added = (await allTableGrants()).filter(g => !before.has(key(g)));
  expect(added).toEqual(
    grant.tables
      .map(t => ({
        principal: role,
        table: `${t.databaseName}.${t.tableName}`,
        permissions: ['DESCRIBE', 'SELECT'],
      }))
      .sort((a, b) => `${a.principal} ${a.table}`.localeCompare(`${b.principal} ${b.table}`)),
  );
});

test('the owner revokes, and the consumer’s card shows it', async ({ page }) => {
  await signInAs(page, 'Alice Moreau');
  await page.goto('/data-mesh/access-requests');
  await page.getByRole('tab', { name: 'Active grants' }).click();
  const item = page
    .getByRole('list', { name: 'Active grants' })
    .getByTestId('access-request')
    .filter({ hasText: PURPOSE });
  await item.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke access' });
  await dialog.getByLabel('Reason (optional)').fill('Campaign finished');
  await dialog.getByRole('button', { name: 'Revoke access' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  await page.screenshot({ path: `${shots}/access-8-revoked-by-owner.png` });

  await signInAs(page, 'Bob Okafor');
  const card = await openProduct(page);
  await expect(card.getByText(`Neither you nor your teams have access to ${PRODUCT} yet`)).toBeVisible();
  const mine = card.getByRole('list', { name: 'Your requests' });
  await expect(mine.getByTestId('access-status-revoked').first()).toBeVisible();
  await expect(mine.getByText('Campaign finished')).toBeVisible();
  await card.screenshot({ path: `${shots}/access-9-card-revoked.png` });
  // Revoking took away exactly what the approval added.
  expect(await allTableGrants()).toEqual(baseline);
});
