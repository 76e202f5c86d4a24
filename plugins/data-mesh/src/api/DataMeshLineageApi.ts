import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DashboardEmbedRequest,
  DashboardEmbedResponse,
  DashboardsResponse,
  LineageGraph,
} from '@data-mesh-portal/plugin-data-mesh-common';

/**
 * Reads lineage graphs and QuickSight dashboards from the data-mesh backend.
 *
 * @public
 */
export interface DataMeshLineageApi {
  /** The lineage graph of a data product or dataset, `depth` levels each way. */
  getLineage(entity: CompoundEntityRef, depth?: number): Promise<LineageGraph>;
  /** The QuickSight dashboards built on a data product's or dataset's tables. */
  getDashboards(entity: CompoundEntityRef): Promise<DashboardsResponse>;
  /**
   * A fresh, single-use embed URL of one of the entity's dashboards for the
   * signed-in user. Never cache it. A 404 whose `error.name` is
   * `QuickSightUserNotFoundError` means the user has no QuickSight account.
   */
  getEmbedUrl(request: DashboardEmbedRequest): Promise<DashboardEmbedResponse>;
}

/**
 * The API ref of {@link DataMeshLineageApi}.
 *
 * @public
 */
export const dataMeshLineageApiRef = createApiRef<DataMeshLineageApi>({
  id: 'plugin.data-mesh.lineage',
});

const entityPath = (entity: CompoundEntityRef) =>
  [entity.kind, entity.namespace, entity.name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/');

/**
 * {@link DataMeshLineageApi} over HTTP: `GET /lineage/:kind/:namespace/:name`,
 * `GET /dashboards/:kind/:namespace/:name`, `POST /dashboards/embed-url`.
 *
 * @public
 */
export class DataMeshLineageClient implements DataMeshLineageApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('data-mesh');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}`,
      init,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  getLineage(entity: CompoundEntityRef, depth?: number): Promise<LineageGraph> {
    const query = depth ? `?depth=${depth}` : '';
    return this.request(`/lineage/${entityPath(entity)}${query}`);
  }

  getDashboards(entity: CompoundEntityRef): Promise<DashboardsResponse> {
    return this.request(`/dashboards/${entityPath(entity)}`);
  }

  getEmbedUrl(request: DashboardEmbedRequest): Promise<DashboardEmbedResponse> {
    return this.request('/dashboards/embed-url', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        entityRef: request.entityRef,
        dashboardId: request.dashboardId,
      }),
      cache: 'no-store',
    });
  }
}
