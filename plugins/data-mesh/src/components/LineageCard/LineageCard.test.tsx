import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { LineageGraph } from '@data-mesh-portal/plugin-data-mesh-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DataMeshLineageApi,
  dataMeshLineageApiRef,
} from '../../api/DataMeshLineageApi';
import { LineageCard, LineageContent } from './LineageCard';

const dataset: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'orders', namespace: 'default', title: 'Orders' },
  spec: {
    type: 'dataset',
    owner: 'group:default/sales-domain',
    lifecycle: 'production',
    definition: '',
  },
};

const graph: LineageGraph = {
  entityRef: 'api:default/orders',
  depth: 3,
  nodes: [
    {
      id: 'dz:raw',
      kind: 'dataset',
      title: 'raw/erp/orders',
      depth: -1,
      sourceIdentifier: 's3://landing/raw/erp/orders',
    },
    {
      id: 'dz:job1',
      kind: 'job',
      title: 'curate_orders',
      depth: 0,
      lastRun: { at: '2026-11-01T04:00:00.000Z' },
    },
    {
      id: 'entity:api:default/orders',
      kind: 'dataset',
      title: 'Orders',
      entityRef: 'api:default/orders',
      depth: 0,
      root: true,
    },
    {
      id: 'entity:api:default/customer-360',
      kind: 'dataset',
      title: 'Customer 360',
      entityRef: 'api:default/customer-360',
      depth: 1,
    },
    {
      id: 'entity:group:default/marketing',
      kind: 'consumer',
      title: 'marketing',
      entityRef: 'group:default/marketing',
      depth: 1,
    },
    {
      id: 'dashboard:trends',
      kind: 'dashboard',
      title: 'Order trends',
      dashboardId: 'trends',
      depth: 1,
    },
  ],
  edges: [
    { from: 'dz:raw', to: 'dz:job1', kind: 'lineage' },
    { from: 'dz:job1', to: 'entity:api:default/orders', kind: 'lineage' },
    {
      from: 'entity:api:default/orders',
      to: 'entity:api:default/customer-360',
      kind: 'lineage',
    },
    {
      from: 'entity:api:default/orders',
      to: 'entity:group:default/marketing',
      kind: 'consumes',
    },
    {
      from: 'entity:api:default/orders',
      to: 'dashboard:trends',
      kind: 'dashboard',
    },
  ],
  columnEdges: [
    {
      from: 'entity:api:default/orders',
      fromColumn: 'o_custkey',
      to: 'entity:api:default/customer-360',
      toColumn: 'c_customer_sk',
      via: 'dz:job1',
      transformation: 'DIRECT',
    },
  ],
  truncated: false,
  warnings: [],
  generatedAt: '2026-11-02T00:00:00.000Z',
};

function api(overrides: Partial<DataMeshLineageApi> = {}): DataMeshLineageApi {
  return {
    getLineage: jest.fn().mockResolvedValue(graph),
    getDashboards: jest.fn(),
    getEmbedUrl: jest.fn().mockResolvedValue({
      embedUrl: 'https://quicksight.example/embed/1',
      sessionLifetimeMinutes: 60,
    }),
    ...overrides,
  };
}

