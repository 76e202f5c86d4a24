import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  dataMeshAccessRequestReadPermission,
  dataMeshAccessRequestReviewPermission,
  dataMeshAccessRequestRevokePermission,
} from '@data-mesh-portal/plugin-data-mesh-common';
import {
  createDataMeshEntityConditionalDecision,
  dataMeshEntityConditions,
} from '@data-mesh-portal/plugin-data-mesh-backend';

/** Members of this group administer the portal (the demo's platform admin, carol). */
export const PLATFORM_ADMIN_GROUP = 'group:default/platform-team';

// Removing things from the catalog by hand is an admin action: entities synced from
// DataZone come back on the next sync anyway, and registered locations are shared.
const ADMIN_ONLY = new Set(['catalog.entity.delete', 'catalog.location.delete']);

// Who may approve access (ARCHITECTURE.md, decided): members of the owning group and of
// the contract's approver group. Reading a product's requests and revoking its grants
// go to the same people; the data-mesh plugin evaluates the conditions.
const REVIEWER_PERMISSIONS = [
  dataMeshAccessRequestReviewPermission,
  dataMeshAccessRequestRevokePermission,
  dataMeshAccessRequestReadPermission,
];

/**
 * The demo portal's permission policy. Access-request review, revocation and reading
 * delegate to the data-mesh plugin's rules (owner group + contract approver group);
 * everything else in the demo is open to signed-in people except the admin-only
 * actions above. Creating a request is open to signed-in people: the plugin itself
 * checks that they belong to the team they ask for.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (ADMIN_ONLY.has(request.permission.name)) {
      const isAdmin =
        user?.info.ownershipEntityRefs.includes(PLATFORM_ADMIN_GROUP) ?? false;
      return { result: isAdmin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    for (const permission of REVIEWER_PERMISSIONS) {
      if (isPermission(request.permission, permission)) {
        if (!user) {
          return { result: AuthorizeResult.DENY };
        }
        const claims = user.info.ownershipEntityRefs;
        return createDataMeshEntityConditionalDecision(permission, {
          anyOf: [
            dataMeshEntityConditions.isDataOwner({ claims }),
            dataMeshEntityConditions.isContractApprover({ claims }),
          ],
        });
      }
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const demoPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});
