import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "A Glue database at the product's S3 location",
    example: yaml.stringify({
      steps: [
        {
          id: 'database',
          action: 'data-mesh:glue:create-database',
          name: 'Create the Glue database',
          input: {
            databaseName: 'sales_orders',
            description: 'Orders placed in stores and online.',
            locationUri: 's3://retail-sales-orders-222222222222/sales_orders/',
            accountId: '222222222222',
            region: 'us-east-1',
            tags: { owner: 'group:default/sales-domain' },
          },
        },
      ],
    }),
  },
];
