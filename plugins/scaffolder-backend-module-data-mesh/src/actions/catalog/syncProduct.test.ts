import { NotFoundError } from '@backstage/errors';
import { runAction } from '../../__testUtils__/harness';
import { createCatalogSyncProductAction } from './syncProduct';

describe('data-mesh:catalog:sync-product', () => {
  const input = { domainId: 'dzd_abc123', dataProductId: 'dp123' };

  it('syncs the product and outputs its System entity', async () => {
    const sync = {
      syncDataProduct: jest.fn().mockResolvedValue({
        entityRefs: [
          'group:default/x',
          'system:default/returns-abc',
          'api:default/returns-def',
        ],
      }),
    };
    const out = await runAction(
      createCatalogSyncProductAction({ sync }),
      input,
    );
    expect(sync.syncDataProduct).toHaveBeenCalledWith({
      domainId: 'dzd_abc123',
      dataProductId: 'dp123',
    });
    expect(out).toEqual({
      synced: true,
      entityRefs: [
        'group:default/x',
        'system:default/returns-abc',
        'api:default/returns-def',
      ],
      systemRef: 'system:default/returns-abc',
    });
  });

  it('warns and carries on when the sync fails, unless told to fail', async () => {
    const sync = {
      syncDataProduct: jest
        .fn()
        .mockRejectedValue(new NotFoundError('no such product')),
    };
    expect(
      await runAction(createCatalogSyncProductAction({ sync }), input),
    ).toEqual({ synced: false, entityRefs: [] });
    await expect(
      runAction(createCatalogSyncProductAction({ sync }), {
        ...input,
        failOnError: true,
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it('does nothing in a dry run and validates its input', async () => {
    const sync = { syncDataProduct: jest.fn() };
    await runAction(createCatalogSyncProductAction({ sync }), input, {
      dryRun: true,
    });
    await expect(
      runAction(createCatalogSyncProductAction({ sync }), {
        ...input,
        domainId: 'x',
      }),
    ).rejects.toThrow(/domainId: must be a DataZone domain id/);
    expect(sync.syncDataProduct).not.toHaveBeenCalled();
  });
});
