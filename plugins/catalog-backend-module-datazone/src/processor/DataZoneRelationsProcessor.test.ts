import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { DataZoneRelationsProcessor } from './DataZoneRelationsProcessor';

const location = { type: 'url', target: 'datazone:eu-west-1/dzd_1' };

function dataset(annotations: Record<string, string>, kind = 'API', type = 'dataset'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'orders-abc', annotations: { 'data-mesh-portal.io/datazone-domain-id': 'dzd_1', ...annotations } },
    spec: { type },
  };
}

async function relationsOf(entity: Entity) {
  const emitted: CatalogProcessorResult[] = [];
  await new DataZoneRelationsProcessor().postProcessEntity(entity, location, r => emitted.push(r));
  return emitted.map(r => (r.type === 'relation' ? r.relation : r));
}

describe('DataZoneRelationsProcessor', () => {
  it('relates consumers and storage to a dataset in both directions', async () => {
    const self = { kind: 'API', namespace: 'default', name: 'orders-abc' };
    const relations = await relationsOf(
      dataset({
        'data-mesh-portal.io/datazone-consumers': 'group:default/marketing,group:default/finance',
        'data-mesh-portal.io/storage-resources': 'resource:default/sales-db',
      }),
    );
    expect(relations).toEqual([
      { source: { kind: 'group', namespace: 'default', name: 'marketing' }, type: 'consumesApi', target: self },
      { source: self, type: 'apiConsumedBy', target: { kind: 'group', namespace: 'default', name: 'marketing' } },
      { source: { kind: 'group', namespace: 'default', name: 'finance' }, type: 'consumesApi', target: self },
      { source: self, type: 'apiConsumedBy', target: { kind: 'group', namespace: 'default', name: 'finance' } },
      { source: self, type: 'dependsOn', target: { kind: 'resource', namespace: 'default', name: 'sales-db' } },
      { source: { kind: 'resource', namespace: 'default', name: 'sales-db' }, type: 'dependencyOf', target: self },
    ]);
  });

  it('leaves other entities alone and ignores malformed refs', async () => {
    const consumers = { 'data-mesh-portal.io/datazone-consumers': 'group:default/marketing' };
    expect(await relationsOf(dataset(consumers, 'API', 'openapi'))).toEqual([]);
    expect(await relationsOf(dataset(consumers, 'System', 'data-product'))).toEqual([]);
    const foreign = dataset(consumers);
    delete foreign.metadata.annotations!['data-mesh-portal.io/datazone-domain-id'];
    expect(await relationsOf(foreign)).toEqual([]);
    expect(await relationsOf(dataset({ 'data-mesh-portal.io/datazone-consumers': ' , group:a:b:c/d/e' }))).toEqual([]);
  });
});
