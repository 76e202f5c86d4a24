// A three-level lineage over demo tables, posted as OpenLineage run events:
//
//   s3 landing/orders ──ingest_orders──▶ sales_order_history.orders ─┐
//   s3 landing/lineitem ─ingest_lineitem▶ sales_order_history.lineitem ┼─customer_orders_rollup─▶ customer_360.customer ──campaign_uplift──▶ marketing_campaigns.customer_uplift
//                                          customer_accounts.customer ─┘
//
// Used by the stand-in tests and to record the fixtures of the pure tests.

import { glueTableDataset, OpenLineageRunEvent } from '../postRunEvent';

export function demoLineageEvents(options: {
  region: string;
  accountId: string;
  /** Time of the first event; the others follow a minute apart. */
  start?: Date;
}): OpenLineageRunEvent[] {
  const table = (database: string, name: string, facets?: Record<string, unknown>) =>
    glueTableDataset(
      { region: options.region, accountId: options.accountId, database, table: name },
      facets,
    );
  const start = options.start?.getTime() ?? Date.parse('2026-11-01T04:00:00Z');
  const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
  const base = {
    eventType: 'COMPLETE' as const,
    producer: 'https://github.com/data-mesh-portal/examples',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  };
  const ordersNs = table('sales_order_history', 'orders');
  const columnLineage = {
    columnLineage: {
      _producer: base.producer,
      _schemaURL: 'https://openlineage.io/spec/facets/1-1-0/ColumnLineageDatasetFacet.json',
      fields: {
        c_customer_sk: {
          inputFields: [
            {
              namespace: ordersNs.namespace,
              name: ordersNs.name,
              field: 'o_custkey',
              transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
            },
          ],
        },
        c_lifetime_value: {
          inputFields: [
            {
              namespace: ordersNs.namespace,
              name: 'table/sales_order_history/lineitem',
              field: 'l_extendedprice',
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
      job: { namespace: 'retail-etl', name: 'ingest_orders' },
      inputs: [{ namespace: 's3://retail-landing', name: 'orders' }],
      outputs: [ordersNs],
    },
    {
      ...base,
      eventTime: at(1),
      run: { runId: '3f0b8f5e-0000-4000-8000-000000000002' },
      job: { namespace: 'retail-etl', name: 'ingest_lineitem' },
      inputs: [{ namespace: 's3://retail-landing', name: 'lineitem' }],
      outputs: [table('sales_order_history', 'lineitem')],
    },
    {
      ...base,
      eventTime: at(2),
      run: { runId: '3f0b8f5e-0000-4000-8000-000000000003' },
      job: { namespace: 'retail-etl', name: 'customer_orders_rollup' },
      inputs: [
        ordersNs,
        table('sales_order_history', 'lineitem'),
        table('customer_accounts', 'customer'),
      ],
      outputs: [table('customer_360', 'customer', columnLineage)],
    },
    {
      ...base,
      eventTime: at(3),
      run: { runId: '3f0b8f5e-0000-4000-8000-000000000004' },
      job: { namespace: 'retail-etl', name: 'campaign_uplift' },
      inputs: [table('customer_360', 'customer')],
      outputs: [table('marketing_campaigns', 'customer_uplift')],
    },
  ];
}
