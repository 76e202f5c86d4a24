import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { SloReport } from '@data-mesh-portal/plugin-data-mesh-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataMeshSloApi, dataMeshSloApiRef } from '../../api/DataMeshSloApi';
import { SloCard } from './SloCard';

const product: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name: 'order-history',
    namespace: 'default',
    title: 'Order history',
  },
  spec: { type: 'data-product', owner: 'group:default/sales-domain' },
};

const budget = {
  windowDays: 30,
  target: 0.99,
  targetSource: 'default target',
  coveredMinutes: 600,
  breachedMinutes: 3,
  remaining: 0.5,
  status: 'met' as const,
  reason: '50 % of the error budget left: 1 % of the measured time in breach',
};

const history = Array.from({ length: 30 }, (_, i) => ({
  date: `2026-10-${String(i + 1).padStart(2, '0')}`,
  met: i === 29 ? 50 : 0,
  atRisk: 0,
  breached: i === 29 ? 10 : 0,
  unknown: 0,
}));

const report: SloReport = {
  entityRef: 'system:default/order-history',
  evaluatedAt: new Date().toISOString(),
  contractState: 'valid',
  contracts: [
    {
      entityRef: 'api:default/orders',
      name: 'orders',
      title: 'Orders',
      state: 'valid',
      objectiveCount: 2,
    },
    {
      entityRef: 'api:default/lineitem',
      name: 'lineitem',
      title: 'Line items',
      state: 'valid',
      objectiveCount: 1,
    },
  ],
  objectives: [
    {
      id: 'api:default/orders#sla/latency',
      kind: 'freshness',
      property: 'latency',
      title: 'Freshness (latency)',
      dataset: {
        entityRef: 'api:default/orders',
        name: 'orders',
        title: 'Orders',
      },
      target: '≤ 4 h',
      current: '5 h old',
      status: 'breached',
      reason: 'Newest data is 5 h old, beyond the 4 h target',
      measuredAt: new Date().toISOString(),
      source: 'Glue GetTables (UpdateTime)',
    },
    {
      id: 'api:default/orders#sla/frequency',
      kind: 'frequency',
      property: 'frequency',
      title: 'Update frequency',
      dataset: {
        entityRef: 'api:default/orders',
        name: 'orders',
        title: 'Orders',
      },
      target: '≤ 6 h',
      current: '5 h old',
      status: 'at-risk',
      reason: 'Last update was 5 h old (83 % of the 6 h target)',
      measuredAt: new Date().toISOString(),
    },
    {
      id: 'api:default/lineitem#quality/x',
      kind: 'quality',
      property: 'nullValues',
      title: 'lineitem.l_orderkey: nullValues',
      dataset: {
        entityRef: 'api:default/lineitem',
        name: 'lineitem',
        title: 'Line items',
      },
      target: 'nullValues = 0',
      status: 'unknown',
      reason: 'data-quality results could not be read: not available',
    },
  ],
  summary: { met: 0, 'at-risk': 1, breached: 1, unknown: 1 },
  history,
  errorBudget: budget,
  helpUrl: 'https://example.com/odcs',
};

function renderCard(api: DataMeshSloApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshSloApiRef, api]]}>
      <EntityProvider entity={product}>
        <SloCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('SloCard', () => {
  it('shows a progress bar while loading', async () => {
    await renderCard({ getSloReport: () => new Promise(() => {}) });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows each objective with target, current value, status and dataset, the history and the error budget', async () => {
    const getSloReport = jest.fn().mockResolvedValue(report);
    await renderCard({ getSloReport });
    expect(await screen.findByText('Freshness (latency)')).toBeInTheDocument();
    expect(getSloReport).toHaveBeenCalledWith({
      kind: 'System',
      namespace: 'default',
      name: 'order-history',
    });
    const row = screen.getByText('Freshness (latency)').closest('tr')!;
    expect(within(row).getByText('≤ 4 h')).toBeInTheDocument();
    expect(within(row).getByText('5 h old')).toBeInTheDocument();
    expect(within(row).getByTestId('slo-status-breached')).toHaveTextContent(
      'Breached',
    );
    expect(within(row).getByText('Orders')).toBeInTheDocument();
    expect(within(row).getByText('just now')).toBeInTheDocument();
    const unknownRow = screen
      .getByText('lineitem.l_orderkey: nullValues')
      .closest('tr')!;
    expect(
      within(unknownRow).getByTestId('slo-status-unknown'),
    ).toBeInTheDocument();
    expect(within(unknownRow).getAllByText('—').length).toBeGreaterThan(0);
    expect(
      within(unknownRow).getByText(
        'data-quality results could not be read: not available',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'SLO history, 30 days, 1 with measurements',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('50 % left')).toBeInTheDocument();
    expect(screen.getByText(budget.reason)).toBeInTheDocument();
  });

  it('says when there is no contract, and links to how to add one', async () => {
    await renderCard({
      getSloReport: async () => ({
        ...report,
        contractState: 'none',
        contracts: [
          {
            entityRef: 'api:default/orders',
            name: 'orders',
            state: 'generated',
            objectiveCount: 0,
          },
        ],
        objectives: [],
      }),
    });
    expect(
      await screen.findByText(/No data contract with service levels/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('How to write a data contract').closest('a'),
    ).toHaveAttribute('href', 'https://example.com/odcs');
  });

  it('shows the validation messages of an invalid contract', async () => {
    await renderCard({
      getSloReport: async () => ({
        ...report,
        contractState: 'invalid',
        contracts: [
          {
            entityRef: 'api:default/orders',
            name: 'orders',
            title: 'Orders',
            state: 'invalid',
            objectiveCount: 0,
            errors: [{ path: 'version', message: 'is required' }],
          },
        ],
        objectives: [],
      }),
    });
    expect(
      await screen.findByText(/The data contract is not valid/),
    ).toBeInTheDocument();
    expect(screen.getByText('version')).toBeInTheDocument();
    expect(screen.getByText(/is required/)).toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    const getSloReport = jest
      .fn()
      .mockRejectedValueOnce(new Error('backend down'))
      .mockResolvedValueOnce(report);
    await renderCard({ getSloReport });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() =>
      expect(screen.getByText('Freshness (latency)')).toBeInTheDocument(),
    );
  });
});
