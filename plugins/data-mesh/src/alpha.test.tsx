import { Entity } from '@backstage/catalog-model';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { dataMeshOwnershipCard, dataMeshSloCard } from './alpha';

const entity = (kind: string, type: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
  spec: { type },
});

describe('new frontend system entry', () => {
  it('shows both cards on data products and datasets only', () => {
    const filters = [
      createExtensionTester(dataMeshOwnershipCard).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ),
      createExtensionTester(dataMeshSloCard).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ),
    ];
    for (const filter of filters) {
      expect(filter).toBeInstanceOf(Function);
      const shows = (e: Entity) => filter?.(e);
      expect(shows(entity('System', 'data-product'))).toBe(true);
      expect(shows(entity('API', 'dataset'))).toBe(true);
      expect(shows(entity('System', 'service'))).toBe(false);
      expect(shows(entity('API', 'openapi'))).toBe(false);
      expect(shows(entity('Component', 'dataset'))).toBe(false);
    }
  });

  it('is the data-mesh plugin', () => {
    expect(plugin.id).toBe('data-mesh');
  });
});
