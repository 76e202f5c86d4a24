import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  awsClientFactoryServiceRef,
  dataMeshCatalogSyncServiceRef,
} from '@data-mesh-portal/plugin-data-mesh-node';
import { createDataMeshActions } from './actions';

/**
 * Scaffolder module with the `data-mesh:*` actions that provision a data product.
 *
 * @public
 */
export const scaffolderModuleDataMesh = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'data-mesh',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        clients: awsClientFactoryServiceRef,
        sync: dataMeshCatalogSyncServiceRef,
      },
      async init({ scaffolder, clients, sync }) {
        scaffolder.addActions(...createDataMeshActions({ clients, sync }));
      },
    });
  },
});
