/**
 * Prefix of every annotation the Data Mesh Portal writes on catalog entities.
 *
 * @public
 */
export const DATA_MESH_ANNOTATION_PREFIX = 'data-mesh-portal.io/';

/**
 * Id of the Amazon DataZone domain an entity was read from (e.g. `dzd_abc123`).
 * Present on every entity the DataZone provider emits.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_DOMAIN_ID =
  'data-mesh-portal.io/datazone-domain-id';

/**
 * Id of the DataZone domain unit an entity belongs to. On a `Domain` entity it
 * is the unit the domain was made from.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_DOMAIN_UNIT_ID =
  'data-mesh-portal.io/datazone-domain-unit-id';

/**
 * Id of the DataZone project a `Group` (`spec.type: data-team`) was made from.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_PROJECT_ID =
  'data-mesh-portal.io/datazone-project-id';

/**
 * Id of the DataZone data product a `System` (`spec.type: data-product`) was
 * made from; on a dataset `API`, the product it belongs to.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_DATA_PRODUCT_ID =
  'data-mesh-portal.io/datazone-data-product-id';

/**
 * Id of the DataZone asset a dataset `API` was made from.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_ASSET_ID =
  'data-mesh-portal.io/datazone-asset-id';

/**
 * DataZone asset type of a dataset (e.g. `amazon.datazone.GlueTableAssetType`).
 *
 * @public
 */
export const ANNOTATION_DATAZONE_ASSET_TYPE =
  'data-mesh-portal.io/datazone-asset-type';

/**
 * Id of the published DataZone listing of a data product or dataset: what a
 * subscription (access) request is made against.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_LISTING_ID =
  'data-mesh-portal.io/datazone-listing-id';

/**
 * Revision of the DataZone listing the entity was built from.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_LISTING_REVISION =
  'data-mesh-portal.io/datazone-listing-revision';

/**
 * Id of a DataZone environment (for a team: the data-lake environment whose
 * role receives the grants in DataZone mode).
 *
 * @public
 */
export const ANNOTATION_DATAZONE_ENVIRONMENT_ID =
  'data-mesh-portal.io/datazone-environment-id';

/**
 * Id of the DataZone project that owns a data product or asset.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_OWNING_PROJECT_ID =
  'data-mesh-portal.io/datazone-owning-project-id';

/**
 * URL of the object's page in the DataZone data portal.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_PORTAL_URL =
  'data-mesh-portal.io/datazone-portal-url';

/**
 * The 12-digit AWS account id that holds the object.
 *
 * @public
 */
export const ANNOTATION_AWS_ACCOUNT_ID = 'data-mesh-portal.io/aws-account-id';

/**
 * The AWS region that holds the object (e.g. `eu-west-1`).
 *
 * @public
 */
export const ANNOTATION_AWS_REGION = 'data-mesh-portal.io/aws-region';

/**
 * Name of the AWS Glue database behind a dataset or a `glue-database` resource.
 *
 * @public
 */
export const ANNOTATION_GLUE_DATABASE = 'data-mesh-portal.io/glue-database';

/**
 * Name of the AWS Glue table behind a dataset.
 *
 * @public
 */
export const ANNOTATION_GLUE_TABLE = 'data-mesh-portal.io/glue-table';

/**
 * Name of the S3 bucket behind a dataset or an `s3-bucket` resource.
 *
 * @public
 */
export const ANNOTATION_S3_BUCKET = 'data-mesh-portal.io/s3-bucket';

/**
 * On a `Group`: ARN of the IAM role that receives Lake Formation grants for the
 * team in Lake Formation mode (validated to exist before granting).
 *
 * @public
 */
export const ANNOTATION_LAKE_FORMATION_PRINCIPAL_ROLE_ARN =
  'data-mesh-portal.io/lakeformation-principal-role-arn';

/**
 * Where a dataset's `spec.definition` came from: {@link DATA_CONTRACT_SOURCE_PRODUCT}
 * (copied from the product's contract) or {@link DATA_CONTRACT_SOURCE_GENERATED}
 * (generated from the asset's schema, without SLAs).
 *
 * @public
 */
export const ANNOTATION_DATA_CONTRACT_SOURCE =
  'data-mesh-portal.io/data-contract-source';

/**
 * Backstage's well-known annotation for the ARN of the AWS resource an entity
 * stands for.
 *
 * @public
 */
export const ANNOTATION_AWS_ARN = 'amazonaws.com/arn';

/**
 * On a dataset `API` whose contract failed ODCS validation: the validation
 * messages, one `path: message` per line. The contract is kept in
 * `spec.definition` as it was, never dropped.
 *
 * @public
 */
export const ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS =
  'data-mesh-portal.io/data-contract-validation-errors';

/**
 * On a dataset `API`: comma-separated entity refs of the groups (or systems)
 * holding an approved DataZone subscription to it. Written by the DataZone
 * provider; the module's processor turns it into `apiConsumedBy` /
 * `consumesApi` relations.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_CONSUMERS =
  'data-mesh-portal.io/datazone-consumers';

/**
 * On a dataset `API`: comma-separated entity refs of the storage `Resource`s
 * (S3 bucket, Glue database) it lives in. Written by the DataZone provider;
 * the module's processor turns it into `dependsOn` / `dependencyOf` relations.
 *
 * @public
 */
export const ANNOTATION_DATAZONE_STORAGE =
  'data-mesh-portal.io/storage-resources';
