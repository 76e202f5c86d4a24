import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ARN,
  ANNOTATION_DATAZONE_ASSET_ID,
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
} from '@data-mesh-portal/plugin-data-mesh-common';
import recording from './__fixtures__/lineageNodes.json';
import {
  buildLineageGraph,
  columnLineageOf,
  LineageEntityIndex,
  parseGlueTableArn,
} from './graph';
import { LineageNodeRecord, lineageNodeRole, walkLineage } from './graphWalk';

// GetLineageNode answers recorded from the local DataZone after posting the
// events of __fixtures__/demoLineage.ts (graphWalk.localAws.test.ts with
// RECORD_LINEAGE_FIXTURES=1). Dates come back as the SDK gives them.
function revive(raw: any): LineageNodeRecord {
  const date = (v?: string) => (v ? new Date(v) : undefined);
  return {
    ...raw,
    eventTimestamp: date(raw.eventTimestamp),
    upstreamNodes: raw.upstreamNodes?.map((r: any) => ({ ...r, eventTimestamp: date(r.eventTimestamp) })),
    downstreamNodes: raw.downstreamNodes?.map((r: any) => ({ ...r, eventTimestamp: date(r.eventTimestamp) })),
  };
}

function recordedLoader(
  nodes: Record<string, unknown> = recording.nodes,
  edit: (record: LineageNodeRecord) => LineageNodeRecord = r => r,
) {
  const byKey = new Map<string, LineageNodeRecord>();
  for (const raw of Object.values(nodes)) {
    if (!raw) continue;
    const record = edit(revive(raw));
    byKey.set(record.id!, record);
    if (record.sourceIdentifier) byKey.set(record.sourceIdentifier, record);
  }
  const calls: string[] = [];
  return {
    calls,
    load: async (id: string) => {
      calls.push(id);
      return byKey.get(id);
    },
  };
}

const { region, accountId, start, ordersAssetId } = recording;
const arn = (db: string, table: string) => `arn:aws:glue:${region}:${accountId}:table/${db}/${table}`;

function dataset(name: string, db: string, table: string, extra: Partial<Entity['metadata']> = {}, relations: Entity['relations'] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name,
      namespace: 'default',
      title: `${db}.${table}`,
      ...extra,
      annotations: {
        [ANNOTATION_AWS_ARN]: arn(db, table),
        [ANNOTATION_GLUE_DATABASE]: db,
        [ANNOTATION_GLUE_TABLE]: table,
        ...extra.annotations,
      },
    },
    spec: { type: 'dataset', lifecycle: 'production', owner: 'group:default/sales-domain', definition: '' },
    relations,
  };
}

const orders = dataset(
  'order-history-orders',
  'sales_order_history',
  'orders',
  { annotations: { [ANNOTATION_DATAZONE_ASSET_ID]: ordersAssetId } },
  [
    { type: 'apiConsumedBy', targetRef: 'group:default/marketing-analytics' },
    { type: 'partOf', targetRef: 'system:default/order-history' },
  ],
);
const customer = dataset('customer-360-customer', 'customer_360', 'customer', {}, [
  { type: 'apiConsumedBy', targetRef: 'group:default/marketing-analytics' },
]);
const lineitem = dataset('order-history-lineitem', 'sales_order_history', 'lineitem');

const dashboards = [
  { dashboardId: 'customer-value', name: 'Customer value', tables: [{ database: 'CUSTOMER_360', table: 'customer' }] },
  { dashboardId: 'unrelated', name: 'Unrelated', tables: [{ database: 'other', table: 'customer' }] },
];

const NOW = new Date('2026-11-02T00:00:00Z');

async function graphFrom(depth: number, roots: Entity[] = [orders], loader = recordedLoader()) {
  const walk = await walkLineage({ starts: roots.map(r => r.metadata.annotations![ANNOTATION_AWS_ARN]), depth, maxNodes: 500, load: loader.load });
  return buildLineageGraph({
    entityRef: 'api:default/order-history-orders',
    depth,
    rootEntities: roots,
    walk,
    entityIndex: new LineageEntityIndex([orders, customer, lineitem]),
    dashboards,
    now: NOW,
  });
}

