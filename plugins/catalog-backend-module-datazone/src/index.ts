/**
 * Amazon DataZone entity provider for the Backstage catalog.
 *
 * @packageDocumentation
 */
export { catalogModuleDataZoneFeatures as default } from './module';
export { catalogModuleDataZone } from './module';
export { DataZoneEntityProvider } from './provider/DataZoneEntityProvider';
export type {
  DataZoneClientSource,
  DataZoneEntityProviderOptions,
  DataZoneSyncSummary,
} from './provider/DataZoneEntityProvider';
export { CatalogServiceView } from './provider/CatalogView';
export type { DataZoneCatalogView } from './provider/CatalogView';
export { checkRemovals } from './provider/removalGuard';
export type { RemovalDecision } from './provider/removalGuard';
export { DataZoneRelationsProcessor } from './processor/DataZoneRelationsProcessor';
export {
  DataZoneCatalogSyncService,
  dataZoneCatalogSyncServiceFactory,
} from './service/DataZoneCatalogSyncService';
export type { DataProductSyncTarget } from './service/DataZoneCatalogSyncService';
export { readDataZoneProviderConfigs, DATAZONE_PROVIDER_CONFIG_KEY } from './config';
export type { DataZoneProviderConfig, RemovalGuardConfig } from './config';
export { mapSnapshotToEntities, BUILT_IN_ASSET_TYPES } from './mapping/mapSnapshot';
export type { MappingOptions, MappingResult, SkippedItem } from './mapping/mapSnapshot';
export { DataZoneReader, DataZoneReadError } from './read/DataZoneReader';
export type {
  DataZoneApi,
  DataZoneCallCounts,
  DataZoneReaderOptions,
} from './read/DataZoneReader';
export type * from './read/types';
