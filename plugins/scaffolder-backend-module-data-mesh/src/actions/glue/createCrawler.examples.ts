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
  {
    description:
      'Crawl once and wait (up to 30 minutes) for the tables it writes, to publish them in the next steps',
    example: yaml.stringify({
      steps: [
        {
          id: 'crawler',
          action: 'data-mesh:glue:create-crawler',
          name: 'Crawl the uploaded files',
          input: {
            crawlerName: 'sales_orders-crawler',
            roleArn: 'arn:aws:iam::222222222222:role/DataMeshProducerAccess',
            databaseName: 'sales_orders',
            s3Targets: ['s3://retail-sales-orders-222222222222/sales_orders/'],
            waitForCrawl: true,
            waitTimeoutSeconds: 1800,
            pollIntervalSeconds: 15,
            accountId: '222222222222',
            region: 'us-east-1',
          },
        },
      ],
    }),
  },
];
