import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "Import the product's Glue database into the owning project",
    example: yaml.stringify({
      steps: [
        {
          id: 'data-source',
          action: 'data-mesh:datazone:run-data-source',
          name: 'Run the DataZone data source',
          input: {
            domainId: 'dzd_4p9n6sw4qt9xgn',
            region: 'us-east-1',
            projectId: 'po1v8iiuso92sn',
            environmentId: 'y9vfhm44b7l0lc',
            databaseName: 'sales_orders',
          },
        },
      ],
    }),
  },
  {
    description:
      'Import the tables a crawler wrote and wait for the run, so that the next step can publish their assets',
    example: yaml.stringify({
      steps: [
        {
          id: 'data-source',
          action: 'data-mesh:datazone:run-data-source',
          name: 'Import the crawled tables',
          input: {
            domainId: 'dzd_4p9n6sw4qt9xgn',
            region: 'us-east-1',
            projectId: 'po1v8iiuso92sn',
            environmentId: 'y9vfhm44b7l0lc',
            databaseName: 'sales_orders',
            waitForRun: true,
            waitTimeoutSeconds: 900,
          },
        },
      ],
    }),
  },
];
