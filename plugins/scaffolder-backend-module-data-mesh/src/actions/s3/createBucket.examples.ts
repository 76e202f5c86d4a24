import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'A bucket for a data product, encrypted with the AWS managed KMS key',
    example: yaml.stringify({
      steps: [
        {
          id: 'bucket',
          action: 'data-mesh:s3:create-bucket',
          name: 'Create the S3 bucket',
          input: {
            bucketName: 'retail-sales-orders-222222222222',
            accountId: '222222222222',
            region: 'us-east-1',
            owner: 'group:default/sales-domain',
            domain: 'Sales',
            product: 'Orders',
          },
        },
      ],
    }),
  },
  {
    description: 'SSE-S3 encryption and an extra cost-centre tag',
    example: yaml.stringify({
      steps: [
        {
          id: 'bucket',
          action: 'data-mesh:s3:create-bucket',
          name: 'Create the S3 bucket',
          input: {
            bucketName: 'retail-sales-returns-222222222222',
            accountId: '222222222222',
            region: 'us-east-1',
            encryption: 'SSE-S3',
            owner: 'group:default/sales-domain',
            domain: 'Sales',
            product: 'Returns',
            tags: { 'cost-centre': 'cc-1042' },
          },
        },
      ],
    }),
  },
];
