import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { dataMeshPermissions } from '@data-mesh-portal/plugin-data-mesh-common';
import { awsClientFactoryServiceRef } from '@data-mesh-portal/plugin-data-mesh-node';
import { DatabaseAccessRequestStore } from './database/DatabaseAccessRequestStore';
import { DataZoneGrantProvider } from './grants/DataZoneGrantProvider';
import { LakeFormationGrantProvider } from './grants/LakeFormationGrantProvider';
import { GrantProvider } from './grants/types';
import { dataMeshEntityResourceRef, dataMeshEntityRules } from './permissions/rules';
import { AccessRequestService } from './service/AccessRequestService';
import { AccessEntities } from './service/entities';
import { Notifier } from './service/Notifier';
import { createRouter } from './service/router';
import { readAccessRequestSettings } from './service/settings';
import { setupSlo } from './slo/setup';
import { createDashboardsRouter } from './dashboards/router';
import { createQuickSightDashboards } from './dashboards/QuickSightDashboards';
import { createLineageRouter } from './lineage/router';

/**
 * The data-mesh backend plugin, served at `/api/data-mesh`: access requests
 * with real grants (Lake Formation or DataZone), review through the
 * permission framework, expiry and reconciliation jobs.
 *
 * @public
 */
export const dataMeshPlugin = createBackendPlugin({
  pluginId: 'data-mesh',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        notifications: notificationService,
        awsClients: awsClientFactoryServiceRef,
      },
      async init(deps) {
        const { config, logger, httpRouter, auth, scheduler } = deps;
        const settings = readAccessRequestSettings(config);
        const store = await DatabaseAccessRequestStore.create({ database: deps.database });
        const entities = new AccessEntities(deps.catalog);
        const grants: GrantProvider =
          settings.mode === 'datazone'
            ? new DataZoneGrantProvider(deps.awsClients, logger, settings.dataZone)
            : new LakeFormationGrantProvider(deps.awsClients, logger);

        deps.permissionsRegistry.addResourceType({
          resourceRef: dataMeshEntityResourceRef,
          permissions: dataMeshPermissions,
          rules: Object.values(dataMeshEntityRules),
          // Called by the permission backend to evaluate conditional decisions
          // on single entities; reads as this plugin, as the catalog's own
          // condition evaluation does.
          getResources: async refs => {
            const credentials = await auth.getOwnServiceCredentials();
            return Promise.all(
              refs.map(async ref => {
                const target = await entities.findTarget(ref, credentials);
                return target
                  ? { entityRef: target.entityRef, ownerRefs: target.ownerRefs, approverRefs: target.approverRefs }
                  : undefined;
              }),
            );
          },
        });

        const service = new AccessRequestService({
          store,
          entities,
          grants,
          permissions: deps.permissions,
          auth,
          auditor: deps.auditor,
          notifier: new Notifier(deps.notifications, logger, settings.notificationsEnabled),
          logger,
          settings,
          ruleset: deps.permissionsRegistry.getPermissionRuleset(dataMeshEntityResourceRef),
        });

        await scheduler.scheduleTask({
          id: 'data-mesh-access-expiry',
          scope: 'global',
          ...settings.expirySchedule,
          fn: async () => {
            await service.expire();
          },
        });
        await scheduler.scheduleTask({
          id: 'data-mesh-access-reconciliation',
          scope: 'global',
          ...settings.reconciliationSchedule,
          fn: async () => {
            await service.reconcile();
          },
        });

        httpRouter.use(
          await createRouter({ logger, httpAuth: deps.httpAuth, userInfo: deps.userInfo, service }),
        );
        // SLOs: GET /slo/:kind/:namespace/:name (src/slo).
        httpRouter.use(
          await setupSlo({
            config,
            logger,
            database: deps.database,
            httpAuth: deps.httpAuth,
            auth,
            scheduler,
            catalog: deps.catalog,
            awsClients: deps.awsClients,
          }),
        );
        // Lineage and QuickSight dashboards: GET /lineage/:kind/:namespace/:name,
        // GET /dashboards/:kind/:namespace/:name, POST /dashboards/embed-url
        // (src/lineage, src/dashboards).
        const dashboards = createQuickSightDashboards({ config, awsClients: deps.awsClients, logger });
        httpRouter.use(
          await createLineageRouter({
            config,
            logger,
            httpAuth: deps.httpAuth,
            catalog: deps.catalog,
            awsClients: deps.awsClients,
            dashboards,
          }),
        );
        httpRouter.use(
          await createDashboardsRouter({
            dashboards,
            catalog: deps.catalog,
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            auth,
            permissions: deps.permissions,
            logger,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        logger.info(`Access requests in ${settings.mode} mode`);
      },
    });
  },
});
