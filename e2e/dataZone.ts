/*
 * Publishing in the local AWS's demo DataZone domain as a producer would, through the
 * real SDK: used by journeys and cluster checks that need a product the seed lacks.
 */
import {
  CreateAssetCommand,
  CreateDataProductCommand,
  CreateListingChangeSetCommand,
  DataZoneClient,
} from '@aws-sdk/client-datazone';

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
    const domainIdentifier = options.domainId;
    const tableName = options.name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    const asset = await dz.send(
      new CreateAssetCommand({
        domainIdentifier,
        owningProjectIdentifier: SALES_PROJECT_ID,
        name: tableName,
        typeIdentifier: 'amazon.datazone.GlueTableAssetType',
        formsInput: [
          {
            formName: 'GlueTableForm',
            content: JSON.stringify({
              catalogId: '222222222222',
              region: 'us-east-1',
              tableArn: `arn:aws:glue:us-east-1:222222222222:table/${options.database}/${tableName}`,
              tableName,
              columns: [{ columnName: 'id', dataType: 'bigint' }],
            }),
          },
        ],
      }),
    );
    const product = await dz.send(
      new CreateDataProductCommand({
        domainIdentifier,
        owningProjectIdentifier: SALES_PROJECT_ID,
        name: options.name,
        items: [{ itemType: 'ASSET', identifier: asset.id! }],
      }),
    );
    await dz.send(
      new CreateListingChangeSetCommand({
        domainIdentifier,
        entityIdentifier: product.id!,
        entityType: 'DATA_PRODUCT',
        action: 'PUBLISH',
      }),
    );
    return product.id!;
  } finally {
    dz.destroy();
  }
}
