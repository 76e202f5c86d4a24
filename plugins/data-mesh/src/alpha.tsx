import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  isDataProductEntity,
  isDatasetEntity,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { Entity } from '@backstage/catalog-model';
import { DataMeshSloClient, dataMeshSloApiRef } from './api/DataMeshSloApi';
import {
  AccessRequestsClient,
  dataMeshAccessRequestsApiRef,
} from './api/AccessRequestsClient';
import {
  DataMeshLineageClient,
  dataMeshLineageApiRef,
} from './api/DataMeshLineageApi';

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
 * The access requests API client (`api:data-mesh/access-requests`).
 *
 * @alpha
 */
export const dataMeshAccessRequestsApi = ApiBlueprint.make({
  name: 'access-requests',
  params: defineParams =>
    defineParams({
      api: dataMeshAccessRequestsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AccessRequestsClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * Access card (`entity-card:data-mesh/access`) on data product and dataset
 * pages: the user's access and requests, *Request access*, and for reviewers
 * the pending requests and active grants.
 *
 * @alpha
 */
export const dataMeshAccessCard = EntityCardBlueprint.make({
  name: 'access',
  params: {
    filter: isDataProductOrDataset,
    loader: () => import('./components/AccessCard').then(m => <m.AccessCard />),
  },
});

/**
 * Route of the access requests inbox.
 *
 * @alpha
 */
export const accessRequestsRouteRef = createRouteRef();

/**
 * The reviewers' inbox page (`page:data-mesh/access-requests`) at
 * `/data-mesh/access-requests`; its title and icon make its nav item.
 *
 * @alpha
 */
export const dataMeshAccessRequestsPage = PageBlueprint.make({
  name: 'access-requests',
  params: {
    path: '/data-mesh/access-requests',
    title: 'Access requests',
    icon: <LockOpenIcon />,
    routeRef: accessRequestsRouteRef,
    loader: () =>
      import('./components/AccessRequestsPage').then(m => (
        <m.AccessRequestsContent />
      )),
  },
});

/**
 * The lineage and dashboards API client (`api:data-mesh/lineage`).
 *
 * @alpha
 */
export const dataMeshLineageApi = ApiBlueprint.make({
  name: 'lineage',
  params: defineParams =>
    defineParams({
      api: dataMeshLineageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshLineageClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * Lineage card (`entity-card:data-mesh/lineage`) on data product and dataset
 * pages: the DataZone lineage graph with consumers and dashboards.
 *
 * @alpha
 */
export const dataMeshLineageCard = EntityCardBlueprint.make({
  name: 'lineage',
  params: {
    filter: isDataProductOrDataset,
    loader: () =>
      import('./components/LineageCard').then(m => <m.LineageCard />),
  },
});

/**
 * Full-page lineage tab (`entity-content:data-mesh/lineage`, path `/lineage`)
 * on data product and dataset pages, with column-level lineage.
 *
 * @alpha
 */
export const dataMeshLineageContent = EntityContentBlueprint.make({
  name: 'lineage',
  params: {
    path: '/lineage',
    title: 'Lineage',
    filter: isDataProductOrDataset,
    loader: () =>
      import('./components/LineageCard').then(m => <m.LineageContent />),
  },
});

/**
 * Dashboards card (`entity-card:data-mesh/dashboards`) on data product and
 * dataset pages: QuickSight dashboards built on its tables, opened embedded.
 *
 * @alpha
 */
export const dataMeshDashboardsCard = EntityCardBlueprint.make({
  name: 'dashboards',
  params: {
    filter: isDataProductOrDataset,
    loader: () =>
      import('./components/DashboardsCard').then(m => <m.DashboardsCard />),
  },
});

/**
 * The Data Mesh Portal frontend plugin for the new frontend system: the
 * ownership, SLO and access entity cards, the access requests inbox and
 * their APIs.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'data-mesh',
  routes: { accessRequests: accessRequestsRouteRef },
  extensions: [
    dataMeshSloApi,
    dataMeshOwnershipCard,
    dataMeshSloCard,
    dataMeshAccessRequestsApi,
    dataMeshAccessCard,
    dataMeshAccessRequestsPage,
    dataMeshLineageApi,
    dataMeshLineageCard,
    dataMeshLineageContent,
    dataMeshDashboardsCard,
  ],
});
