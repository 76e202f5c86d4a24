import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  LINEAGE_DEFAULT_DEPTH,
  LINEAGE_MAX_DEPTH,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { AwsClientFactory } from '@data-mesh-portal/plugin-data-mesh-node';
import express from 'express';
import Router from 'express-promise-router';
import { DashboardSource } from '../dashboards/QuickSightDashboards';
import { readDataZoneDomains } from '../slo/setup';
import { entityRefFromParams, readDataEntity } from './entities';
import { LineageService } from './LineageService';

/** Options of {@link createLineageRouter}. */
export interface LineageRouterOptions {
  config: Config;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  awsClients: AwsClientFactory;
  /** QuickSight dashboards to add to the graph; none when unset. */
  dashboards?: DashboardSource;
}

/** Parses `?depth=` (1–{@link LINEAGE_MAX_DEPTH}, default {@link LINEAGE_DEFAULT_DEPTH}). */
export function parseDepth(value: unknown): number {
  if (value === undefined || value === '') return LINEAGE_DEFAULT_DEPTH;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new InputError(
      `depth must be a whole number from 1 to ${LINEAGE_MAX_DEPTH}`,
    );
  }
  const depth = Number(value);
  if (depth < 1 || depth > LINEAGE_MAX_DEPTH) {
    throw new InputError(
      `depth must be from 1 to ${LINEAGE_MAX_DEPTH}, got ${depth}`,
    );
  }
  return depth;
}

/**
 * Route of the lineage API, mounted at the plugin root:
 *
 * `GET /lineage/:kind/:namespace/:name?depth=` — the lineage graph of a data
 * product (`system`) or dataset (`api`), `depth` levels up and down (default
 * 3, at most 5). The entity is read with the caller's credentials (401
 * without, 404 when missing or not visible); a DataZone outage is a 503 with
 * a message.
 *
 * Settings (`dataMesh.lineage`, all optional): `concurrency` (GetLineageNode
 * calls in flight, default 8), `maxNodes` (default 1000). DataZone domains and
 * their regions come from `catalog.providers.datazone`.
 */
export async function createLineageRouter(
  options: LineageRouterOptions,
): Promise<express.Router> {
  const { config, catalog, httpAuth } = options;
  const lineage = config.getOptionalConfig('dataMesh.lineage');
  const service = new LineageService({
    catalog,
    clientFactory: options.awsClients,
    logger: options.logger.child({ target: 'lineage' }),
    domains: readDataZoneDomains(config),
    dashboards: options.dashboards,
    settings: {
      concurrency: lineage?.getOptionalNumber('concurrency'),
      maxNodes: lineage?.getOptionalNumber('maxNodes'),
    },
    defaultRegion: process.env.AWS_REGION,
  });
  const router = Router();

  router.get('/lineage/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromParams(req.params);
    const depth = parseDepth(req.query.depth);
    const entity = await readDataEntity(catalog, entityRef, credentials);
    const graph = await service.graph(entity, credentials, depth);
    res.setHeader('Cache-Control', 'private, max-age=30');
    res.json(graph);
  });

  return router;
}
