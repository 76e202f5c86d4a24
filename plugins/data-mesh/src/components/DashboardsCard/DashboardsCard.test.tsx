import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  DashboardsResponse,
  QUICKSIGHT_USER_NOT_FOUND_ERROR,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DataMeshLineageApi,
  dataMeshLineageApiRef,
} from '../../api/DataMeshLineageApi';
import { DashboardsCard } from './DashboardsCard';

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

const listed: DashboardsResponse = {
  entityRef: 'system:default/order-history',
  configured: true,
  dashboards: [
    {
      dashboardId: 'order-history-trends',
      name: 'Order history trends',
      arn: 'arn:aws:quicksight:us-east-1:123456789012:dashboard/order-history-trends',
      lastUpdatedAt: '2026-11-01T10:00:00.000Z',
      owners: ['alice@retail.example'],
      dataSets: [{ dataSetId: 'orders', name: 'Orders' }],
      tables: [
        {
          database: 'sales_order_history',
          table: 'orders',
          entityRef: 'api:default/orders',
        },
      ],
    },
  ],
};

async function errorOf(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      {
        status,
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

function api(overrides: Partial<DataMeshLineageApi> = {}): DataMeshLineageApi {
  let n = 0;
  return {
    getLineage: jest.fn(),
    getDashboards: jest.fn().mockResolvedValue(listed),
    getEmbedUrl: jest.fn().mockImplementation(async () => ({
      embedUrl: `https://quicksight.example/embed/${++n}`,
      sessionLifetimeMinutes: 60,
    })),
    ...overrides,
  };
}

function render(dashboardsApi: DataMeshLineageApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshLineageApiRef, dashboardsApi]]}>
      <EntityProvider entity={product}>
        <DashboardsCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('DashboardsCard', () => {
  it('shows progress while loading', async () => {
    await render(api({ getDashboards: () => new Promise(() => {}) }));
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('lists dashboards with owner, last update and the tables they read', async () => {
    const dashboardsApi = api();
    await render(dashboardsApi);
    expect(await screen.findByText('Order history trends')).toBeInTheDocument();
    expect(screen.getByText(/Owner: alice@retail.example/)).toBeInTheDocument();
    expect(screen.getByText(/updated /)).toBeInTheDocument();
    expect(
      screen.getByText(/reads sales_order_history.orders/),
    ).toBeInTheDocument();
    expect(dashboardsApi.getDashboards).toHaveBeenCalledWith({
      kind: 'System',
      namespace: 'default',
      name: 'order-history',
    });
  });

  it('opens a dashboard embedded with a fresh URL each time', async () => {
    const dashboardsApi = api();
    await render(dashboardsApi);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Open Order history trends' }),
    );
    expect(await screen.findByTitle('Order history trends')).toHaveAttribute(
      'src',
      'https://quicksight.example/embed/1',
    );
    expect(dashboardsApi.getEmbedUrl).toHaveBeenCalledWith({
      entityRef: 'system:default/order-history',
      dashboardId: 'order-history-trends',
    });
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Open Order history trends' }),
    );
    expect(await screen.findByTitle('Order history trends')).toHaveAttribute(
      'src',
      'https://quicksight.example/embed/2',
    );
    expect(dashboardsApi.getEmbedUrl).toHaveBeenCalledTimes(2);
  });

  it('tells a person without a QuickSight account so, not as an error', async () => {
    const getEmbedUrl = jest
      .fn()
      .mockRejectedValue(
        await errorOf(
          404,
          QUICKSIGHT_USER_NOT_FOUND_ERROR,
          'There is no QuickSight account for bob@retail.example.',
        ),
      );
    await render(api({ getEmbedUrl }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Open Order history trends' }),
    );
    expect(
      await screen.findByTestId('no-quicksight-account'),
    ).toHaveTextContent(
      'There is no QuickSight account for bob@retail.example.',
    );
    expect(screen.queryByTitle('Order history trends')).not.toBeInTheDocument();
  });

  it('shows a refused embed (403) as an error', async () => {
    const getEmbedUrl = jest
      .fn()
      .mockRejectedValue(
        await errorOf(
          403,
          'NotAllowedError',
          'You may not view dashboards of system:default/order-history',
        ),
      );
    await render(api({ getEmbedUrl }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Open Order history trends' }),
    );
    expect(
      (await screen.findAllByText(/You may not view dashboards/)).length,
    ).toBeGreaterThan(0);
  });

  it('says when no dashboard reads the data, and when QuickSight is not set up', async () => {
    const { unmount } = await render(
      api({
        getDashboards: jest
          .fn()
          .mockResolvedValue({ ...listed, dashboards: [] }),
      }),
    );
    expect(await screen.findByText('No dashboards yet')).toBeInTheDocument();
    unmount();
    await render(
      api({
        getDashboards: jest
          .fn()
          .mockResolvedValue({ ...listed, configured: false, dashboards: [] }),
      }),
    );
    expect(
      await screen.findByText('QuickSight is not set up'),
    ).toBeInTheDocument();
  });

  it('shows a QuickSight outage with its message', async () => {
    const getDashboards = jest
      .fn()
      .mockRejectedValue(
        await errorOf(
          503,
          'ServiceUnavailableError',
          'QuickSight could not be read: InternalFailure',
        ),
      );
    await render(api({ getDashboards }));
    expect(
      (await screen.findAllByText(/QuickSight could not be read/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });
});
