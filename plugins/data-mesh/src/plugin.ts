import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DataMeshSloClient, dataMeshSloApiRef } from './api/DataMeshSloApi';
import {
  AccessRequestsClient,
  dataMeshAccessRequestsApiRef,
} from './api/AccessRequestsClient';
import {
  DataMeshLineageClient,
  dataMeshLineageApiRef,
} from './api/DataMeshLineageApi';

/**
 * Route of the access requests inbox in the legacy frontend system.
 *
 * @public
 */
export const dataMeshAccessRequestsRouteRef = createRouteRef({
  id: 'data-mesh:access-requests',
});

/**
 * The Data Mesh Portal plugin for the legacy frontend system.
 *
 * @public
 */
export const dataMeshPlugin = createPlugin({
  id: 'data-mesh',
  apis: [
    createApiFactory({
      api: dataMeshSloApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshSloClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataMeshAccessRequestsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AccessRequestsClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataMeshLineageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshLineageClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { accessRequests: dataMeshAccessRequestsRouteRef },
});

/**
 * Ownership card for data product and dataset entity pages (legacy frontend).
 *
 * @public
 */
export const EntityDataMeshOwnershipCard = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataMeshOwnershipCard',
    component: {
      lazy: () =>
        import('./components/OwnershipCard').then(m => m.OwnershipCard),
    },
  }),
);

/**
 * SLO card for data product and dataset entity pages (legacy frontend).
 *
 * @public
 */
export const EntityDataMeshSloCard = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataMeshSloCard',
    component: {
      lazy: () => import('./components/SloCard').then(m => m.SloCard),
    },
  }),
);

/**
 * Access card for data product and dataset entity pages (legacy frontend):
 * the user's access and requests, *Request access*, and for reviewers the
 * pending requests and active grants.
 *
 * @public
 */
export const EntityDataMeshAccessCard = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataMeshAccessCard',
    component: {
      lazy: () => import('./components/AccessCard').then(m => m.AccessCard),
    },
  }),
);

/**
 * The access requests inbox page, with its header (legacy frontend).
 *
 * @public
 */
export const DataMeshAccessRequestsPage = dataMeshPlugin.provide(
  createRoutableExtension({
    name: 'DataMeshAccessRequestsPage',
    component: () =>
      import('./components/AccessRequestsPage').then(
        m => m.AccessRequestsPage,
      ),
    mountPoint: dataMeshAccessRequestsRouteRef,
  }),
);

/**
 * Lineage card for data product and dataset entity pages (legacy frontend).
 *
 * @public
 */
export const EntityDataMeshLineageCard = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataMeshLineageCard',
    component: {
      lazy: () => import('./components/LineageCard').then(m => m.LineageCard),
    },
  }),
);

/**
 * Full-page lineage, with column-level lineage, for an entity page tab
 * (legacy frontend: `<EntityLayout.Route path="/lineage" title="Lineage">`).
 *
 * @public
 */
export const EntityDataMeshLineageContent = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataMeshLineageContent',
    component: {
      lazy: () =>
        import('./components/LineageCard').then(m => m.LineageContent),
    },
  }),
);

/**
 * QuickSight dashboards card for data product and dataset entity pages
 * (legacy frontend).
 *
 * @public
 */
export const EntityDataMeshDashboardsCard = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataMeshDashboardsCard',
    component: {
      lazy: () =>
        import('./components/DashboardsCard').then(m => m.DashboardsCard),
    },
  }),
);
