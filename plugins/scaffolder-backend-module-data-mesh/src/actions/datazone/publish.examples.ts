import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish a product whose contract is built from the Glue schema and the SLOs given',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'data-mesh:datazone:publish',
          name: 'Publish in DataZone',
          input: {
            domainId: 'dzd_4p9n6sw4qt9xgn',
            region: 'us-east-1',
            projectId: 'po1v8iiuso92sn',
            productName: 'Orders',
            description: 'Orders placed in stores and online.',
            glueAccountId: '222222222222',
            databaseName: 'sales_orders',
            tables: ['orders'],
            contractDetails: {
              domain: 'Sales',
              owner: 'group:default/sales-domain',
              approverGroup: 'group:default/sales-domain',
              classification: 'internal',
              slos: {
                freshnessHours: 24,
                frequency: 'daily',
                completenessPercent: 99.5,
                availabilityPercent: 99.9,
              },
            },
          },
        },
      ],
    }),
  },
];
