import { EntityProvider } from '@backstage/plugin-catalog-react';
import { mockBreakpoint, registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  accessRequest,
  alerts,
  backendError,
  datasets,
  FakeBackend,
  renderWithApis,
  storeSales,
} from '../AccessRequestParts/__testUtils__/fakeBackend';
import { AccessCard } from './AccessCard';

jest.setTimeout(30_000);
const user = userEvent.setup({ delay: null });
/** Types by pasting: one change event instead of one render per key. */
async function fill(field: HTMLElement, text: string) {
  await user.click(field);
  await user.paste(text);
}
const server = setupServer();
registerMswTestHooks(server);

function renderCard(
  options: Parameters<typeof renderWithApis>[1] = {},
  entity = storeSales,
) {
  return renderWithApis(
    <EntityProvider entity={entity}>
      <AccessCard pollIntervalMs={50} />
    </EntityProvider>,
    options,
  );
}

const inFuture = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString();

describe('AccessCard', () => {
  it('says it is loading while the requests are read', async () => {
    const backend = FakeBackend.start(server);
    backend.respond = () => FakeBackend.never();
    await renderCard();
    expect(screen.getByText('Loading your access…')).toBeInTheDocument();
  });

  it("shows the backend's message and what to do when loading fails, and retries", async () => {
    const backend = FakeBackend.start(server);
    backend.respond = () =>
      backendError(
        503,
        'ServiceUnavailableError',
        'DataZone is throttling, try again',
      );
    await renderCard();
    const alert = await screen.findByText(
      /Could not load your access to Store sales: DataZone is throttling, try again/,
    );
    expect(alert).toHaveTextContent(/tell the data platform team/);
    backend.respond = undefined;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText(
        /Neither you nor your teams have access to Store sales yet/,
      ),
    ).toBeInTheDocument();
  });

  it('says nobody has access yet and offers the request button (empty state)', async () => {
    const backend = FakeBackend.start(server);
    await renderCard();
    expect(
      await screen.findByText(
        /Neither you nor your teams have access to Store sales yet/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Request access' }),
    ).toBeEnabled();
    expect(
      screen.queryByRole('heading', { name: /Requests to review/ }),
    ).not.toBeInTheDocument();
    const views = backend.listQueries.map(
      q => `${q.get('view')}:${q.get('entityRef')}`,
    );
    expect(views).toEqual(
      expect.arrayContaining([
        'mine:system:default/store-sales',
        'review:system:default/store-sales',
      ]),
    );
  });

  it('tells a user without a team how to get one instead of offering a request', async () => {
    FakeBackend.start(server);
    await renderCard({ ownership: ['user:default/bob'] });
    expect(
      await screen.findByText(/you are not a member of any team/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Request access' }),
    ).not.toBeInTheDocument();
  });

  it('shows active access with its expiry, verified in AWS', async () => {
    const backend = FakeBackend.start(server);
    const active = accessRequest({
      status: 'active',
      expiresAt: inFuture(12),
      grantedDurationDays: 14,
      reviewerRef: 'user:default/alice',
      decidedAt: '2026-11-02T09:00:00.000Z',
    });
    backend.mine = [active];
    backend.grants[active.id] = {
      requestId: active.id,
      mode: 'lakeformation',
      granted: true,
      checkedAt: new Date().toISOString(),
      principal: 'arn:aws:iam::123456789012:role/marketing-analytics',
      tables: [
        {
          catalogId: '123456789012',
          region: 'us-east-1',
          databaseName: 'sales_db',
          tableName: 'store_sales',
          permissions: ['SELECT', 'DESCRIBE'],
        },
      ],
    };
    await renderCard();
    const list = await screen.findByRole('list', {
      name: 'Your active access',
    });
    expect(within(list).getByText(/has read access until/)).toHaveTextContent(
      /marketing-analytics has read access until .* \(in 12 days\)/,
    );
    expect(within(list).getByTestId('access-status-active')).toHaveTextContent(
      'Active',
    );
    expect(
      within(list).getByText('14 days (30 requested)'),
    ).toBeInTheDocument();
    expect(await within(list).findByTestId('grant-verified')).toHaveTextContent(
      /Lake Formation.*SELECT, DESCRIBE on sales_db.store_sales, granted to arn:aws:iam::123456789012:role\/marketing-analytics/,
    );
  });

  it('warns when AWS does not show an active grant', async () => {
    const backend = FakeBackend.start(server);
    const active = accessRequest({ status: 'active', expiresAt: inFuture(3) });
    backend.mine = [active];
    backend.grants[active.id] = {
      requestId: active.id,
      mode: 'lakeformation',
      granted: false,
      checkedAt: new Date().toISOString(),
      tables: [],
      detail: 'SELECT missing on sales_db.store_sales',
    };
    await renderCard();
    expect(await screen.findByTestId('grant-unverified')).toHaveTextContent(
      /AWS does not show this grant right now: SELECT missing on sales_db.store_sales\. Ask the owners/,
    );
  });

  it("updates a pending request's status by itself until it is decided", async () => {
    const backend = FakeBackend.start(server);
    const pending = accessRequest();
    backend.mine = [pending];
    await renderCard();
    const mine = await screen.findByRole('list', { name: 'Your requests' });
    expect(within(mine).getByTestId('access-status-pending')).toHaveTextContent(
      'Pending review',
    );
    expect(screen.getByText(/updates by itself/)).toBeInTheDocument();
    backend.mine = [
      {
        ...pending,
        status: 'active',
        expiresAt: inFuture(30),
        updatedAt: new Date().toISOString(),
      },
    ];
    backend.grants[pending.id] = {
      requestId: pending.id,
      mode: 'lakeformation',
      granted: true,
      checkedAt: new Date().toISOString(),
      tables: [],
    };
    expect(
      await screen.findByRole(
        'list',
        { name: 'Your active access' },
        { timeout: 3000 },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/updates by itself/)).not.toBeInTheDocument();
    // Decided: no more polling.
    const reads = backend.listQueries.length;
    await new Promise(r => setTimeout(r, 300));
    expect(backend.listQueries.length).toBe(reads);
  });

  it('withdraws a pending request of the user', async () => {
    const backend = FakeBackend.start(server);
    const pending = accessRequest();
    const byColleague = accessRequest({ requesterRef: 'user:default/erin' });
    backend.mine = [pending, byColleague];
    await renderCard();
    const items = await screen.findAllByTestId('access-request');
    // Only the requester can withdraw; a colleague's request for the same team cannot be.
    expect(
      within(items[1]).queryByRole('button', { name: 'Withdraw' }),
    ).not.toBeInTheDocument();
    await user.click(
      within(items[0]).getByRole('button', { name: 'Withdraw' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Withdraw your request',
    });
    await fill(
      within(dialog).getByLabelText('Reason (optional)'),
      'Found the data elsewhere',
    );
    backend.onPost = (_path, _body) => {
      backend.mine = [{ ...pending, status: 'withdrawn' }, byColleague];
      return HttpResponse.json({ ...pending, status: 'withdrawn' });
    };
    await user.click(
      within(dialog).getByRole('button', { name: 'Withdraw request' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(backend.posted).toEqual([
      {
        path: `/api/data-mesh/access-requests/${pending.id}/withdraw`,
        body: { reason: 'Found the data elsewhere' },
      },
    ]);
    expect(
      await screen.findByTestId('access-status-withdrawn'),
    ).toBeInTheDocument();
    expect(alerts.map(a => a.message)).toContain('Request withdrawn');
  });

  describe('request dialog', () => {
    async function openDialog(options?: Parameters<typeof renderWithApis>[1]) {
      await renderCard(options);
      await user.click(
        await screen.findByRole('button', { name: 'Request access' }),
      );
      return screen.getByRole('dialog', {
        name: 'Request access to Store sales',
      });
    }

    it('validates the form with the backend rules before sending', async () => {
      const backend = FakeBackend.start(server);
      const dialog = await openDialog();
      const duration = within(dialog).getByLabelText(/Duration \(days\)/);
      expect(duration).toHaveValue(30); // the configured default
      await user.click(
        within(dialog).getByRole('button', { name: 'Submit request' }),
      );
      expect(
        within(dialog).getByText(
          'Purpose must say in at least 10 characters why the data is needed',
        ),
      ).toBeInTheDocument();

      await fill(
        within(dialog).getByLabelText(/Purpose/),
        'See <b>all</b> of it',
      );
      expect(
        within(dialog).getByText(
          'Purpose must be plain text (no HTML or XML markup)',
        ),
      ).toBeInTheDocument();

      await user.clear(duration);
      await fill(duration, '181');
      expect(
        within(dialog).getByText(
          "Duration must be at most 180 days (the portal's policy)",
        ),
      ).toBeInTheDocument();
      await user.clear(duration);
      await fill(duration, '0');
      expect(
        within(dialog).getByText('Duration must be at least 1 day'),
      ).toBeInTheDocument();
      await user.clear(duration);
      expect(
        within(dialog).getByText('Duration must be a number of days'),
      ).toBeInTheDocument();

      await user.click(within(dialog).getByLabelText('Only some datasets'));
      expect(
        within(dialog).getByText(/Choose at least one dataset/),
      ).toBeInTheDocument();
      expect(backend.posted).toEqual([]);
    });

    it('sends one request per chosen dataset, for the chosen team, level and duration', async () => {
      const backend = FakeBackend.start(server);
      const dialog = await openDialog({
        ownership: [
          'user:default/bob',
          'group:default/marketing-analytics',
          'group:default/web-analytics',
        ],
      });
      const team = within(dialog).getByLabelText(/For team/);
      expect(
        within(team)
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual(['Marketing analytics', 'web-analytics']);
      await user.selectOptions(team, 'group:default/web-analytics');
      await user.click(within(dialog).getByLabelText('Only some datasets'));
      await user.click(within(dialog).getByLabelText('Orders'));
      await user.click(within(dialog).getByLabelText('Line items'));
      await fill(
        within(dialog).getByLabelText(/Purpose/),
        'Weekly store revenue dashboard',
      );
      await user.click(
        within(dialog).getByLabelText('Describe (table metadata only)'),
      );
      const duration = within(dialog).getByLabelText(/Duration \(days\)/);
      await user.clear(duration);
      await fill(duration, '60');
      await user.click(
        within(dialog).getByRole('button', { name: 'Submit request' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(backend.posted.map(p => p.body)).toEqual(
        [datasets[0], datasets[1]].map(d => ({
          entityRef: `api:default/${d.metadata.name}`,
          teamRef: 'group:default/web-analytics',
          purpose: 'Weekly store revenue dashboard',
          accessLevel: 'describe',
          durationDays: 60,
        })),
      );
      expect(alerts.map(a => a.message)).toContain(
        'Access requests sent to the reviewers of Store sales',
      );
    });

    it("keeps the dialog open with the backend's reason when it refuses", async () => {
      const backend = FakeBackend.start(server);
      backend.onPost = () =>
        backendError(
          409,
          'ConflictError',
          'group:default/marketing-analytics already has a pending request (x) for system:default/store-sales',
        );
      const dialog = await openDialog();
      await fill(
        within(dialog).getByLabelText(/Purpose/),
        'Attribute campaign revenue',
      );
      await user.click(
        within(dialog).getByRole('button', { name: 'Submit request' }),
      );
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'group:default/marketing-analytics already has a pending request (x) for system:default/store-sales',
      );
      expect(screen.getByRole('dialog')).toBeInTheDocument();
    });

    it('fills a narrow screen', async () => {
      mockBreakpoint({ matches: true });
      FakeBackend.start(server);
      await openDialog();
      expect(
        document.querySelector('.MuiDialog-paperFullScreen'),
      ).not.toBeNull();
    });
  });

  describe('for reviewers', () => {
    it('lists pending requests with requester, team, purpose and duration, and approves for fewer days', async () => {
      const backend = FakeBackend.start(server);
      const pending = accessRequest({
        requesterRef: 'user:default/bob',
        purpose: 'Campaign attribution',
        requestedDurationDays: 30,
      });
      backend.review = [pending];
      await renderCard();
      const list = await screen.findByRole('list', {
        name: 'Requests to review',
      });
      const item = within(list).getByTestId('access-request');
      expect(item).toHaveTextContent(/Requested by\s*bob/);
      expect(item).toHaveTextContent(/For team\s*marketing-analytics/);
      expect(item).toHaveTextContent(/Purpose\s*Campaign attribution/);
      expect(item).toHaveTextContent(/Duration\s*30 days/);

      await user.click(within(item).getByRole('button', { name: 'Approve' }));
      const dialog = screen.getByRole('dialog', {
        name: 'Approve access request',
      });
      const days = within(dialog).getByLabelText(/Grant for \(days\)/);
      await user.clear(days);
      await fill(days, '45');
      await user.click(
        within(dialog).getByRole('button', { name: 'Approve and grant' }),
      );
      expect(
        within(dialog).getByText(
          'Duration can shorten the requested 30 days, not extend it',
        ),
      ).toBeInTheDocument();
      await user.clear(days);
      await fill(days, '14');
      backend.onPost = () => {
        backend.review = [
          { ...pending, status: 'active', grantedDurationDays: 14 },
        ];
        return HttpResponse.json({
          ...pending,
          status: 'active',
          grantedDurationDays: 14,
        });
      };
      await user.click(
        within(dialog).getByRole('button', { name: 'Approve and grant' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(backend.posted).toEqual([
        {
          path: `/api/data-mesh/access-requests/${pending.id}/approve`,
          body: { durationDays: 14 },
        },
      ]);
      expect(alerts.map(a => a.message)).toContain(
        'Access granted to marketing-analytics for 14 days',
      );
      const granted = await screen.findByRole('list', {
        name: 'Access granted to teams',
      });
      expect(
        within(granted).getByRole('button', { name: 'Revoke' }),
      ).toBeInTheDocument();
    });

    it('rejects only with a reason', async () => {
      const backend = FakeBackend.start(server);
      const pending = accessRequest();
      backend.review = [pending];
      await renderCard();
      const list = await screen.findByRole('list', {
        name: 'Requests to review',
      });
      await user.click(within(list).getByRole('button', { name: 'Reject' }));
      const dialog = screen.getByRole('dialog', {
        name: 'Reject access request',
      });
      await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
      expect(
        within(dialog).getByText('Reason is required'),
      ).toBeInTheDocument();
      expect(backend.posted).toEqual([]);
      await fill(
        within(dialog).getByLabelText(/Reason/),
        'Customer data needs a DPIA first',
      );
      await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
      await waitFor(() =>
        expect(backend.posted).toEqual([
          {
            path: `/api/data-mesh/access-requests/${pending.id}/reject`,
            body: { reason: 'Customer data needs a DPIA first' },
          },
        ]),
      );
    });

    it('revokes an active grant, and shows why when revoking fails in AWS', async () => {
      const backend = FakeBackend.start(server);
      const active = accessRequest({
        status: 'active',
        expiresAt: inFuture(20),
      });
      backend.review = [active];
      backend.onPost = () =>
        HttpResponse.json({
          ...active,
          status: 'failed',
          failureReason:
            'Removing the grant failed: AccessDenied. It may still be in place',
        });
      await renderCard();
      const list = await screen.findByRole('list', {
        name: 'Access granted to teams',
      });
      await user.click(within(list).getByRole('button', { name: 'Revoke' }));
      const dialog = screen.getByRole('dialog', { name: 'Revoke access' });
      expect(dialog).toHaveTextContent(
        /marketing-analytics loses access to Store sales in AWS right away/,
      );
      await user.click(
        within(dialog).getByRole('button', { name: 'Revoke access' }),
      );
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'Removing the grant failed: AccessDenied',
      );
      expect(backend.posted[0]).toEqual({
        path: `/api/data-mesh/access-requests/${active.id}/revoke`,
        body: {},
      });
    });

    it('shows nothing to review for people the API gives no review list', async () => {
      const backend = FakeBackend.start(server);
      backend.mine = [accessRequest()];
      await renderCard();
      await screen.findByRole('list', { name: 'Your requests' });
      expect(
        screen.queryByRole('button', { name: 'Approve' }),
      ).not.toBeInTheDocument();
      expect(
        screen.queryByRole('list', { name: 'Requests to review' }),
      ).not.toBeInTheDocument();
    });
  });

  it('on a dataset page also shows access granted for its whole data product', async () => {
    const backend = FakeBackend.start(server);
    const productGrant = accessRequest({
      status: 'active',
      expiresAt: inFuture(5),
    });
    backend.mine = [productGrant];
    backend.grants[productGrant.id] = {
      requestId: productGrant.id,
      mode: 'lakeformation',
      granted: true,
      checkedAt: new Date().toISOString(),
      tables: [],
    };
    await renderCard({}, datasets[0]);
    const list = await screen.findByRole('list', {
      name: 'Your active access',
    });
    expect(
      within(list).getByText(/Data product\s*Store sales/),
    ).toBeInTheDocument();
    expect(
      backend.listQueries
        .filter(q => q.get('view') === 'mine')
        .map(q => q.get('entityRef')),
    ).toEqual(
      expect.arrayContaining([
        'api:default/store-sales-orders',
        'system:default/store-sales',
      ]),
    );
  });
});
