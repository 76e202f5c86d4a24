import type * as dz from '@aws-sdk/client-datazone';
import { notFound, validation } from '../errors';
import type { DataZoneStore } from '../store';
import type { UserProfileRecord } from '../state';
import type { RequestContext } from '../context';
import { paginate } from '../paging';
import { op } from './types';
import { principalIdOf } from './util';

function profileOutput(p: UserProfileRecord) {
  return {
    domainId: p.domainId,
    id: p.id,
    type: p.type,
    status: p.status,
    details: p.iam ? { iam: p.iam } : { sso: p.sso! },
  };
}

/** SearchUserProfiles `userType` → the profile type it selects (DATAZONE_USER: both). */
const PROFILE_TYPE_OF: Record<string, 'IAM' | 'SSO' | undefined> = {
  DATAZONE_IAM_USER: 'IAM',
  DATAZONE_SSO_USER: 'SSO',
  SSO_USER: 'SSO',
};

const IAM_ARN = /^arn:aws:(iam|sts)::\d{12}:.+$/;

export const createUserProfile = op(
  (
    input: dz.CreateUserProfileInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const userType = input.userType ?? 'IAM_ROLE';
    const identifier = input.userIdentifier!;
    const iam = userType !== 'SSO_USER';
    if (iam && !IAM_ARN.test(identifier)) {
      throw validation(
        `userIdentifier must be an IAM principal ARN for userType ${userType}.`,
      );
    }
    // Creating a profile that exists returns it (the operation models no ConflictException).
    const existing = store.userProfileByKey(domainId, identifier);
    if (existing) return profileOutput(existing);
    const seq = store.nextSeq();
    const profile: UserProfileRecord = {
      seq,
      id: store.newId('user', seq),
      domainId,
      type: iam ? 'IAM' : 'SSO',
      key: identifier.toLowerCase(),
      status: 'ASSIGNED',
      ...(iam
        ? {
            iam: {
              arn: identifier,
              principalId: principalIdOf(identifier),
              sessionName: input.sessionName,
            },
          }
        : { sso: { username: identifier } }),
    };
    store.state.userProfiles[profile.id] = profile;
    store.changed();
    return profileOutput(profile);
  },
);

export const getUserProfile = op(
  (
    input: dz.GetUserProfileInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const profile = store.userProfileByKey(domainId, input.userIdentifier!);
    if (!profile || (input.type && profile.type !== input.type)) {
      throw notFound(`User profile ${input.userIdentifier} not found.`);
    }
    return profileOutput(profile);
  },
);

export const searchUserProfiles = op(
  (
    input: dz.SearchUserProfilesInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const text = input.searchText?.toLowerCase() ?? '';
    const wantType = PROFILE_TYPE_OF[input.userType ?? ''];
    const items = Object.values(store.state.userProfiles).filter(p => {
      if (p.domainId !== domainId || (wantType && p.type !== wantType))
        return false;
      if (!text) return true;
      return [p.id, p.key, p.sso?.firstName, p.sso?.lastName].some(v =>
        v?.toLowerCase().includes(text),
      );
    });
    const { page, nextToken } = paginate({
      items,
      key: p => [p.seq],
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: ['SearchUserProfiles', domainId, input.userType, text],
    });
    return { items: page.map(profileOutput), nextToken };
  },
);
