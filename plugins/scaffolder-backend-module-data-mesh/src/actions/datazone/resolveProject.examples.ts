import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "Find the owning group's project in the product's domain unit",
    example: yaml.stringify({
      steps: [
        {
          id: 'project',
          action: 'data-mesh:datazone:resolve-project',
          name: "Find the owning team's DataZone project",
          input: {
            domainId: 'dzd_4p9n6sw4qt9xgn',
            region: 'us-east-1',
            owner: 'group:default/sales-domain',
            domainUnitId: 'b3lbjqmcqv6kl4',
          },
        },
      ],
    }),
  },
];
