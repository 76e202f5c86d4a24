import type * as dz from '@aws-sdk/client-datazone';
import { conflict, notFound, validation } from '../errors';
import type { DataZoneStore } from '../store';
import type { Designation, MembershipRecord, ProjectRecord } from '../state';
import type { RequestContext } from '../context';
import { paginate } from '../paging';
import { op } from './types';
import { date, ensureCallerProfile } from './util';

function projectOutput(p: ProjectRecord) {
  return {
    domainId: p.domainId,
    id: p.id,
    name: p.name,
    description: p.description,
    createdBy: p.createdBy,
    projectStatus: p.projectStatus,
    createdAt: date(p.createdAt),
    lastUpdatedAt: date(p.lastUpdatedAt),
    domainUnitId: p.domainUnitId,
    glossaryTerms: p.glossaryTerms,
    resourceTags: p.resourceTags
      ? Object.entries(p.resourceTags).map(([key, value]) => ({
          key,
          value,
          source: 'PROJECT',
        }))
      : undefined,
  };
}

/** A member given as profile id, IAM ARN or SSO user name → the stored member reference. */
export function resolveMember(
  store: DataZoneStore,
  domainId: string,
  member: dz.Member,
): MembershipRecord['member'] {
  if (member.groupIdentifier !== undefined)
    return { groupId: member.groupIdentifier };
  const profile = store.userProfileByKey(domainId, member.userIdentifier!);
  if (!profile)
    throw notFound(
      `User ${member.userIdentifier} not found in domain ${domainId}.`,
    );
  return { userId: profile.id };
}

function addMember(
  store: DataZoneStore,
  project: ProjectRecord,
  member: MembershipRecord['member'],
  designation: Designation,
) {
  const same = (m: MembershipRecord) =>
    'userId' in member
      ? 'userId' in m.member && m.member.userId === member.userId
      : 'groupId' in m.member && m.member.groupId === member.groupId;
  const existing = project.memberships.find(same);
  if (existing) existing.designation = designation;
  else project.memberships.push({ seq: store.nextSeq(), member, designation });
}

export const createProject = op(
  (input: dz.CreateProjectInput, ctx: RequestContext, store: DataZoneStore) => {
    const domain = store.domain(input.domainIdentifier!);
    if (
      Object.values(store.state.projects).some(
        p => p.domainId === domain.id && p.name === input.name,
      )
    ) {
      throw conflict(
        `A project named ${input.name} already exists in domain ${domain.id}.`,
      );
    }
    const unit = store.domainUnit(
      domain.id,
      input.domainUnitId ?? domain.rootDomainUnitId,
    );
    // Resolve every member before changing anything, so a bad one leaves no half project.
    const assignments = (input.membershipAssignments ?? []).map(a => ({
      member: resolveMember(store, domain.id, a.member!),
      designation: a.designation as Designation,
    }));
    const creator = ensureCallerProfile(store, domain.id, ctx);
    const seq = store.nextSeq();
    const now = store.now();
    const project: ProjectRecord = {
      seq,
      id: store.newId('project', seq),
      domainId: domain.id,
      name: input.name!,
      description: input.description,
      domainUnitId: unit.id,
      projectStatus: 'ACTIVE',
      glossaryTerms: input.glossaryTerms,
      resourceTags: input.resourceTags,
      createdBy: creator.id,
      createdAt: now,
      lastUpdatedAt: now,
      memberships: [],
    };
    // The creator owns the project, as in DataZone.
    addMember(store, project, { userId: creator.id }, 'PROJECT_OWNER');
    for (const a of assignments)
      addMember(store, project, a.member, a.designation);
    store.state.projects[project.id] = project;
    store.changed();
    return projectOutput(project);
  },
);

export const getProject = op(
  (input: dz.GetProjectInput, _ctx: RequestContext, store: DataZoneStore) =>
    projectOutput(
      store.project(
        store.domain(input.domainIdentifier!).id,
        input.identifier!,
      ),
    ),
);

export const listProjects = op(
  (input: dz.ListProjectsInput, _ctx: RequestContext, store: DataZoneStore) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const user = input.userIdentifier
      ? store.userProfileByKey(domainId, input.userIdentifier)
      : undefined;
    const items = Object.values(store.state.projects).filter(p => {
      if (p.domainId !== domainId) return false;
      if (
        input.name &&
        !p.name.toLowerCase().includes(input.name.toLowerCase())
      )
        return false;
      if (
        input.userIdentifier &&
        !p.memberships.some(
          m => 'userId' in m.member && m.member.userId === user?.id,
        )
      )
        return false;
      if (
        input.groupIdentifier &&
        !p.memberships.some(
          m =>
            'groupId' in m.member && m.member.groupId === input.groupIdentifier,
        )
      )
        return false;
      return true;
    });
    const { page, nextToken } = paginate({
      items,
      key: p => [p.seq],
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: [
        'ListProjects',
        domainId,
        input.name,
        input.userIdentifier,
        input.groupIdentifier,
      ],
    });
    return {
      items: page.map(p => ({
        domainId: p.domainId,
        id: p.id,
        name: p.name,
        description: p.description,
        createdBy: p.createdBy,
        projectStatus: p.projectStatus,
        createdAt: date(p.createdAt),
        updatedAt: date(p.lastUpdatedAt),
        domainUnitId: p.domainUnitId,
      })),
      nextToken,
    };
  },
);

// CreateProjectMembership models no ConflictException: adding an existing member again
// succeeds and sets the new designation.
export const createProjectMembership = op(
  (
    input: dz.CreateProjectMembershipInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const project = store.project(domainId, input.projectIdentifier!);
    if (
      input.member?.userIdentifier === undefined &&
      input.member?.groupIdentifier === undefined
    ) {
      throw validation(
        'member must name a userIdentifier or a groupIdentifier.',
      );
    }
    const member = resolveMember(store, domainId, input.member);
    addMember(store, project, member, input.designation as Designation);
    project.lastUpdatedAt = store.now();
    store.changed();
    return {};
  },
);

export const listProjectMemberships = op(
  (
    input: dz.ListProjectMembershipsInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const project = store.project(domainId, input.projectIdentifier!);
    const nameOf = (m: MembershipRecord) => {
      if ('groupId' in m.member) return m.member.groupId;
      const profile = store.state.userProfiles[m.member.userId];
      return profile?.sso?.username ?? profile?.iam?.arn ?? m.member.userId;
    };
    const { page, nextToken } = paginate({
      items: project.memberships,
      key: m =>
        input.sortBy === 'NAME' ? [nameOf(m).toLowerCase(), m.seq] : [m.seq],
      descending: input.sortOrder === 'DESCENDING',
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: [
        'ListProjectMemberships',
        project.id,
        input.sortBy,
        input.sortOrder,
      ],
    });
    return {
      members: page.map(m => ({
        memberDetails:
          'userId' in m.member
            ? { user: { userId: m.member.userId } }
            : { group: { groupId: m.member.groupId } },
        designation: m.designation,
      })),
      nextToken,
    };
  },
);
