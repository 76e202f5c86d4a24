import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

/**
 * Catalog module that ingests Amazon DataZone (domain units, projects, data products,
 * published assets) into the Backstage catalog.
 *
 * @public
 */
export const catalogModuleDataZone = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'datazone',
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger, config: coreServices.rootConfig },
      async init({ logger, config }) {
        if (!config.has('catalog.providers.datazone')) {
          logger.info('No catalog.providers.datazone config; DataZone sync is off');
        }
      },
    });
  },
});
