import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Tag the database and its first table as internal',
    example: yaml.stringify({
      steps: [
        {
          id: 'attach-lf-tags',
          action: 'data-mesh:lakeformation:attach-lf-tags',
          name: 'Attach LF-tags',
          input: {
            assignments: [
              {
                databaseName: 'sales_orders',
                tags: [{ key: 'classification', value: 'internal' }],
              },
              {
                databaseName: 'sales_orders',
                tableName: 'orders',
                tags: [{ key: 'classification', value: 'internal' }],
              },
            ],
            accountId: '222222222222',
            region: 'us-east-1',
          },
        },
      ],
    }),
  },
];
