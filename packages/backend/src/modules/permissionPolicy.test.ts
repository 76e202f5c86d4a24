import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  dataMeshAccessRequestCreatePermission,
  dataMeshAccessRequestReadPermission,
  dataMeshAccessRequestReviewPermission,
  dataMeshAccessRequestRevokePermission,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { DemoPermissionPolicy, PLATFORM_ADMIN_GROUP } from './permissionPolicy';

const user = (ownershipEntityRefs: string[]) =>
  ({
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    token: 't',
    credentials: {} as any,
  } as any);

const permission = (name: string) =>
  ({
    permission: {
      type: 'basic',
      name,
      attributes: { action: name.endsWith('.delete') ? 'delete' : 'read' },
    },
  } as any);

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();

  it('lets only platform admins delete catalog entities and locations', async () => {
    const admin = user(['user:default/carol', PLATFORM_ADMIN_GROUP]);
    const producer = user(['user:default/alice', 'group:default/sales-domain']);
    for (const name of ['catalog.entity.delete', 'catalog.location.delete']) {
      expect((await policy.handle(permission(name), admin)).result).toBe(
        AuthorizeResult.ALLOW,
      );
      expect((await policy.handle(permission(name), producer)).result).toBe(
        AuthorizeResult.DENY,
      );
      expect((await policy.handle(permission(name))).result).toBe(
        AuthorizeResult.DENY,
      );
    }
  });

  it('allows reading the catalog to signed-in people', async () => {
    const producer = user(['user:default/alice', 'group:default/sales-domain']);
    expect(
      (await policy.handle(permission('catalog.entity.read'), producer)).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('delegates reviewing, revoking and reading access requests to the data-mesh rules', async () => {
    const alice = user(['user:default/alice', 'group:default/sales-domain']);
    for (const delegated of [
      dataMeshAccessRequestReviewPermission,
      dataMeshAccessRequestRevokePermission,
      dataMeshAccessRequestReadPermission,
    ]) {
      const decision = await policy.handle(
        { permission: delegated } as any,
        alice,
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'data-mesh',
        resourceType: 'catalog-entity',
        conditions: {
          anyOf: [
            {
              rule: 'IS_DATA_OWNER',
              resourceType: 'catalog-entity',
              params: { claims: ['user:default/alice', 'group:default/sales-domain'] },
            },
            {
              rule: 'IS_CONTRACT_APPROVER',
              resourceType: 'catalog-entity',
              params: { claims: ['user:default/alice', 'group:default/sales-domain'] },
            },
          ],
        },
      });
      expect((await policy.handle({ permission: delegated } as any)).result).toBe(AuthorizeResult.DENY);
    }
  });

  it('lets signed-in people request access (the plugin checks team membership)', async () => {
    const bob = user(['user:default/bob', 'group:default/marketing-analytics']);
    expect(
      (await policy.handle({ permission: dataMeshAccessRequestCreatePermission } as any, bob)).result,
    ).toBe(AuthorizeResult.ALLOW);
  });
});
