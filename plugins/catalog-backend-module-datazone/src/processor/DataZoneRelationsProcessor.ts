import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_API_CONSUMED_BY,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_DATAZONE_CONSUMERS,
  ANNOTATION_DATAZONE_DOMAIN_ID,
  ANNOTATION_DATAZONE_STORAGE,
  isDatasetEntity,
} from '@data-mesh-portal/plugin-data-mesh-common';

const REF_PART = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/;

function refsOf(value: string | undefined, defaultKind: string): CompoundEntityRef[] {
  return (value ?? '')
    .split(',')
    .map(part => part.trim())
    .filter(part => part !== '')
    .flatMap(part => {
      try {
        const ref = parseEntityRef(part, { defaultKind, defaultNamespace: 'default' });
        return [ref.kind, ref.namespace, ref.name].every(p => REF_PART.test(p)) ? [ref] : [];
      } catch {
        return [];
      }
    });
}

/**
 * Turns what the DataZone provider recorded on a dataset `API` into
 * relations: approved subscriptions → `consumesApi` / `apiConsumedBy`
 * between the consuming group and the API, and its storage →
 * `dependsOn` / `dependencyOf` between the API and the `Resource`s.
 *
 * Why annotations rather than asking DataZone here: processors run for every
 * entity on every processing loop (minutes apart, tens of thousands of
 * entities), so one AWS call per entity would exceed DataZone's request
 * quota and make relations flap with throttling. The provider already reads
 * subscriptions with one paged call per listing-owning project during its
 * sync; writing the result as a sorted annotation keeps the entity
 * byte-stable while nothing changes, and relations follow each sync.
 * Storage relations are emitted here, not as `Resource.spec.dependencyOf`, so
 * a shared bucket's entity does not depend on which datasets use it and
 * "sync product now" can add a dataset without rewriting the bucket.
 *
 * @public
 */
export class DataZoneRelationsProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'DataZoneRelationsProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const annotations = entity.metadata.annotations ?? {};
    if (!isDatasetEntity(entity) || !annotations[ANNOTATION_DATAZONE_DOMAIN_ID]) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    for (const consumer of refsOf(annotations[ANNOTATION_DATAZONE_CONSUMERS], 'group')) {
      emit(processingResult.relation({ source: consumer, type: RELATION_CONSUMES_API, target: self }));
      emit(processingResult.relation({ source: self, type: RELATION_API_CONSUMED_BY, target: consumer }));
    }
    for (const resource of refsOf(annotations[ANNOTATION_DATAZONE_STORAGE], 'resource')) {
      emit(processingResult.relation({ source: self, type: RELATION_DEPENDS_ON, target: resource }));
      emit(processingResult.relation({ source: resource, type: RELATION_DEPENDENCY_OF, target: self }));
    }
    return entity;
  }
}
