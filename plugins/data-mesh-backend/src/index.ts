/**
 * Data Mesh Portal backend plugin: access requests and grants, SLO evaluation,
 * lineage and QuickSight dashboards.
 *
 * @packageDocumentation
 */
export { dataMeshPlugin as default } from './plugin';
