import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Show the new product in the catalog right away',
    example: yaml.stringify({
      steps: [
        {
          id: 'sync',
          action: 'data-mesh:catalog:sync-product',
          name: 'Sync the product into the catalog',
          input: {
            domainId: 'dzd_4p9n6sw4qt9xgn',
            dataProductId: '${{ steps.publish.output.dataProductId }}',
          },
        },
      ],
    }),
  },
];
