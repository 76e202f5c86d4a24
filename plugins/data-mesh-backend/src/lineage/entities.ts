import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_HAS_PART,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
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

/**
 * The datasets of a data product or dataset, as the caller may see them:
 * itself for a dataset; for a product, its `hasPart` APIs, or right after
 * ingestion (before relations are filled) the dataset APIs naming it in
 * `spec.system`.
 */
export async function datasetsOf(
  catalog: CatalogService,
  entity: Entity,
  credentials: BackstageCredentials,
): Promise<Entity[]> {
  if (isDatasetEntity(entity)) return [entity];
  const partRefs = (entity.relations ?? [])
    .filter(
      r =>
        r.type === RELATION_HAS_PART &&
        parseEntityRef(r.targetRef).kind.toLocaleLowerCase('en-US') === 'api',
    )
    .map(r => r.targetRef);
  let parts: Entity[];
  if (partRefs.length > 0) {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: partRefs },
      { credentials },
    );
    parts = items.filter((e): e is Entity => !!e);
  } else {
    const ns = entity.metadata.namespace ?? 'default';
    const name = entity.metadata.name;
    const { items } = await catalog.getEntities(
      {
        filter: {
          kind: 'API',
          'spec.type': 'dataset',
          'spec.system': [name, `${ns}/${name}`, `system:${ns}/${name}`],
        },
      },
      { credentials },
    );
    parts = items;
  }
  return parts
    .filter(isDatasetEntity)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}