function render(lineageApi: DataMeshLineageApi, element = <LineageCard />) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshLineageApiRef, lineageApi]]}>
      <EntityProvider entity={dataset}>{element}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('LineageCard', () => {
  it('shows progress while loading', async () => {
    await render(api({ getLineage: () => new Promise(() => {}) }));
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('draws datasets, jobs, consumers and dashboards; catalog nodes link to their pages', async () => {
    const lineageApi = api();
    await render(lineageApi);
    expect(await screen.findByTestId('lineage-graph')).toBeInTheDocument();
    expect(lineageApi.getLineage).toHaveBeenCalledWith(
      { kind: 'API', namespace: 'default', name: 'orders' },
      3,
    );
    const job = screen.getByTestId('lineage-node-dz:job1');
    expect(job).toHaveAttribute('data-kind', 'job');
    expect(within(job).getByText('curate_orders')).toBeInTheDocument();
    expect(screen.getByTestId('lineage-node-dz:raw')).not.toHaveAttribute(
      'role',
    );
    expect(
      screen.getByTestId('lineage-node-entity:api:default/customer-360'),
    ).toHaveAttribute('role', 'link');
    expect(
      screen.getByTestId('lineage-node-entity:group:default/marketing'),
    ).toHaveAttribute('data-kind', 'consumer');
    expect(screen.getByText(/6 nodes/)).toBeInTheDocument();
    expect(
      screen.getByText(/1 column-level links on the Lineage tab/),
    ).toBeInTheDocument();
  });

  it('draws the graph at a legible scale in a frame that scrolls, not shrunk to the card', async () => {
    await render(api());
    const scroller = await screen.findByTestId('lineage-graph-scroller');
    expect(scroller).toHaveStyle({ maxHeight: '480px', minHeight: '160px' });
    const drawing = scroller.querySelector<HTMLElement>('[data-layout-width]')!;
    const layoutWidth = Number(drawing.dataset.layoutWidth);
    // Four ranks of 188 px nodes, left to right.
    expect(layoutWidth).toBeGreaterThan(4 * 188);
    // Never drawn below 0.8 of the layout's width (jsdom's frame has no width).
    const svg = screen.getByTestId('lineage-graph-drawing');
    expect(Number(svg.getAttribute('width'))).toBeGreaterThanOrEqual(
      Math.ceil(layoutWidth * 0.8),
    );
    expect(svg).toHaveAttribute('viewBox', expect.stringMatching(/^0 0 /));
    // Upstream on the left, downstream on the right.
    const x = (id: string) =>
      Number(
        /translate\(([\d.]+),/.exec(
          screen.getByTestId(`lineage-node-${id}`).getAttribute('transform')!,
        )![1],
      );
    expect(x('dz:raw')).toBeLessThan(x('dz:job1'));
    expect(x('dz:job1')).toBeLessThan(x('entity:api:default/orders'));
    expect(x('entity:api:default/orders')).toBeLessThan(x('dashboard:trends'));
  });

  it('zooms with its buttons', async () => {
    await render(api());
    const svg = await screen.findByTestId('lineage-graph-drawing');
    const width = Number(svg.getAttribute('width'));
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(Number(svg.getAttribute('width'))).toBeGreaterThan(width);
    await userEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    await userEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(Number(svg.getAttribute('width'))).toBeLessThan(width);
  });

  it('asks again with the depth chosen', async () => {
    const lineageApi = api();
    await render(lineageApi);
    await screen.findByTestId('lineage-graph');
    fireEvent.mouseDown(screen.getByText('3 levels'));
    await userEvent.click(
      await screen.findByRole('option', { name: '1 level' }),
    );
    await waitFor(() =>
      expect(lineageApi.getLineage).toHaveBeenLastCalledWith(
        { kind: 'API', namespace: 'default', name: 'orders' },
        1,
      ),
    );
  });

  it('says when there is no lineage', async () => {
    await render(
      api({
        getLineage: jest.fn().mockResolvedValue({
          ...graph,
          nodes: [graph.nodes[2]],
          edges: [],
          columnEdges: [],
        }),
      }),
    );
    expect(await screen.findByText('No lineage recorded')).toBeInTheDocument();
    expect(screen.queryByTestId('lineage-graph')).not.toBeInTheDocument();
  });

  it('shows an AWS outage as an error with its message, and retries', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'ServiceUnavailableError',
          message: 'DataZone lineage could not be read: throttled',
        },
        response: { statusCode: 503 },
      }),
      { status: 503, headers: { 'Content-Type': 'application/json' } },
    );
    const getLineage = jest
      .fn()
      .mockRejectedValueOnce(await ResponseError.fromResponse(response))
      .mockResolvedValue(graph);
    await render(api({ getLineage }));
    expect(
      (
        await screen.findAllByText(
          /DataZone lineage could not be read: throttled/,
        )
      ).length,
    ).toBeGreaterThan(0);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('lineage-graph')).toBeInTheDocument();
  });

  it('shows warnings and a truncated graph as notes above it', async () => {
    await render(
      api({
        getLineage: jest.fn().mockResolvedValue({
          ...graph,
          truncated: true,
          warnings: ['QuickSight dashboards could not be read: down'],
        }),
      }),
    );
    expect(
      await screen.findByText('QuickSight dashboards could not be read: down'),
    ).toBeInTheDocument();
    expect(screen.getByText(/stops at the node limit/)).toBeInTheDocument();
  });

  it('opens a dashboard node embedded, for the dataset it reads', async () => {
    const lineageApi = api();
    await render(lineageApi);
    fireEvent.click(await screen.findByTestId('lineage-node-dashboard:trends'));
    expect(await screen.findByTitle('Order trends')).toHaveAttribute(
      'src',
      'https://quicksight.example/embed/1',
    );
    expect(lineageApi.getEmbedUrl).toHaveBeenCalledWith({
      entityRef: 'api:default/orders',
      dashboardId: 'trends',
    });
  });
});

describe('LineageContent', () => {
  it('adds the column-level lineage below the graph', async () => {
    await render(api(), <LineageContent />);
    const table = await screen.findByTestId('column-lineage');
    expect(
      within(table).getByText('Customer 360.c_customer_sk'),
    ).toBeInTheDocument();
    expect(within(table).getByText('Orders.o_custkey')).toBeInTheDocument();
    expect(
      within(table).getByText('curate_orders · DIRECT'),
    ).toBeInTheDocument();
  });
});
