import { Entity } from '@backstage/catalog-model';

/**
 * `spec.type` of a `System` entity that stands for a DataZone data product.
 *
 * @public
 */
export const DATA_PRODUCT_SYSTEM_TYPE = 'data-product';

/**
 * `spec.type` of an `API` entity that stands for a published DataZone asset
 * listing (a dataset); its `spec.definition` is the dataset's ODCS contract.
 *
 * @public
 */
export const DATASET_API_TYPE = 'dataset';

/**
 * `spec.type` of a `Group` entity that stands for a DataZone project.
 *
 * @public
 */
export const DATA_TEAM_GROUP_TYPE = 'data-team';

/**
 * `spec.type` of a `Resource` entity that stands for an S3 bucket.
 *
 * @public
 */
export const S3_BUCKET_RESOURCE_TYPE = 's3-bucket';

/**
 * `spec.type` of a `Resource` entity that stands for a Glue database.
 *
 * @public
 */
export const GLUE_DATABASE_RESOURCE_TYPE = 'glue-database';

/**
 * Value of {@link ANNOTATION_DATA_CONTRACT_SOURCE} when a dataset's contract was
 * copied from its data product's contract.
 *
 * @public
 */
export const DATA_CONTRACT_SOURCE_PRODUCT = 'data-product';

/**
 * Value of {@link ANNOTATION_DATA_CONTRACT_SOURCE} when a dataset's contract was
 * generated from the asset's columns (no SLAs).
 *
 * @public
 */
export const DATA_CONTRACT_SOURCE_GENERATED = 'generated';

function hasKindAndType(entity: Entity, kind: string, type: string): boolean {
  // Kinds compare case-insensitively in Backstage; spec types are plain strings.
  return (
    entity.kind.toLocaleLowerCase('en-US') === kind &&
    entity.spec?.type === type
  );
}

/**
 * Whether an entity is a data product (`System` with `spec.type: data-product`).
 *
 * @public
 */
export function isDataProductEntity(entity: Entity): boolean {
  return hasKindAndType(entity, 'system', DATA_PRODUCT_SYSTEM_TYPE);
}

/**
 * Whether an entity is a dataset (`API` with `spec.type: dataset`).
 *
 * @public
 */
export function isDatasetEntity(entity: Entity): boolean {
  return hasKindAndType(entity, 'api', DATASET_API_TYPE);
}

/**
 * Whether an entity is a data team (`Group` with `spec.type: data-team`).
 *
 * @public
 */
export function isDataTeamEntity(entity: Entity): boolean {
  return hasKindAndType(entity, 'group', DATA_TEAM_GROUP_TYPE);
}
