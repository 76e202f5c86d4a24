// A three-level lineage over demo tables, posted as OpenLineage run events:
//
//   s3 landing/supplier ─ingest_supplier─▶ supply_suppliers_parts.supplier ─┐
//   s3 landing/part ─────ingest_part─────▶ supply_suppliers_parts.part ─────┼─supplier_part_rollup─▶ supply_suppliers_parts.partsupp ─forecast_inventory─▶ supply_inventory.inventory_forecast
//                                          customer_accounts.nation ────────┘
//
// (Tables the seeded demo lineage does not touch, so the two do not mix.)
//
// Used by the stand-in tests and to record the fixtures of the pure tests.

import { glueTableDataset, OpenLineageRunEvent } from '../postRunEvent';

export function demoLineageEvents(options: {
  region: string;
  accountId: string;
  /** Time of the first event; the others follow a minute apart. */
  start?: Date;
}): OpenLineageRunEvent[] {
  const table = (
    database: string,
    name: string,
    facets?: Record<string, unknown>,
  ) =>
    glueTableDataset(
      {
        region: options.region,
        accountId: options.accountId,
        database,
        table: name,
      },
      facets,
    );
  const start = options.start?.getTime() ?? Date.parse('2026-11-01T04:00:00Z');
  const at = (minutes: number) =>
    new Date(start + minutes * 60_000).toISOString();
  const base = {
    eventType: 'COMPLETE' as const,
    producer: 'https://github.com/data-mesh-portal/examples',
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  };
  const supplierNs = table('supply_suppliers_parts', 'supplier');
  const columnLineage = {
    columnLineage: {
      _producer: base.producer,
      _schemaURL:
        'https://openlineage.io/spec/facets/1-1-0/ColumnLineageDatasetFacet.json',
      fields: {
        ps_suppkey: {
          inputFields: [
            {
              namespace: supplierNs.namespace,
              name: supplierNs.name,
              field: 's_suppkey',
              transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
            },
          ],
        },
        ps_supplycost: {
          inputFields: [
            {
              namespace: supplierNs.namespace,
              name: 'table/supply_suppliers_parts/part',
              field: 'p_retailprice',
              transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }],
            },
          ],
        },
      },
    },
  };
  return [
    {
      ...base,
      eventTime: at(0),
      run: { runId: '3f0b8f5e-0000-4000-8000-000000000001' },
      job: { namespace: 'retail-etl', name: 'ingest_supplier' },
      inputs: [{ namespace: 's3://retail-landing', name: 'supplier' }],
      outputs: [supplierNs],
    },
    {
      ...base,
      eventTime: at(1),
      run: { runId: '3f0b8f5e-0000-4000-8000-000000000002' },
      job: { namespace: 'retail-etl', name: 'ingest_part' },
      inputs: [{ namespace: 's3://retail-landing', name: 'part' }],
      outputs: [table('supply_suppliers_parts', 'part')],
    },
    {
      ...base,
      eventTime: at(2),
      run: { runId: '3f0b8f5e-0000-4000-8000-000000000003' },
      job: { namespace: 'retail-etl', name: 'supplier_part_rollup' },
      inputs: [
        supplierNs,
        table('supply_suppliers_parts', 'part'),
        table('customer_accounts', 'nation'),
      ],
      outputs: [table('supply_suppliers_parts', 'partsupp', columnLineage)],
    },
    {
      ...base,
      eventTime: at(3),
      run: { runId: '3f0b8f5e-0000-4000-8000-000000000004' },
      job: { namespace: 'retail-etl', name: 'forecast_inventory' },
      inputs: [table('supply_suppliers_parts', 'partsupp')],
      outputs: [table('supply_inventory', 'inventory_forecast')],
    },
  ];
}
