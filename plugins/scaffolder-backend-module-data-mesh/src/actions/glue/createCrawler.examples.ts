import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "A crawler over the product's S3 location, started once",
    example: yaml.stringify({
      steps: [
        {
          id: 'crawler',
          action: 'data-mesh:glue:create-crawler',
          name: 'Create and start the crawler',
          input: {
            crawlerName: 'sales_orders-crawler',
            roleArn: 'arn:aws:iam::222222222222:role/DataMeshProducerAccess',
            databaseName: 'sales_orders',
            s3Targets: ['s3://retail-sales-orders-222222222222/sales_orders/'],
            accountId: '222222222222',
            region: 'us-east-1',
          },
        },
      ],
    }),
  },
];
