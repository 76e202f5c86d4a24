/**
 * Node.js library of the Data Mesh Portal: the shared AWS client factory, the
 * mapping of AWS errors to `@backstage/errors`, and the "sync product now"
 * service interface.
 *
 * @packageDocumentation
 */

export { AwsClientFactory, DATA_MESH_USER_AGENT } from './aws/AwsClientFactory';
export type {
  AwsClientFactoryFromConfigOptions,
  AwsClientFactoryOptions,
  AwsClientTarget,
  AwsSdkClientClass,
  AwsSdkClientConfig,
} from './aws/AwsClientFactory';
export {
  awsClientFactoryServiceRef,
  awsClientFactoryServiceFactory,
} from './aws/awsClientFactoryService';
export { mapAwsError } from './errors/mapAwsError';
export type { AwsErrorContext } from './errors/mapAwsError';
export { dataMeshCatalogSyncServiceRef } from './services/DataMeshCatalogSyncService';
export type {
  DataMeshCatalogSyncService,
  SyncDataProductRequest,
  SyncDataProductResult,
} from './services/DataMeshCatalogSyncService';
