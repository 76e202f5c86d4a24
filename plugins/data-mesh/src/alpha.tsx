import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  isDataProductEntity,
  isDatasetEntity,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { Entity } from '@backstage/catalog-model';
import { DataMeshSloClient, dataMeshSloApiRef } from './api/DataMeshSloApi';

const isDataProductOrDataset = (entity: Entity) =>
  isDataProductEntity(entity) || isDatasetEntity(entity);

/**
 * The SLO API client (`plugin.data-mesh.slo`).
 *
 * @alpha
 */
export const dataMeshSloApi = ApiBlueprint.make({
  name: 'slo',
  params: defineParams =>
    defineParams({
      api: dataMeshSloApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshSloClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * Ownership card on data product (`System`, type data-product) and dataset
 * (`API`, type dataset) pages.
 *
 * @alpha
 */
export const dataMeshOwnershipCard = EntityCardBlueprint.make({
  name: 'ownership',
  params: {
    filter: isDataProductOrDataset,
    loader: () =>
      import('./components/OwnershipCard').then(m => <m.OwnershipCard />),
  },
});

/**
 * SLO card on data product and dataset pages.
 *
 * @alpha
 */
export const dataMeshSloCard = EntityCardBlueprint.make({
  name: 'slo',
  params: {
    filter: isDataProductOrDataset,
    loader: () => import('./components/SloCard').then(m => <m.SloCard />),
  },
});

/**
 * The Data Mesh Portal frontend plugin for the new frontend system: the
 * ownership and SLO entity cards and their API.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'data-mesh',
  extensions: [dataMeshSloApi, dataMeshOwnershipCard, dataMeshSloCard],
});
