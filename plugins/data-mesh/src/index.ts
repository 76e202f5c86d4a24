/**
 * Data Mesh Portal frontend plugin. Legacy (old frontend system) exports live here;
 * the new frontend system uses `@data-mesh-portal/plugin-data-mesh/alpha`.
 *
 * @packageDocumentation
 */
export {
  dataMeshPlugin,
  EntityDataMeshOwnershipCard,
  EntityDataMeshSloCard,
  EntityDataMeshAccessCard,
  DataMeshAccessRequestsPage,
  dataMeshAccessRequestsRouteRef,
  EntityDataMeshLineageCard,
  EntityDataMeshLineageContent,
  EntityDataMeshDashboardsCard,
} from './plugin';
export { dataMeshSloApiRef, DataMeshSloClient } from './api/DataMeshSloApi';
export type { DataMeshSloApi } from './api/DataMeshSloApi';
export {
  dataMeshAccessRequestsApiRef,
  AccessRequestsClient,
  DataMeshApiError,
} from './api/AccessRequestsClient';
export type { DataMeshAccessRequestsApi } from './api/AccessRequestsClient';
export {
  dataMeshLineageApiRef,
  DataMeshLineageClient,
} from './api/DataMeshLineageApi';
export type { DataMeshLineageApi } from './api/DataMeshLineageApi';
