/**
 * Scaffolder actions that provision Data Mesh Portal data products on AWS.
 *
 * @packageDocumentation
 */
export { scaffolderModuleDataMesh as default } from './module';
export * from './actions';
export type { AwsClients } from './lib/common';
