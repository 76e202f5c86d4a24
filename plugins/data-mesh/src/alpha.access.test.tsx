import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, {
  dataMeshAccessCard,
  dataMeshAccessRequestsPage,
} from './alpha';

const entity = (kind: string, type: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
  spec: { type },
});

describe('access requests in the new frontend system', () => {
  it('shows the access card on data products and datasets only', () => {
    const filter = createExtensionTester(dataMeshAccessCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter).toBeInstanceOf(Function);
    expect(filter(entity('System', 'data-product'))).toBe(true);
    expect(filter(entity('API', 'dataset'))).toBe(true);
    expect(filter(entity('System', 'service'))).toBe(false);
    expect(filter(entity('API', 'openapi'))).toBe(false);
    expect(filter(entity('Group', 'data-team'))).toBe(false);
  });

  it('mounts the inbox at /data-mesh/access-requests with a title and icon for the nav', () => {
    const tester = createExtensionTester(dataMeshAccessRequestsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/data-mesh/access-requests',
    );
    expect(tester.get(coreExtensionData.title)).toBe('Access requests');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();
  });

  it('registers the card, the page and the API client under stable ids', () => {
    // Typed ids: these fail to compile if an id changes.
    expect(plugin.getExtension('entity-card:data-mesh/access')).toMatchObject({
      kind: 'entity-card',
      name: 'access',
    });
    expect(plugin.getExtension('page:data-mesh/access-requests')).toMatchObject(
      { kind: 'page', name: 'access-requests' },
    );
    expect(plugin.getExtension('api:data-mesh/access-requests')).toMatchObject({
      kind: 'api',
      name: 'access-requests',
    });
    expect(plugin.id).toBe('data-mesh');
  });
});
