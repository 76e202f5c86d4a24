import { DataZoneClient } from '@aws-sdk/client-datazone';
import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  awsClientFactoryServiceRef,
  dataMeshCatalogSyncServiceRef,
} from '@data-mesh-portal/plugin-data-mesh-node';
import { DataZoneRelationsProcessor } from './processor/DataZoneRelationsProcessor';
import { CatalogServiceView } from './provider/CatalogView';
import { DataZoneEntityProvider } from './provider/DataZoneEntityProvider';
import {
  DataZoneCatalogSyncService,
  dataZoneCatalogSyncServiceFactory,
} from './service/DataZoneCatalogSyncService';

/**
 * Catalog module that ingests Amazon DataZone (domain units, projects, data
 * products, published assets) into the Backstage catalog and turns approved
 * subscriptions into relations. Needs the "sync product now" service
 * ({@link dataZoneCatalogSyncServiceFactory}); the package's default export
 * installs both.
 *
 * @public
 */
export const catalogModuleDataZone = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'datazone',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        catalogService: catalogServiceRef,
        awsClients: awsClientFactoryServiceRef,
        syncService: dataMeshCatalogSyncServiceRef,
      },
      async init({ catalog, config, logger, scheduler, auth, catalogService, awsClients, syncService }) {
        // The processor is harmless without providers and keeps relations of
        // entities an earlier configuration created until they are removed.
        catalog.addProcessor(new DataZoneRelationsProcessor());
        const providers = DataZoneEntityProvider.fromConfig(config, {
          logger,
          scheduler,
          catalog: new CatalogServiceView(catalogService, auth),
          clients: target => awsClients.getClient(DataZoneClient, target),
        });
        if (providers.length === 0) {
          logger.info('No catalog.providers.datazone config; DataZone sync is off');
        }
        catalog.addEntityProvider(providers);
        if (syncService instanceof DataZoneCatalogSyncService) {
          syncService.register(providers);
        }
      },
    });
  },
});

/**
 * The catalog module plus the "sync product now" service factory, so one
 * `backend.add(import('@data-mesh-portal/plugin-catalog-backend-module-datazone'))`
 * installs everything.
 *
 * @public
 */
export const catalogModuleDataZoneFeatures = createBackendFeatureLoader({
  loader() {
    return [catalogModuleDataZone, dataZoneCatalogSyncServiceFactory];
  },
});
