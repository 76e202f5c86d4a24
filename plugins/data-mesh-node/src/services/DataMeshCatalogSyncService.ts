import { createServiceRef } from '@backstage/backend-plugin-api';

/**
 * Which data product to sync.
 *
 * @public
 */
export interface SyncDataProductRequest {
  /** The DataZone domain id, e.g. `dzd_4p9n6sw4qt9xgn`. */
  domainId: string;
  /** The DataZone data product id. */
  dataProductId: string;
}

/**
 * What a product sync wrote to the catalog.
 *
 * @public
 */
export interface SyncDataProductResult {
  /** Refs of every entity applied for the product (its System, dataset APIs, resources, …). */
  entityRefs: string[];
}

/**
 * "Sync product now": reads one data product (and its listings) from DataZone
 * and applies it to the catalog as a delta mutation, within seconds, instead
 * of waiting for the next scheduled full sync. The scaffolder calls it after
 * creating a product; the access flows call it after changes.
 *
 * Errors are `@backstage/errors` types: `NotFoundError` when the product does
 * not exist (or the domain is not configured), `ServiceUnavailableError` when
 * DataZone could not be read. A failed read changes nothing in the catalog.
 *
 * @public
 */
export interface DataMeshCatalogSyncService {
  syncDataProduct(
    request: SyncDataProductRequest,
  ): Promise<SyncDataProductResult>;
}

/**
 * Service ref for {@link DataMeshCatalogSyncService}.
 *
 * It has no default factory: the implementation comes with
 * `@data-mesh-portal/plugin-catalog-backend-module-datazone`, which owns the
 * DataZone entity provider, and provides a factory for this ref. Root scoped,
 * so the catalog module and its callers in other plugins (scaffolder, the
 * data-mesh backend) share one instance. A backend that depends on this ref
 * without installing the catalog module fails at startup, naming the ref.
 *
 * @public
 */
export const dataMeshCatalogSyncServiceRef =
  createServiceRef<DataMeshCatalogSyncService>({
    id: 'data-mesh.catalog-sync',
    scope: 'root',
  });
