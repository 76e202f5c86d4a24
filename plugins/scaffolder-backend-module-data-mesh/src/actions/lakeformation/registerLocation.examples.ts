import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Register the product's bucket with Lake Formation (service-linked role)",
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'data-mesh:lakeformation:register-location',
          name: 'Register the S3 location with Lake Formation',
          input: {
            location: 's3://retail-sales-orders-222222222222/',
            accountId: '222222222222',
            region: 'us-east-1',
          },
        },
      ],
    }),
  },
];
