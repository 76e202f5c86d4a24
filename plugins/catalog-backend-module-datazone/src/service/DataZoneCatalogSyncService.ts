import { createServiceFactory } from '@backstage/backend-plugin-api';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  DataMeshCatalogSyncService,
  dataMeshCatalogSyncServiceRef,
  SyncDataProductRequest,
  SyncDataProductResult,
} from '@data-mesh-portal/plugin-data-mesh-node';

/**
 * What the sync service needs from a provider.
 *
 * @public
 */
export interface DataProductSyncTarget {
  readonly domainId: string;
  syncDataProduct(dataProductId: string): Promise<{ entityRefs: string[] }>;
}

/**
 * The "sync product now" service: routes a request to the DataZone provider
 * of the product's domain. The catalog module registers its providers here
 * when it starts; until then (or for a domain that is not configured) a
 * request fails with a clear error instead of waiting.
 *
 * @public
 */
export class DataZoneCatalogSyncService implements DataMeshCatalogSyncService {
  private readonly targets = new Map<string, DataProductSyncTarget>();
  private registered = false;

  /** Called by the catalog module with every configured provider. */
  register(targets: DataProductSyncTarget[]): void {
    for (const target of targets) {
      this.targets.set(target.domainId, target);
    }
    this.registered = true;
  }

  async syncDataProduct(request: SyncDataProductRequest): Promise<SyncDataProductResult> {
    const target = this.targets.get(request.domainId);
    if (!target) {
      if (!this.registered) {
        throw new ServiceUnavailableError(
          'The DataZone catalog module has not started (is @data-mesh-portal/plugin-catalog-backend-module-datazone installed?)',
        );
      }
      throw new NotFoundError(
        `DataZone domain ${request.domainId} is not configured under catalog.providers.datazone`,
      );
    }
    return target.syncDataProduct(request.dataProductId);
  }
}

/**
 * Service factory for `dataMeshCatalogSyncServiceRef`; installed together
 * with the catalog module by this package's default export.
 *
 * @public
 */
export const dataZoneCatalogSyncServiceFactory = createServiceFactory({
  service: dataMeshCatalogSyncServiceRef,
  deps: {},
  factory() {
    return new DataZoneCatalogSyncService();
  },
});
