import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "Read access for the owning team's role on the first table",
    example: yaml.stringify({
      steps: [
        {
          id: 'grant',
          action: 'data-mesh:lakeformation:grant',
          name: 'Grant the owning team read access',
          input: {
            principalArn:
              'arn:aws:iam::222222222222:role/sales-domain-analysts',
            databaseName: 'sales_orders',
            tables: ['orders'],
            permissions: ['SELECT', 'DESCRIBE'],
            accountId: '222222222222',
            region: 'us-east-1',
          },
        },
      ],
    }),
  },
];
