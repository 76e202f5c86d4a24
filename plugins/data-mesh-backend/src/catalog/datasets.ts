import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_HAS_PART,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  isDataProductEntity,
  isDatasetEntity,
} from '@data-mesh-portal/plugin-data-mesh-common';

/**
 * The datasets of a data product or dataset, as the caller may see them,
 * sorted by name: itself for a dataset; for a product, its `hasPart` APIs, or
 * right after ingestion (relations are filled by catalog processing, so only
 * `spec.system` is there yet) the dataset APIs naming it in `spec.system`.
 * Any other entity is a 400.
 */
export async function datasetsOf(
  catalog: CatalogService,
  entity: Entity,
  credentials: BackstageCredentials,
): Promise<Entity[]> {
  if (isDatasetEntity(entity)) return [entity];
  if (!isDataProductEntity(entity)) {
    throw new InputError(
      `${stringifyEntityRef(
        entity,
      )} is neither a data product (System, type data-product) nor a dataset (API, type dataset)`,
    );
  }
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
