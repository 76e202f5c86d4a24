import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { SloReport } from '@data-mesh-portal/plugin-data-mesh-common';

/**
 * Reads SLO reports from the data-mesh backend.
 *
 * @public
 */
export interface DataMeshSloApi {
  /** The SLO report of a data product (`System`) or dataset (`API`). */
  getSloReport(entity: CompoundEntityRef): Promise<SloReport>;
}

/**
 * The API ref of {@link DataMeshSloApi}.
 *
 * @public
 */
export const dataMeshSloApiRef = createApiRef<DataMeshSloApi>({
  id: 'plugin.data-mesh.slo',
});

/**
 * {@link DataMeshSloApi} over HTTP (`GET /api/data-mesh/slo/:kind/:namespace/:name`).
 *
 * @public
 */
export class DataMeshSloClient implements DataMeshSloApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getSloReport(entity: CompoundEntityRef): Promise<SloReport> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('data-mesh');
    const path = [entity.kind, entity.namespace, entity.name]
      .map(part => encodeURIComponent(part))
      .join('/');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}/slo/${path}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as SloReport;
  }
}
