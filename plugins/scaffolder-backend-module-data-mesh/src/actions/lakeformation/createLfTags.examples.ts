import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'The classification and domain LF-tags',
    example: yaml.stringify({
      steps: [
        {
          id: 'lf-tags',
          action: 'data-mesh:lakeformation:create-lf-tags',
          name: 'Define LF-tags',
          input: {
            tags: [
              {
                key: 'classification',
                values: ['public', 'internal', 'confidential', 'restricted'],
              },
              { key: 'domain', values: ['sales'] },
            ],
            accountId: '222222222222',
            region: 'us-east-1',
          },
        },
      ],
    }),
  },
];
