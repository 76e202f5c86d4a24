import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity, RELATION_HAS_PART } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { datasetsOf } from './datasets';

const dataset = (name: string, system?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name, namespace: 'default' },
  spec: { type: 'dataset', owner: 'group:default/sales', system },
});

const product = (name: string, parts: string[] = []): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name, namespace: 'default' },
  spec: { type: 'data-product', owner: 'group:default/sales' },
  relations: parts.map(targetRef => ({ type: RELATION_HAS_PART, targetRef })),
});

describe('datasetsOf', () => {
  const credentials = mockCredentials.user();

  it('is the dataset itself for a dataset', async () => {
    const orders = dataset('orders');
    const catalog = catalogServiceMock({ entities: [] });
    expect(await datasetsOf(catalog, orders, credentials)).toEqual([orders]);
  });

  it("reads a product's hasPart dataset APIs, sorted by name, leaving out other parts and missing ones", async () => {
    const catalog = catalogServiceMock({
      entities: [
        dataset('orders'),
        dataset('lineitem'),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'API',
          metadata: { name: 'orders-api', namespace: 'default' },
          spec: { type: 'openapi', owner: 'group:default/sales' },
        },
      ],
    });
    const found = await datasetsOf(
      catalog,
      product('order-history', [
        'api:default/orders',
        'api:default/lineitem',
        'api:default/orders-api',
        'api:default/gone',
        'component:default/pipeline',
      ]),
      credentials,
    );
    expect(found.map(e => e.metadata.name)).toEqual(['lineitem', 'orders']);
  });

  it('finds the datasets naming a product in spec.system before relations are filled', async () => {
    const catalog = catalogServiceMock({
      entities: [
        dataset('orders', 'order-history'),
        dataset('lineitem', 'system:default/order-history'),
        dataset('store_sales', 'store-sales'),
      ],
    });
    const found = await datasetsOf(
      catalog,
      product('order-history'),
      credentials,
    );
    expect(found.map(e => e.metadata.name)).toEqual(['lineitem', 'orders']);
  });

  it('refuses any other entity with a 400', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    await expect(
      datasetsOf(
        catalog,
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'pipeline', namespace: 'default' },
          spec: { type: 'service' },
        },
        credentials,
      ),
    ).rejects.toMatchObject({ name: 'InputError' });
  });
});
