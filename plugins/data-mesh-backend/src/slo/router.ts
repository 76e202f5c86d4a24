import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { SloService } from './SloService';
import { databaseUnavailableHandler } from '../database/unavailable';

/** Options of {@link createSloRouter}. */
export interface SloRouterOptions {
  service: SloService;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/**
 * Routes of the SLO API, mounted by the plugin under `/slo`:
 *
 * `GET /slo/:kind/:namespace/:name` — the SLO report of a data product
 * (`system`) or dataset (`api`). The entity is read from the catalog with the
 * caller's credentials, so callers only see SLOs of entities they may read
 * (401 without credentials, 404 when missing or not visible).
 */
export async function createSloRouter(
  options: SloRouterOptions,
): Promise<express.Router> {
  const { service, catalog, httpAuth } = options;
  const router = Router();

  router.get('/slo/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { kind, namespace, name } = req.params;
    for (const [label, value] of [
      ['kind', kind],
      ['namespace', namespace],
      ['name', name],
    ]) {
      if (!SEGMENT.test(value)) {
        throw new InputError(`Invalid ${label} "${value}"`);
      }
    }
    const entityRef = stringifyEntityRef({ kind, namespace, name });
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef}`);
    }
    const report = await service.evaluate(entity, credentials);
    res.setHeader('Cache-Control', 'private, max-age=30');
    res.json(report);
  });

  router.use(databaseUnavailableHandler());
  return router;
}
