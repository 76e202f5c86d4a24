import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'A Parquet table with three columns, partitioned by day',
    example: yaml.stringify({
      steps: [
        {
          id: 'table',
          action: 'data-mesh:glue:create-table',
          name: 'Create the first dataset',
          input: {
            databaseName: 'sales_orders',
            tableName: 'orders',
            description: 'One row per order.',
            columns: [
              { name: 'order_id', type: 'bigint', description: 'Order key' },
              { name: 'customer_id', type: 'bigint' },
              { name: 'total_price', type: 'decimal(12,2)' },
            ],
            partitionKeys: [{ name: 'order_date', type: 'date' }],
            location:
              's3://retail-sales-orders-222222222222/sales_orders/orders/',
            format: 'parquet',
            accountId: '222222222222',
            region: 'us-east-1',
          },
        },
      ],
    }),
  },
];
