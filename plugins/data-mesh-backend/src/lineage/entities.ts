import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  isDataProductEntity,
  isDatasetEntity,
} from '@data-mesh-portal/plugin-data-mesh-common';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/**
 * Checks `:kind/:namespace/:name` path segments and returns the entity ref
 * they name (400 on anything that cannot be one).
 */
export function entityRefFromParams(params: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  for (const [label, value] of Object.entries(params)) {
    if (!SEGMENT.test(value)) {
      throw new InputError(`Invalid ${label} "${value}"`);
    }
  }
  return stringifyEntityRef(params);
}

/**
 * Reads a data product or dataset with the caller's credentials: 404 when it
 * is missing or the caller may not see it, 400 when it is another kind of
 * entity.
 */
export async function readDataEntity(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<Entity> {
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) {
    throw new NotFoundError(`No entity ${entityRef}`);
  }
  if (!isDataProductEntity(entity) && !isDatasetEntity(entity)) {
    throw new InputError(
      `${entityRef} is neither a data product (System, type data-product) nor a dataset (API, type dataset)`,
    );
  }
  return entity;
}
