/**
 * Data Mesh Portal backend plugin: access requests and grants, SLO evaluation,
 * lineage and QuickSight dashboards.
 *
 * @packageDocumentation
 */
export { dataMeshPlugin as default } from './plugin';
export {
  dataMeshEntityResourceRef,
  dataMeshEntityRules,
  dataMeshEntityConditions,
  createDataMeshEntityConditionalDecision,
  isDataOwnerRule,
  isContractApproverRule,
} from './permissions/rules';
export type { DataMeshEntityResource } from './permissions/rules';
export type { AccessRequestFilter } from './database/AccessRequestStore';
