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
    upstreamNodes: raw.upstreamNodes?.map((r: any) => ({
      ...r,
      eventTimestamp: date(r.eventTimestamp),
    })),
    downstreamNodes: raw.downstreamNodes?.map((r: any) => ({
      ...r,
      eventTimestamp: date(r.eventTimestamp),
    })),
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

const { region, accountId, start, supplierAssetId } = recording;
const arn = (db: string, table: string) =>
  `arn:aws:glue:${region}:${accountId}:table/${db}/${table}`;

function dataset(
  name: string,
  db: string,
  table: string,
  extra: Partial<Entity['metadata']> = {},
  relations: Entity['relations'] = [],
): Entity {
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
    spec: {
      type: 'dataset',
      lifecycle: 'production',
      owner: 'group:default/sales-domain',
      definition: '',
    },
    relations,
  };
}

const orders = dataset(
  'supplier',
  'supply_suppliers_parts',
  'supplier',
  { annotations: { [ANNOTATION_DATAZONE_ASSET_ID]: supplierAssetId } },
  [
    { type: 'apiConsumedBy', targetRef: 'group:default/marketing-analytics' },
    { type: 'partOf', targetRef: 'system:default/suppliers-and-parts' },
  ],
);
const customer = dataset('partsupp', 'supply_suppliers_parts', 'partsupp', {}, [
  { type: 'apiConsumedBy', targetRef: 'group:default/marketing-analytics' },
]);
const lineitem = dataset('part', 'supply_suppliers_parts', 'part');

const dashboards = [
  {
    dashboardId: 'partsupp-costs',
    name: 'Part supply costs',
    tables: [{ database: 'SUPPLY_SUPPLIERS_PARTS', table: 'partsupp' }],
  },
  {
    dashboardId: 'unrelated',
    name: 'Unrelated',
    tables: [{ database: 'other', table: 'customer' }],
  },
];

const NOW = new Date('2026-11-02T00:00:00Z');

