import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DataMeshSloClient, dataMeshSloApiRef } from './api/DataMeshSloApi';

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
  ],
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
