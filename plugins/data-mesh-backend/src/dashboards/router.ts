import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
  DashboardEmbedResponse,
  DashboardsResponse,
  dataMeshDashboardEmbedPermission,
  QUICKSIGHT_USER_NOT_FOUND_ERROR,
} from '@data-mesh-portal/plugin-data-mesh-common';
import express, { Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { datasetsOf } from '../catalog/datasets';
import { entityRefFromParams, readDataEntity } from '../lineage/entities';
import { DashboardSource } from './QuickSightDashboards';
import { EntityTable } from './tables';

/** Options of {@link createDashboardsRouter}. */
export interface DashboardsRouterOptions {
  /** QuickSight; undefined when no account is configured (the list is then empty). */
  dashboards?: DashboardSource;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  auth: AuthService;
  permissions: PermissionsService;
  logger: LoggerService;
}

const embedRequestSchema = z
  .object({
    entityRef: z.string().min(1).max(512),
    // QuickSight ids: [\w-]+, at most 512 characters.
    dashboardId: z
      .string()
      .regex(/^[\w-]{1,512}$/, 'must be a QuickSight dashboard id'),
  })
  .strict();

function tablesOf(
  entities: Awaited<ReturnType<typeof datasetsOf>>,
): EntityTable[] {
  return entities.flatMap(entity => {
    const a = entity.metadata.annotations ?? {};
    const database = a[ANNOTATION_GLUE_DATABASE];
    const table = a[ANNOTATION_GLUE_TABLE];
    return database && table
      ? [{ database, table, entityRef: stringifyEntityRef(entity) }]
      : [];
  });
}

function sendUserNotFound(
  req: express.Request,
  res: Response,
  message: string,
) {
  // Not an error page: the card tells the person they have no QuickSight
  // account. Shaped like Backstage's error bodies so clients parse it alike.
  res.status(404).json({
    error: { name: QUICKSIGHT_USER_NOT_FOUND_ERROR, message },
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: 404 },
  });
}

/**
 * Routes of the QuickSight dashboards API, mounted at the plugin root:
 *
 * - `GET /dashboards/:kind/:namespace/:name`: the dashboards whose data sets
 *   read the data product's or dataset's Glue tables, with owners and last
 *   update. The entity is read with the caller's credentials (404 when they
 *   cannot see it).
 * - `POST /dashboards/embed-url` `{ entityRef, dashboardId }`: a fresh embed
 *   URL for the signed-in user. Authorized first (`data-mesh.dashboard.embed`
 *   on the entity; DENY → 403 before any other work), then the dashboard must
 *   be one of the entity's, then the user is matched to a QuickSight user by
 *   the email of their catalog profile. The URL is neither cached nor logged.
 */
export async function createDashboardsRouter(
  options: DashboardsRouterOptions,
): Promise<express.Router> {
  const { dashboards, catalog, httpAuth, logger } = options;
  const router = Router();
  router.use('/dashboards', express.json({ limit: 16 * 1024 }));

  router.get('/dashboards/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromParams(req.params);
    const entity = await readDataEntity(catalog, entityRef, credentials);
    const body: DashboardsResponse = {
      entityRef,
      configured: !!dashboards,
      dashboards: [],
    };
    if (dashboards) {
      const tables = tablesOf(await datasetsOf(catalog, entity, credentials));
      body.dashboards =
        tables.length > 0 ? await dashboards.dashboardsFor(tables) : [];
    }
    res.setHeader('Cache-Control', 'private, max-age=60');
    res.json(body);
  });

  router.post('/dashboards/embed-url', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const parsed = embedRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw new InputError(
        `Invalid embed URL request: ${parsed.error.issues
          .map(i =>
            i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message,
          )
          .join('; ')}`,
      );
    }
    let entityRef: string;
    try {
      entityRef = stringifyEntityRef(parseEntityRef(parsed.data.entityRef));
    } catch {
      throw new InputError(
        `'${parsed.data.entityRef}' is not a valid entity ref`,
      );
    }
    const { dashboardId } = parsed.data;

    const [decision] = await options.permissions.authorize(
      [
        {
          permission: dataMeshDashboardEmbedPermission,
          resourceRef: entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You may not view dashboards of ${entityRef}`);
    }
    if (!dashboards) {
      throw new NotFoundError(
        'No QuickSight account is configured (dataMesh.quickSight)',
      );
    }
    const entity = await readDataEntity(catalog, entityRef, credentials);
    const tables = tablesOf(await datasetsOf(catalog, entity, credentials));
    const own = tables.length > 0 ? await dashboards.dashboardsFor(tables) : [];
    if (!own.some(d => d.dashboardId === dashboardId)) {
      throw new NotFoundError(
        `Dashboard ${dashboardId} is not built on ${entityRef}`,
      );
    }

    const { userEntityRef } = await options.userInfo.getUserInfo(credentials);
    // The caller's own profile, read as this plugin: identity comes from the
    // token, and a catalog policy hiding users must not hide you from yourself.
    const user = await catalog.getEntityByRef(userEntityRef, {
      credentials: await options.auth.getOwnServiceCredentials(),
    });
    const email = (user?.spec?.profile as { email?: unknown } | undefined)
      ?.email;
    if (typeof email !== 'string' || !email.includes('@')) {
      sendUserNotFound(
        req,
        res,
        'Your Backstage profile has no email address, so no QuickSight account can be matched to you.',
      );
      return;
    }
    const userArn = await dashboards.findUserArn(email);
    if (!userArn) {
      sendUserNotFound(
        req,
        res,
        `There is no QuickSight account for ${email}. Ask your QuickSight administrator to invite you, then open the dashboard again.`,
      );
      return;
    }
    const embedUrl = await dashboards.generateEmbedUrl(userArn, dashboardId);
    logger.info(
      `Embed URL issued for dashboard ${dashboardId} of ${entityRef} to ${userEntityRef}`,
    );
    const body: DashboardEmbedResponse = {
      embedUrl,
      sessionLifetimeMinutes: dashboards.sessionLifetimeMinutes,
    };
    // A bearer token for one person, valid once: never stored anywhere.
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });

  return router;
}
