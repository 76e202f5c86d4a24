/*
 * Publishing in the local AWS's demo DataZone domain as a producer would, through the
 * real SDK: used by journeys and cluster checks that need a product the seed lacks.
 */
import { DataZoneClient } from '@aws-sdk/client-datazone';
import { publishGlueTableProduct } from '@data-mesh-portal/local-aws';

// A fixed id of the demo seed (catalog/demo-org.yaml): the sales domain team's project.
export const SALES_PROJECT_ID = 'po1v8iiuso92sn';

/**
 * Publishes a data product of the sales team with one Glue table dataset (producer
 * account 222222222222) and no data-contract form. Resolves to the product's id.
 */
export async function publishDataProduct(options: {
  endpoint: string;
  domainId: string;
  name: string;
  /** The Glue database named in the table ARN. */
  database: string;
}): Promise<string> {
  const dz = new DataZoneClient({
    endpoint: options.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const published = await publishGlueTableProduct(dz, {
      domainId: options.domainId,
      projectId: SALES_PROJECT_ID,
      name: options.name,
      tableName: options.name.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
      database: options.database,
    });
    return published.dataProductId;
  } finally {
    dz.destroy();
  }
}
