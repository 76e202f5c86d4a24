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
  it.each([
    ['ownership', dataMeshOwnershipCard],
    ['slo', dataMeshSloCard],
  ])('shows the %s card on data products and datasets only', (_name, card) => {
    const filter = createExtensionTester(card).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter(entity('System', 'data-product'))).toBe(true);
    expect(filter(entity('API', 'dataset'))).toBe(true);
    expect(filter(entity('System', 'service'))).toBe(false);
    expect(filter(entity('API', 'openapi'))).toBe(false);
    expect(filter(entity('Component', 'dataset'))).toBe(false);
  });

  it('is the data-mesh plugin', () => {
    expect(plugin.id).toBe('data-mesh');
  });
});