async function graphFrom(
  depth: number,
  roots: Entity[] = [orders],
  loader = recordedLoader(),
) {
  const walk = await walkLineage({
    starts: roots.map(r => r.metadata.annotations![ANNOTATION_AWS_ARN]),
    depth,
    maxNodes: 500,
    load: loader.load,
  });
  return buildLineageGraph({
    entityRef: 'api:default/supplier',
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
    const datasets = graph.nodes
      .filter(n => n.kind === 'dataset')
      .map(n => [n.depth, n.title, n.entityRef ?? null]);
    expect(datasets).toEqual([
      [-1, 'supplier', null],
      [0, 'supply_suppliers_parts.supplier', 'api:default/supplier'],
      [1, 'supply_suppliers_parts.partsupp', 'api:default/partsupp'],
      [2, 'inventory_forecast', null],
    ]);
    expect(graph.nodes.find(n => n.depth === 0)?.root).toBe(true);
    expect(
      graph.nodes.find(n => n.title === 'supplier')?.sourceIdentifier,
    ).toBe('s3://retail-landing/supplier');

    // Runs fold into their jobs; the job carries its newest run.
    const jobs = graph.nodes.filter(n => n.kind === 'job');
    expect(jobs.map(j => j.title).sort()).toEqual([
      'forecast_inventory',
      'ingest_supplier',
      'supplier_part_rollup',
    ]);
    expect(jobs.find(j => j.title === 'ingest_supplier')?.lastRun).toEqual({
      id: expect.any(String),
      name: 'ingest_supplier 3f0b8f5e-0000-4000-8000-000000000001',
      at: '2026-11-01T04:00:00.000Z',
    });

    const title = (id: string) => graph.nodes.find(n => n.id === id)!.title;
    const lineage = graph.edges
      .filter(e => e.kind === 'lineage')
      .map(e => `${title(e.from)} → ${title(e.to)}`)
      .sort();
    expect(lineage).toEqual([
      'forecast_inventory → inventory_forecast',
      'ingest_supplier → supply_suppliers_parts.supplier',
      'supplier → ingest_supplier',
      'supplier_part_rollup → supply_suppliers_parts.partsupp',
      'supply_suppliers_parts.partsupp → forecast_inventory',
      'supply_suppliers_parts.supplier → supplier_part_rollup',
    ]);
    expect(graph.truncated).toBe(false);
    expect(graph.generatedAt).toBe(NOW.toISOString());
  });

  it('adds consumers and dashboards to datasets at and below the start', async () => {
    const graph = await graphFrom(3);
    const edges = graph.edges
      .filter(e => e.kind !== 'lineage')
      .map(e => `${e.kind}: ${e.from} → ${e.to}`)
      .sort();
    expect(edges).toEqual([
      'consumes: entity:api:default/partsupp → entity:group:default/marketing-analytics',
      'consumes: entity:api:default/supplier → entity:group:default/marketing-analytics',
      'dashboard: entity:api:default/partsupp → dashboard:partsupp-costs',
    ]);
    const dashboard = graph.nodes.find(n => n.kind === 'dashboard')!;
    expect(dashboard).toMatchObject({
      title: 'Part supply costs',
      dashboardId: 'partsupp-costs',
      depth: 2,
    });
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
    expect(graph.nodes.some(n => n.title === 'inventory_forecast')).toBe(false);
    // No dashboard: supply_suppliers_parts.partsupp is at the depth limit.
    expect(graph.nodes.some(n => n.kind === 'dashboard')).toBe(false);
    expect(loader.calls).not.toContain(
      arn('supply_inventory', 'inventory_forecast'),
    );
    // Each node is read once, however many paths reach it.
    expect(new Set(loader.calls).size).toBe(loader.calls.length);
  });

  it('starts from every dataset of a data product, merging shared nodes', async () => {
    const graph = await graphFrom(3, [orders, lineitem]);
    const roots = graph.nodes
      .filter(n => n.root)
      .map(n => n.entityRef)
      .sort();
    expect(roots).toEqual(['api:default/part', 'api:default/supplier']);
    expect(
      graph.nodes.filter(n => n.title === 'supply_suppliers_parts.partsupp'),
    ).toHaveLength(1);
    expect(
      graph.nodes
        .filter(n => n.kind === 'job')
        .map(n => n.title)
        .sort(),
    ).toEqual([
      'forecast_inventory',
      'ingest_part',
      'ingest_supplier',
      'supplier_part_rollup',
    ]);
  });

  it('shows a dataset with no lineage in DataZone on its own, with its consumers', async () => {
    const lonely = dataset('lonely', 'sales_order_history', 'nothing', {}, [
      { type: 'apiConsumedBy', targetRef: 'group:default/supply-chain-domain' },
    ]);
    const graph = await graphFrom(3, [lonely]);
    expect(graph.nodes.map(n => n.id)).toEqual([
      'entity:api:default/lonely',
      'entity:group:default/supply-chain-domain',
    ]);
    expect(graph.edges).toEqual([
      {
        from: 'entity:api:default/lonely',
        to: 'entity:group:default/supply-chain-domain',
        kind: 'consumes',
      },
    ]);
  });

  it('stops at the node limit and says so', async () => {
    const loader = recordedLoader();
    const walk = await walkLineage({
      starts: [start],
      depth: 5,
      maxNodes: 4,
      load: loader.load,
    });
    expect(walk.nodes.size).toBe(4);
    expect(walk.truncated).toBe(true);
  });

  it('ends on cycles', async () => {
    // inventory_forecast fed back into orders: a loop through two jobs.
    const ids = new Map(
      Object.values(recording.nodes)
        .filter(Boolean)
        .map((n: any) => [n.sourceIdentifier, n.id]),
    );
    const ordersId = ids.get(start)!;
    const upliftId = ids.get(arn('supply_inventory', 'inventory_forecast'))!;
    const loader = recordedLoader(recording.nodes, record => {
      if (record.id === upliftId)
        return { ...record, downstreamNodes: [{ id: ordersId }] };
      if (record.id === ordersId)
        return {
          ...record,
          upstreamNodes: [...(record.upstreamNodes ?? []), { id: upliftId }],
        };
      return record;
    });
    const walk = await walkLineage({
      starts: [start],
      depth: 5,
      maxNodes: 500,
      load: loader.load,
    });
    expect(walk.nodes.get(upliftId)?.level).toBe(-1);
    expect(walk.links).toContainEqual({ from: upliftId, to: ordersId });
  });

  it('reads column-level lineage where a dataset node carries the columnLineage facet', async () => {
    // The local DataZone keeps no dataset facets; this adds the facet the
    // rollup event posted (demoLineage.ts) to the node's form, as a DataZone
    // that keeps it would return it.
    const customerArn = arn('supply_suppliers_parts', 'partsupp');
    const facet = {
      fields: {
        ps_suppkey: {
          inputFields: [
            {
              namespace: `arn:aws:glue:${region}:${accountId}`,
              name: 'table/supply_suppliers_parts/supplier',
              field: 's_suppkey',
              transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
            },
          ],
        },
        c_unknown_source: {
          inputFields: [{ namespace: 's3://nowhere', name: 'x', field: 'y' }],
        },
      },
    };
    const loader = recordedLoader(recording.nodes, record =>
      record.sourceIdentifier === customerArn
        ? {
            ...record,
            formsOutput: [
              ...(record.formsOutput ?? []),
              {
                formName: 'ColumnLineage',
                content: JSON.stringify({ columnLineage: facet }),
              },
            ],
          }
        : record,
    );
    const graph = await graphFrom(3, [orders], loader);
    expect(graph.columnEdges).toEqual([
      {
        from: 'entity:api:default/supplier',
        fromColumn: 's_suppkey',
        to: 'entity:api:default/partsupp',
        toColumn: 'ps_suppkey',
        via: graph.nodes.find(n => n.title === 'supplier_part_rollup')!.id,
        transformation: 'DIRECT',
      },
    ]);
  });
});

