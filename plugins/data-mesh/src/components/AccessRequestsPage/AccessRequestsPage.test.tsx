import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  accessRequest,
  alerts,
  backendError,
  FakeBackend,
  renderWithApis,
} from '../AccessRequestParts/__testUtils__/fakeBackend';
import {
  AccessRequestsContent,
  AccessRequestsPage,
} from './AccessRequestsPage';

jest.setTimeout(30_000);
const user = userEvent.setup({ delay: null });
const server = setupServer();
registerMswTestHooks(server);

describe('AccessRequestsPage', () => {
  it('lists the pending requests across data products with their details, and approves one', async () => {
    const backend = FakeBackend.start(server);
    const sales = accessRequest({ purpose: 'Campaign attribution' });
    const orders = accessRequest({
      entityRef: 'api:default/store-sales-orders',
      entityTitle: 'Orders',
      targetKind: 'dataset',
      requesterRef: 'user:default/dan',
      teamRef: 'group:default/supply-chain-domain',
      purpose: 'Reorder forecasting',
      requestedDurationDays: 90,
    });
    backend.review = [sales, orders];
    await renderWithApis(<AccessRequestsPage />);
    expect(
      screen.getByRole('heading', { name: 'Access requests' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('tab', { name: 'To review (2)' }),
    ).toHaveAttribute('aria-selected', 'true');
    const items = within(
      await screen.findByRole('list', { name: 'To review' }),
    ).getAllByTestId('access-request');
    expect(items).toHaveLength(2);
    expect(
      within(items[1]).getByRole('link', { name: 'Orders' }),
    ).toBeInTheDocument();
    expect(items[1]).toHaveTextContent(/Requested by\s*dan/);
    expect(items[1]).toHaveTextContent(/For team\s*supply-chain-domain/);
    expect(items[1]).toHaveTextContent(/Purpose\s*Reorder forecasting/);
    expect(items[1]).toHaveTextContent(/Duration\s*90 days/);

    backend.onPost = () => {
      backend.review = [{ ...sales, status: 'active' }, orders];
      return HttpResponse.json({ ...sales, status: 'active' });
    };
    await user.click(within(items[0]).getByRole('button', { name: 'Approve' }));
    await user.click(
      within(
        screen.getByRole('dialog', { name: 'Approve access request' }),
      ).getByRole('button', { name: 'Approve and grant' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(backend.posted).toEqual([
      { path: `/api/data-mesh/access-requests/${sales.id}/approve`, body: {} },
    ]);
    expect(alerts.map(a => a.message)).toContain(
      'Access granted to marketing-analytics for 30 days',
    );
    await waitFor(() =>
      expect(
        within(screen.getByRole('list', { name: 'To review' })).getAllByTestId(
          'access-request',
        ),
      ).toHaveLength(1),
    );
    expect(
      await screen.findByRole('tab', { name: 'To review (1)' }),
    ).toBeInTheDocument();
  });

  it('lists active grants to revoke and the history of decisions', async () => {
    const backend = FakeBackend.start(server);
    const active = accessRequest({
      status: 'active',
      expiresAt: new Date(Date.now() + 9 * 86_400_000).toISOString(),
    });
    const rejected = accessRequest({
      status: 'rejected',
      reviewerRef: 'user:default/alice',
      decisionReason: 'Needs a DPIA first',
      decidedAt: '2026-11-03T08:00:00.000Z',
    });
    backend.review = [active, rejected];
    await renderWithApis(<AccessRequestsContent />);

    await user.click(await screen.findByRole('tab', { name: 'Active grants' }));
    const grants = await screen.findByRole('list', { name: 'Active grants' });
    expect(within(grants).getByText(/in 9 days/)).toBeInTheDocument();
    await user.click(within(grants).getByRole('button', { name: 'Revoke' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke access' });
    await user.click(within(dialog).getByLabelText('Reason (optional)'));
    await user.paste('Campaign finished');
    await user.click(
      within(dialog).getByRole('button', { name: 'Revoke access' }),
    );
    await waitFor(() =>
      expect(backend.posted).toEqual([
        {
          path: `/api/data-mesh/access-requests/${active.id}/revoke`,
          body: { reason: 'Campaign finished' },
        },
      ]),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    await user.click(screen.getByRole('tab', { name: 'History' }));
    const history = await screen.findByRole('list', { name: 'History' });
    const item = within(history).getByTestId('access-request');
    expect(
      within(item).getByTestId('access-status-rejected'),
    ).toBeInTheDocument();
    expect(item).toHaveTextContent(/Decided by\s*alice/);
    expect(item).toHaveTextContent(/Reason\s*Needs a DPIA first/);
    expect(within(item).queryByRole('button')).not.toBeInTheDocument();
    const statuses = backend.listQueries
      .filter(q => q.get('view') === 'review')
      .map(q => q.getAll('status').join(','));
    expect(statuses).toEqual(
      expect.arrayContaining([
        'pending',
        'active,approved,failed',
        'rejected,withdrawn,revoked,expired',
      ]),
    );
  });

  it('says what appears where when there is nothing, per tab', async () => {
    FakeBackend.start(server);
    await renderWithApis(<AccessRequestsContent />);
    expect(
      await screen.findByText(/No requests are waiting for your review/),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('tab', { name: 'My requests' }));
    expect(
      await screen.findByText(
        /Open a data product in the catalog and press "Request access"/,
      ),
    ).toBeInTheDocument();
  });

  it("shows the user's own requests with withdraw on pending ones", async () => {
    const backend = FakeBackend.start(server);
    backend.mine = [accessRequest(), accessRequest({ status: 'expired' })];
    await renderWithApis(<AccessRequestsContent />);
    await user.click(await screen.findByRole('tab', { name: 'My requests' }));
    const items = within(
      await screen.findByRole('list', { name: 'My requests' }),
    ).getAllByTestId('access-request');
    expect(
      within(items[0]).getByRole('button', { name: 'Withdraw' }),
    ).toBeInTheDocument();
    expect(within(items[1]).queryByRole('button')).not.toBeInTheDocument();
  });

  it("shows the backend's message when the list cannot be read, with a retry", async () => {
    const backend = FakeBackend.start(server);
    backend.respond = () => backendError(500, 'Error', 'database is locked');
    await renderWithApis(<AccessRequestsContent />);
    expect(
      await screen.findByText(
        /Could not load the access requests: database is locked/,
      ),
    ).toBeInTheDocument();
    backend.respond = undefined;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText(/No requests are waiting for your review/),
    ).toBeInTheDocument();
  });

  it('pages through long lists', async () => {
    const backend = FakeBackend.start(server);
    backend.review = Array.from({ length: 25 }, (_, i) =>
      accessRequest({ purpose: `Purpose number ${i + 1}` }),
    );
    await renderWithApis(<AccessRequestsContent />);
    expect(await screen.findByText('1–20 of 25')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('21–25 of 25')).toBeInTheDocument();
    expect(screen.getByText('Purpose number 21')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
  });
});