describe('lineage graph from recorded DataZone lineage', () => {
  it('walks three levels: upstream raw data, downstream products, jobs in between', async () => {
    const graph = await graphFrom(3);
    const datasets = graph.nodes.filter(n => n.kind === 'dataset').map(n => [n.depth, n.title, n.entityRef ?? null]);
    expect(datasets).toEqual([
      [-1, 'orders', null],
      [0, 'sales_order_history.orders', 'api:default/order-history-orders'],
      [1, 'customer_360.customer', 'api:default/customer-360-customer'],
      [2, 'customer_uplift', null],
    ]);
    expect(graph.nodes.find(n => n.depth === 0)?.root).toBe(true);
    expect(graph.nodes.find(n => n.title === 'orders')?.sourceIdentifier).toBe('s3://retail-landing/orders');

    // Runs fold into their jobs; the job carries its newest run.
    const jobs = graph.nodes.filter(n => n.kind === 'job');
    expect(jobs.map(j => j.title).sort()).toEqual(['campaign_uplift', 'customer_orders_rollup', 'ingest_orders']);
    expect(jobs.find(j => j.title === 'ingest_orders')?.lastRun).toEqual({
      id: expect.any(String),
      name: 'ingest_orders 3f0b8f5e-0000-4000-8000-000000000001',
      at: '2026-11-01T04:00:00.000Z',
    });

    const title = (id: string) => graph.nodes.find(n => n.id === id)!.title;
    const lineage = graph.edges.filter(e => e.kind === 'lineage').map(e => `${title(e.from)} → ${title(e.to)}`).sort();
    expect(lineage).toEqual([
      'campaign_uplift → customer_uplift',
      'customer_360.customer → campaign_uplift',
      'customer_orders_rollup → customer_360.customer',
      'ingest_orders → sales_order_history.orders',
      'orders → ingest_orders',
      'sales_order_history.orders → customer_orders_rollup',
    ]);
    expect(graph.truncated).toBe(false);
    expect(graph.generatedAt).toBe(NOW.toISOString());
  });

  it('adds consumers and dashboards to datasets at and below the start', async () => {
    const graph = await graphFrom(3);
    const edges = graph.edges.filter(e => e.kind !== 'lineage').map(e => `${e.kind}: ${e.from} → ${e.to}`).sort();
    expect(edges).toEqual([
      'consumes: entity:api:default/customer-360-customer → entity:group:default/marketing-analytics',
      'consumes: entity:api:default/order-history-orders → entity:group:default/marketing-analytics',
      'dashboard: entity:api:default/customer-360-customer → dashboard:customer-value',
    ]);
    const dashboard = graph.nodes.find(n => n.kind === 'dashboard')!;
    expect(dashboard).toMatchObject({ title: 'Customer value', dashboardId: 'customer-value', depth: 2 });
    expect(graph.nodes.find(n => n.kind === 'consumer')).toMatchObject({
      entityRef: 'group:default/marketing-analytics',
      title: 'marketing-analytics',
      depth: 1,
    });
  });

  it('keeps to the depth asked for, loading nothing beyond it', async () => {
    const loader = recordedLoader();
    const graph = await graphFrom(1, [orders], loader);
    expect(Math.max(...graph.nodes.map(n => Math.abs(n.depth)))).toBe(1);
    expect(graph.nodes.some(n => n.title === 'customer_uplift')).toBe(false);
    // No dashboard: customer_360.customer is at the depth limit.
    expect(graph.nodes.some(n => n.kind === 'dashboard')).toBe(false);
    expect(loader.calls).not.toContain(arn('marketing_campaigns', 'customer_uplift'));
    // Each node is read once, however many paths reach it.
    expect(new Set(loader.calls).size).toBe(loader.calls.length);
  });

  it('starts from every dataset of a data product, merging shared nodes', async () => {
    const graph = await graphFrom(3, [orders, lineitem]);
    const roots = graph.nodes.filter(n => n.root).map(n => n.entityRef).sort();
    expect(roots).toEqual(['api:default/order-history-lineitem', 'api:default/order-history-orders']);
    expect(graph.nodes.filter(n => n.title === 'customer_360.customer')).toHaveLength(1);
    expect(graph.nodes.filter(n => n.kind === 'job').map(n => n.title).sort()).toEqual([
      'campaign_uplift',
      'customer_orders_rollup',
      'ingest_lineitem',
      'ingest_orders',
    ]);
  });

  it('shows a dataset with no lineage in DataZone on its own, with its consumers', async () => {
    const lonely = dataset('lonely', 'sales_order_history', 'nothing', {}, [
      { type: 'apiConsumedBy', targetRef: 'group:default/supply-chain-domain' },
    ]);
    const graph = await graphFrom(3, [lonely]);
    expect(graph.nodes.map(n => n.id)).toEqual(['entity:api:default/lonely', 'entity:group:default/supply-chain-domain']);
    expect(graph.edges).toEqual([
      { from: 'entity:api:default/lonely', to: 'entity:group:default/supply-chain-domain', kind: 'consumes' },
    ]);
  });

  it('stops at the node limit and says so', async () => {
    const loader = recordedLoader();
    const walk = await walkLineage({ starts: [start], depth: 5, maxNodes: 4, load: loader.load });
    expect(walk.nodes.size).toBe(4);
    expect(walk.truncated).toBe(true);
  });

  it('ends on cycles', async () => {
    // customer_uplift fed back into orders: a loop through two jobs.
    const ids = new Map(Object.values(recording.nodes).filter(Boolean).map((n: any) => [n.sourceIdentifier, n.id]));
    const ordersId = ids.get(start)!;
    const upliftId = ids.get(arn('marketing_campaigns', 'customer_uplift'))!;
    const loader = recordedLoader(recording.nodes, record => {
      if (record.id === upliftId) return { ...record, downstreamNodes: [{ id: ordersId }] };
      if (record.id === ordersId) return { ...record, upstreamNodes: [...(record.upstreamNodes ?? []), { id: upliftId }] };
      return record;
    });
    const walk = await walkLineage({ starts: [start], depth: 5, maxNodes: 500, load: loader.load });
    expect(walk.nodes.get(upliftId)?.level).toBe(-1);
    expect(walk.links).toContainEqual({ from: upliftId, to: ordersId });
  });

  it('reads column-level lineage where a dataset node carries the columnLineage facet', async () => {
    // The local DataZone keeps no dataset facets; this adds the facet the
    // rollup event posted (demoLineage.ts) to the node's form, as a DataZone
    // that keeps it would return it.
    const customerArn = arn('customer_360', 'customer');
    const facet = {
      fields: {
        c_customer_sk: {
          inputFields: [{ namespace: `arn:aws:glue:${region}:${accountId}`, name: 'table/sales_order_history/orders', field: 'o_custkey', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] }],
        },
        c_unknown_source: {
          inputFields: [{ namespace: 's3://nowhere', name: 'x', field: 'y' }],
        },
      },
    };
    const loader = recordedLoader(recording.nodes, record =>
      record.sourceIdentifier === customerArn
        ? { ...record, formsOutput: [...(record.formsOutput ?? []), { formName: 'ColumnLineage', content: JSON.stringify({ columnLineage: facet }) }] }
        : record,
    );
    const graph = await graphFrom(3, [orders], loader);
    expect(graph.columnEdges).toEqual([
      {
        from: 'entity:api:default/order-history-orders',
        fromColumn: 'o_custkey',
        to: 'entity:api:default/customer-360-customer',
        toColumn: 'c_customer_sk',
        via: graph.nodes.find(n => n.title === 'customer_orders_rollup')!.id,
        transformation: 'DIRECT',
      },
    ]);
  });
});

describe('lineage helpers', () => {
  it('tells jobs, runs and datasets apart by type name', () => {
    expect(lineageNodeRole({ typeName: 'amazon.datazone.JobNodeType' })).toBe('job');
    expect(lineageNodeRole({ typeName: 'amazon.datazone.JobRunNodeType' })).toBe('run');
    expect(lineageNodeRole({ typeName: 'amazon.datazone.DatasetNodeType' })).toBe('dataset');
    expect(lineageNodeRole({ typeName: 'amazon.datazone.GlueTableAssetType' })).toBe('dataset');
    expect(lineageNodeRole({})).toBe('dataset');
  });

  it('parses Glue table ARNs', () => {
    expect(parseGlueTableArn('arn:aws:glue:eu-west-1:111122223333:table/db/t')).toEqual({
      region: 'eu-west-1',
      accountId: '111122223333',
      database: 'db',
      table: 't',
    });
    expect(parseGlueTableArn('s3://bucket/key')).toBeUndefined();
  });

  it('ignores forms that are not JSON or carry no column lineage', () => {
    expect(columnLineageOf({ formsOutput: [{ content: 'not json' }, { content: '{"fields":{"a":{}}}' }] })).toEqual([]);
  });
});