describe('dashboards named in lineage', () => {
  it('makes a run output that is a QuickSight dashboard ARN the dashboard node', async () => {
    const dashboardArn =
      'arn:aws:quicksight:us-east-1:123456789012:dashboard/partsupp-costs';
    const nodes: Record<string, LineageNodeRecord> = {
      t: {
        id: 't',
        typeName: 'amazon.datazone.DatasetNodeType',
        name: 'partsupp',
        sourceIdentifier: arn('supply_suppliers_parts', 'partsupp'),
        downstreamNodes: [{ id: 'r' }],
      },
      r: {
        id: 'r',
        typeName: 'amazon.datazone.JobRunNodeType',
        name: 'refresh 1',
        upstreamNodes: [{ id: 'j' }, { id: 't' }],
        downstreamNodes: [{ id: 'd' }],
      },
      j: {
        id: 'j',
        typeName: 'amazon.datazone.JobNodeType',
        name: 'refresh_dashboard',
        downstreamNodes: [{ id: 'r' }],
      },
      d: {
        id: 'd',
        typeName: 'amazon.datazone.DatasetNodeType',
        name: 'partsupp-costs',
        sourceIdentifier: dashboardArn,
        upstreamNodes: [{ id: 'r' }],
      },
    };
    const walk = await walkLineage({
      starts: ['t'],
      depth: 3,
      maxNodes: 50,
      load: async id => nodes[id],
    });
    const graph = buildLineageGraph({
      entityRef: 'api:default/partsupp',
      depth: 3,
      rootEntities: [customer],
      walk,
      entityIndex: new LineageEntityIndex([customer]),
      dashboards,
    });
    const dashboardNodes = graph.nodes.filter(n => n.kind === 'dashboard');
    expect(dashboardNodes).toEqual([
      expect.objectContaining({
        id: 'dashboard:partsupp-costs',
        title: 'Part supply costs',
        dashboardId: 'partsupp-costs',
        dataZoneNodeId: 'd',
      }),
    ]);
    expect(
      graph.edges
        .filter(e => e.to === 'dashboard:partsupp-costs')
        .map(e => [e.from, e.kind]),
    ).toEqual([
      ['dz:j', 'lineage'],
      ['entity:api:default/partsupp', 'dashboard'],
    ]);
  });
});

describe('lineage helpers', () => {
  it('tells jobs, runs and datasets apart by type name', () => {
    expect(lineageNodeRole({ typeName: 'amazon.datazone.JobNodeType' })).toBe(
      'job',
    );
    expect(
      lineageNodeRole({ typeName: 'amazon.datazone.JobRunNodeType' }),
    ).toBe('run');
    expect(
      lineageNodeRole({ typeName: 'amazon.datazone.DatasetNodeType' }),
    ).toBe('dataset');
    expect(
      lineageNodeRole({ typeName: 'amazon.datazone.GlueTableAssetType' }),
    ).toBe('dataset');
    expect(lineageNodeRole({})).toBe('dataset');
  });

  it('parses Glue table ARNs', () => {
    expect(
      parseGlueTableArn('arn:aws:glue:eu-west-1:111122223333:table/db/t'),
    ).toEqual({
      region: 'eu-west-1',
      accountId: '111122223333',
      database: 'db',
      table: 't',
    });
    expect(parseGlueTableArn('s3://bucket/key')).toBeUndefined();
  });

  it('ignores forms that are not JSON or carry no column lineage', () => {
    expect(
      columnLineageOf({
        formsOutput: [
          { content: 'not json' },
          { content: '{"fields":{"a":{}}}' },
        ],
      }),
    ).toEqual([]);
  });
});
