import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/** Members of this group administer the portal (the demo's platform admin, carol). */
export const PLATFORM_ADMIN_GROUP = 'group:default/platform-team';

// Removing things from the catalog by hand is an admin action: entities synced from
// DataZone come back on the next sync anyway, and registered locations are shared.
const ADMIN_ONLY = new Set(['catalog.entity.delete', 'catalog.location.delete']);

/**
 * The demo portal's permission policy. Data-mesh permissions get their rules from the
 * data-mesh plugin as it grows (access requests, dashboards); everything else in the
 * demo is open to signed-in people except the admin-only actions above.
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
