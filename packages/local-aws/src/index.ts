/**
 * The local AWS of the Data Mesh Portal: moto for S3, Glue, Lake Formation, STS, IAM,
 * Athena and QuickSight, a DataZone stand-in, and one SigV4 router in front of both.
 *
 * @packageDocumentation
 */
export { startLocalAws, type LocalAws } from './testing';
export { publishGlueTableProduct } from './publishProduct';
export {
  startLocalAwsServer,
  resetLocalAws,
  PortInUseError,
  type LocalAwsServer,
  type LocalAwsServerOptions,
} from './localAws';
export {
  LOCAL_AWS_ACCOUNTS,
  LOCAL_AWS_REGION,
  PRODUCER_ROLE_ARN,
  PRODUCER_ROLE_NAME,
  DUMMY_CREDENTIALS,
  type LocalAwsAccounts,
} from './accounts';
export {
  DATA_CONTRACT_FORM_FIELD,
  DATA_CONTRACT_FORM_TYPE_NAME,
  DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL,
  dataContractFormContent,
  readDataContractFormContent,
} from './seed/formTypes';
export { DEMO_DOMAIN_NAME, DEMO_PEOPLE, DEMO_PROJECTS } from './seed/demo';
export type { DemoMesh } from './seed';
export {
  GLUE_TABLE_ASSET_TYPE,
  GLUE_TABLE_FORM_TYPE,
} from './datazone/handlers/managedTypes';
export {
  DataZoneStandIn,
  type Middleware,
  type OperationCall,
  type WireResponse,
} from './datazone/server';
export type { GapFiller, ClaimRequest } from './router';
export { LocalAwsControl, ADMIN_PREFIX } from './admin/control';
export type { CountersSnapshot, OperationCount } from './admin/counters';
export {
  parseFaultSpec,
  type FaultKind,
  type FaultRule,
  type FaultSpec,
} from './admin/faults';
export { DATAZONE_DOCUMENTED_QUOTAS, type QuotaSettings } from './admin/quotas';
export { LocalAwsAdminClient } from './admin/client';
export { seedScaleMesh, type ScaleMesh, type ScaleSpec } from './scale/seed';
