import {
  CreateAssetCommand,
  CreateDataProductCommand,
  CreateListingChangeSetCommand,
  type DataZoneClient,
} from '@aws-sdk/client-datazone';
import { LOCAL_AWS_ACCOUNTS, LOCAL_AWS_REGION } from './accounts';
import { GLUE_TABLE_ASSET_TYPE } from './datazone/handlers/managedTypes';

/**
 * Publishes a data product with one Glue table dataset (one `id bigint`
 * column, no data-contract form) through the real SDK, as a producer would:
 * for journeys, cluster checks and benchmarks that need a product the seed
 * lacks. Resolves to the ids DataZone gave.
 */
export async function publishGlueTableProduct(
  dz: DataZoneClient,
  options: {
    domainId: string;
    projectId: string;
    name: string;
    tableName: string;
    /** The Glue database named in the table ARN. */
    database: string;
    /** The table's account (default: the producer account). */
    accountId?: string;
    region?: string;
  },
): Promise<{ dataProductId: string; assetId: string }> {
  const accountId = options.accountId ?? LOCAL_AWS_ACCOUNTS.producer;
  const region = options.region ?? LOCAL_AWS_REGION;
  const asset = await dz.send(
    new CreateAssetCommand({
      domainIdentifier: options.domainId,
      owningProjectIdentifier: options.projectId,
      name: options.tableName,
      typeIdentifier: GLUE_TABLE_ASSET_TYPE,
      formsInput: [
        {
          formName: 'GlueTableForm',
          content: JSON.stringify({
            catalogId: accountId,
            region,
            tableArn: `arn:aws:glue:${region}:${accountId}:table/${options.database}/${options.tableName}`,
            tableName: options.tableName,
            columns: [{ columnName: 'id', dataType: 'bigint' }],
          }),
        },
      ],
    }),
  );
  const product = await dz.send(
    new CreateDataProductCommand({
      domainIdentifier: options.domainId,
      owningProjectIdentifier: options.projectId,
      name: options.name,
      items: [{ itemType: 'ASSET', identifier: asset.id! }],
    }),
  );
  await dz.send(
    new CreateListingChangeSetCommand({
      domainIdentifier: options.domainId,
      entityIdentifier: product.id!,
      entityType: 'DATA_PRODUCT',
      action: 'PUBLISH',
    }),
  );
  return { dataProductId: product.id!, assetId: asset.id! };
}
