import { Entity } from '@backstage/catalog-model';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  dataMeshDashboardsCard,
  dataMeshLineageCard,
  dataMeshLineageContent,
} from './alpha';

const entity = (kind: string, type: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
  spec: { type },
});

describe('lineage and dashboards extensions', () => {
  it('show on data products and datasets only', () => {
    const filters = [
      createExtensionTester(dataMeshLineageCard).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ),
      createExtensionTester(dataMeshDashboardsCard).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ),
      createExtensionTester(dataMeshLineageContent).get(
        EntityContentBlueprint.dataRefs.filterFunction,
      ),
    ];
    for (const filter of filters) {
      expect(filter).toBeInstanceOf(Function);
      expect(filter?.(entity('System', 'data-product'))).toBe(true);
      expect(filter?.(entity('API', 'dataset'))).toBe(true);
      expect(filter?.(entity('System', 'service'))).toBe(false);
      expect(filter?.(entity('API', 'openapi'))).toBe(false);
    }
  });

  it('puts the lineage tab at /lineage', () => {
    const tester = createExtensionTester(dataMeshLineageContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Lineage');
  });
});
