/**
 * Shared model of the Data Mesh Portal: entity model constants, the entity
 * naming function, permissions and ODCS v3 data contract types and validation.
 * Works in the browser and in Node.
 *
 * @packageDocumentation
 */

export * from './entityModel/annotations';
export * from './entityModel/types';
export {
  dataMeshEntityName,
  MAX_ENTITY_NAME_LENGTH,
} from './naming/dataMeshEntityName';
export type {
  DataMeshEntityNameInput,
  DataMeshObjectKind,
} from './naming/dataMeshEntityName';
export * from './permissions';
export * from './contracts/types';
export {
  validateDataContract,
  parseDataContract,
  formatDataContractErrors,
  ODCS_SCHEMA_VERSION,
} from './contracts/validateDataContract';
export {
  loadContractDocument,
  stringifyDataContract,
} from './contracts/contractText';
export type { ContractTextResult } from './contracts/contractText';
export {
  buildDatasetContract,
  findSchemaObject,
} from './contracts/datasetContract';
export {
  generateDataContract,
  isGeneratedDataContract,
  logicalTypeOf,
  GENERATED_CONTRACT_PROPERTY,
} from './contracts/generateDataContract';
export type {
  DatasetColumn,
  GenerateDataContractInput,
} from './contracts/generateDataContract';
export * from './contracts/dataContractForm';
export * from './accessRequests';
export * from './slo';
export * from './lineage';
export * from './dashboards';
