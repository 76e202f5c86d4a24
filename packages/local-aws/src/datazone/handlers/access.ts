import { accessDenied } from '../errors';
import type { DataZoneStore } from '../store';
import type { Designation, ProjectRecord } from '../state';
import type { RequestContext } from '../context';

/** Who may decide on a project's subscription requests and revoke its subscriptions. */
export const APPROVER_DESIGNATIONS: readonly Designation[] = [
  'PROJECT_OWNER',
  'PROJECT_CONTRIBUTOR',
  'PROJECT_CATALOG_STEWARD',
];

/** Every designation: any member may subscribe on behalf of its project. */
export const ANY_MEMBER: readonly Designation[] = [
  ...APPROVER_DESIGNATIONS,
  'PROJECT_CATALOG_VIEWER',
  'PROJECT_CATALOG_CONSUMER',
];

/**
 * The caller's designation in a project, or undefined. The caller is the principal
 * behind the SigV4 access key (an IAM user or role; an assumed-role session counts as
 * its role), matched to its DataZone IAM user profile: a backend role is a project
 * member exactly when its role ARN has a user profile (CreateUserProfile, userType
 * IAM_ROLE) that was added to the project (CreateProjectMembership), as in DataZone. The
 * principal that created a project is its owner.
 */
export function callerDesignation(
  store: DataZoneStore,
  project: ProjectRecord,
  ctx: RequestContext,
): Designation | undefined {
  const profile = store.callerProfile(project.domainId, ctx.caller);
  if (!profile) return undefined;
  return project.memberships.find(
    m => 'userId' in m.member && m.member.userId === profile.id,
  )?.designation;
}

export function requireMember(
  store: DataZoneStore,
  project: ProjectRecord,
  ctx: RequestContext,
  designations: readonly Designation[],
  action: string,
) {
  const designation = callerDesignation(store, project, ctx);
  if (!designation || !designations.includes(designation)) {
    throw accessDenied(
      `User ${ctx.caller.arn} is not ${
        designations === APPROVER_DESIGNATIONS
          ? 'an owner, contributor or catalog steward'
          : 'a member'
      } of project ${project.id} (${project.name}) and cannot ${action}.`,
    );
  }
}
