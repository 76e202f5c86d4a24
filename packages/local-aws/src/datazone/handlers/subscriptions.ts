import type * as dz from '@aws-sdk/client-datazone';
import { conflict, notFound, validation } from '../errors';
import type { DataZoneStore } from '../store';
import type {
  EnvironmentRecord,
  ListingRecord,
  ListingRevision,
  PrincipalRef,
  SubscribedAssetRecord,
  SubscriptionGrantRecord,
  SubscriptionRecord,
  SubscriptionRequestRecord,
  LakeFormationGrantRef,
} from '../state';
import type { RequestContext } from '../context';
import { paginate } from '../paging';
import { makeId } from '../ids';
import { parseGlueTableArn, type GlueTableRef } from '../effects';
import { op } from './types';
import { date, ensureCallerProfile, formsOutput, latest } from './util';
import { resolveForms } from './assets';
import { ANY_MEMBER, APPROVER_DESIGNATIONS, requireMember } from './access';
import { GLUE_TABLE_FORM_TYPE } from './managedTypes';

/** What DataZone grants a subscriber on a managed Glue table. */
export const SUBSCRIPTION_TABLE_PERMISSIONS = ['SELECT', 'DESCRIBE'];

const IAM_PRINCIPAL_ARN = /^arn:aws[\w-]*:(iam|sts)::\d{12}:.+$/;

function find<T extends { domainId: string }>(
  records: Record<string, T>,
  domainId: string,
  id: string,
  what: string,
): T {
  const record = records[id];
  if (!record || record.domainId !== domainId)
    throw notFound(`${what} ${id} not found.`);
  return record;
}

function listingRevision(listing: ListingRecord, revision: string) {
  return (
    listing.revisions.find(r => r.listingRevision === revision) ??
    latest(listing.revisions)
  );
}

/** SubscribedListing: the listing as the request saw it (its revision at request time). */
function subscribedListing(
  store: DataZoneStore,
  listingId: string,
  revision: string,
) {
  const listing = store.state.listings[listingId];
  const rev = listingRevision(listing, revision);
  const glossaryTerms = rev.glossaryTerms?.map(name => ({ name }));
  const item =
    listing.entityType === 'ASSET'
      ? {
          assetListing: {
            entityId: listing.entityId,
            entityRevision: rev.entityRevision,
            entityType: rev.assetType,
            forms: rev.forms,
            glossaryTerms,
          },
        }
      : {
          productListing: {
            entityId: listing.entityId,
            entityRevision: rev.entityRevision,
            name: rev.name,
            description: rev.description,
            glossaryTerms,
            assetListings: (rev.items ?? []).map(i => {
              const member = store.state.listings[i.listingId];
              const memberRev = listingRevision(member, i.listingRevision);
              return {
                entityId: member.entityId,
                entityRevision: memberRev.entityRevision,
                entityType: memberRev.assetType,
              };
            }),
          },
        };
  return {
    id: listing.id,
    revision: rev.listingRevision,
    name: rev.name,
    description: rev.description ?? '',
    item,
    ownerProjectId: rev.owningProjectId,
    ownerProjectName: store.state.projects[rev.owningProjectId]?.name,
  };
}

function principalOutput(store: DataZoneStore, p: PrincipalRef) {
  switch (p.type) {
    case 'project':
      return {
        project: { id: p.id, name: store.state.projects[p.id]?.name },
      };
    case 'user': {
      const profile = store.state.userProfiles[p.id];
      return {
        user: {
          id: p.id,
          details: profile?.iam
            ? { iam: profile.iam }
            : { sso: profile?.sso ?? {} },
        },
      };
    }
    case 'group':
      return { group: { id: p.id, name: p.id } };
    default:
      return { iam: { principalArn: p.id } };
  }
}

function resolvePrincipal(
  store: DataZoneStore,
  domainId: string,
  input: dz.SubscribedPrincipalInput,
): PrincipalRef {
  if (input.project) {
    return {
      type: 'project',
      id: store.project(domainId, input.project.identifier ?? '').id,
    };
  }
  if (input.user) {
    const profile = store.userProfileByKey(
      domainId,
      input.user.identifier ?? '',
    );
    if (!profile)
      throw notFound(`User ${input.user.identifier} not found in ${domainId}.`);
    return { type: 'user', id: profile.id };
  }
  if (input.group) {
    if (!input.group.identifier)
      throw validation('subscribedPrincipals.group.identifier is required.');
    return { type: 'group', id: input.group.identifier };
  }
  const arn = input.iam?.identifier ?? '';
  if (!IAM_PRINCIPAL_ARN.test(arn))
    throw validation(
      `subscribedPrincipals.iam.identifier must be an IAM principal ARN, got '${arn}'.`,
    );
  return { type: 'iam', id: arn };
}

const samePrincipal = (a: PrincipalRef, b: PrincipalRef) =>
  a.type === b.type && a.id === b.id;

function requestOutput(store: DataZoneStore, r: SubscriptionRequestRecord) {
  return {
    id: r.id,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    domainId: r.domainId,
    status: r.status,
    createdAt: date(r.createdAt),
    updatedAt: date(r.updatedAt),
    requestReason: r.requestReason,
    subscribedPrincipals: [principalOutput(store, r.principal)],
    subscribedListings: [
      subscribedListing(store, r.listingId, r.listingRevision),
    ],
    reviewerId: r.reviewerId,
    decisionComment: r.decisionComment,
    existingSubscriptionId: r.existingSubscriptionId,
    metadataForms: r.metadataForms ? formsOutput(r.metadataForms) : undefined,
  };
}

function requestSummary(store: DataZoneStore, r: SubscriptionRequestRecord) {
  const { metadataForms: _forms, ...rest } = requestOutput(store, r);
  return {
    ...rest,
    metadataFormsSummary: r.metadataForms?.map(f => ({
      formName: f.formName,
      typeName: f.typeName,
      typeRevision: f.typeRevision,
    })),
  };
}

function subscriptionOutput(store: DataZoneStore, s: SubscriptionRecord) {
  return {
    id: s.id,
    createdBy: s.createdBy,
    updatedBy: s.updatedBy,
    domainId: s.domainId,
    status: s.status,
    createdAt: date(s.createdAt),
    updatedAt: date(s.updatedAt),
    subscribedPrincipal: principalOutput(store, s.principal),
    subscribedListing: subscribedListing(store, s.listingId, s.listingRevision),
    subscriptionRequestId: s.subscriptionRequestId,
    retainPermissions: s.retainPermissions,
  };
}

function grantOutput(g: SubscriptionGrantRecord) {
  return {
    id: g.id,
    createdBy: g.createdBy,
    updatedBy: g.updatedBy,
    domainId: g.domainId,
    createdAt: date(g.createdAt),
    updatedAt: date(g.updatedAt),
    environmentId: g.environmentId,
    subscriptionTargetId: g.subscriptionTargetId,
    grantedEntity: {
      listing: { id: g.listingId, revision: g.listingRevision },
    },
    status: g.status,
    assets: g.assets.map(a => ({
      assetId: a.assetId,
      assetRevision: a.assetRevision,
      status: a.status,
      targetName: a.targetName,
      failureCause: a.failureCause ? { message: a.failureCause } : undefined,
      grantedTimestamp: date(a.grantedTimestamp),
      failureTimestamp: date(a.failureTimestamp),
    })),
    subscriptionId: g.subscriptionId,
  };
}

/** The owning project of a listing revision: who approves requests for it. */
const ownerOf = (store: DataZoneStore, listingId: string, revision: string) =>
  listingRevision(store.state.listings[listingId], revision).owningProjectId;

/** Filters shared by the subscription list operations ("owning" = the subscriber). */
function principalFilter(
  p: PrincipalRef,
  input: {
    owningProjectId?: string;
    owningUserId?: string;
    owningGroupId?: string;
    owningIamPrincipalArn?: string;
  },
): boolean {
  if (
    input.owningProjectId &&
    !(p.type === 'project' && p.id === input.owningProjectId)
  )
    return false;
  if (input.owningUserId && !(p.type === 'user' && p.id === input.owningUserId))
    return false;
  if (
    input.owningGroupId &&
    !(p.type === 'group' && p.id === input.owningGroupId)
  )
    return false;
  if (
    input.owningIamPrincipalArn &&
    !(p.type === 'iam' && p.id === input.owningIamPrincipalArn)
  )
    return false;
  return true;
}

const timeKey = (
  r: { createdAt: number; updatedAt: number; seq: number },
  sortBy: string | undefined,
) => [sortBy === 'UPDATED_AT' ? r.updatedAt : r.createdAt, r.seq];

export const createSubscriptionRequest = op(
  (
    input: dz.CreateSubscriptionRequestInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const principal = resolvePrincipal(
      store,
      domainId,
      input.subscribedPrincipals![0],
    );
    const listing = store.listing(
      domainId,
      input.subscribedListings![0].identifier!,
    );
    const rev = latest(listing.revisions);
    if (rev.status !== 'ACTIVE')
      throw validation(
        `Listing ${listing.id} is ${rev.status}: only active listings can be subscribed to.`,
      );
    if (principal.type === 'project') {
      if (principal.id === rev.owningProjectId)
        throw validation(
          `Project ${principal.id} owns listing ${listing.id} and cannot subscribe to it.`,
        );
      requireMember(
        store,
        store.project(domainId, principal.id),
        ctx,
        ANY_MEMBER,
        'subscribe on its behalf',
      );
    }
    const pending = Object.values(store.state.subscriptionRequests).find(
      r =>
        r.domainId === domainId &&
        r.status === 'PENDING' &&
        r.listingId === listing.id &&
        samePrincipal(r.principal, principal),
    );
    if (pending)
      throw conflict(
        `A pending subscription request (${pending.id}) for listing ${listing.id} and this principal already exists.`,
      );
    const existing = Object.values(store.state.subscriptions).find(
      s =>
        s.domainId === domainId &&
        s.status === 'APPROVED' &&
        s.listingId === listing.id &&
        samePrincipal(s.principal, principal),
    );
    const metadataForms = input.metadataForms
      ? resolveForms(store, domainId, input.metadataForms, undefined)
      : undefined;
    const creator = ensureCallerProfile(store, domainId, ctx);
    const seq = store.nextSeq();
    const now = store.now();
    const request: SubscriptionRequestRecord = {
      seq,
      id: store.newId('subscription-request', seq),
      domainId,
      status: 'PENDING',
      principal,
      listingId: listing.id,
      listingRevision: rev.listingRevision,
      requestReason: input.requestReason!,
      metadataForms,
      createdBy: creator.id,
      createdAt: now,
      updatedAt: now,
      existingSubscriptionId: existing?.id,
    };
    store.state.subscriptionRequests[request.id] = request;
    store.changed();
    return requestOutput(store, request);
  },
);

export const getSubscriptionRequestDetails = op(
  (
    input: dz.GetSubscriptionRequestDetailsInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    return requestOutput(
      store,
      find(
        store.state.subscriptionRequests,
        domainId,
        input.identifier!,
        'Subscription request',
      ),
    );
  },
);

export const listSubscriptionRequests = op(
  (
    input: dz.ListSubscriptionRequestsInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    // Without a status, DataZone lists only PENDING requests.
    const status = input.status ?? 'PENDING';
    const items = Object.values(store.state.subscriptionRequests).filter(
      r =>
        r.domainId === domainId &&
        r.status === status &&
        (!input.subscribedListingId ||
          r.listingId === input.subscribedListingId) &&
        (!input.approverProjectId ||
          ownerOf(store, r.listingId, r.listingRevision) ===
            input.approverProjectId) &&
        principalFilter(r.principal, input),
    );
    const { page, nextToken } = paginate({
      items,
      key: r => timeKey(r, input.sortBy),
      descending: input.sortOrder === 'DESCENDING',
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: [
        'ListSubscriptionRequests',
        domainId,
        { ...input, maxResults: undefined, nextToken: undefined, status },
      ],
    });
    return { items: page.map(r => requestSummary(store, r)), nextToken };
  },
);

function decidable(
  store: DataZoneStore,
  input: { domainIdentifier?: string; identifier?: string },
  ctx: RequestContext,
  action: string,
) {
  const domainId = store.domain(input.domainIdentifier!).id;
  const request = find(
    store.state.subscriptionRequests,
    domainId,
    input.identifier!,
    'Subscription request',
  );
  const owner = store.project(
    domainId,
    ownerOf(store, request.listingId, request.listingRevision),
  );
  requireMember(store, owner, ctx, APPROVER_DESIGNATIONS, action);
  if (request.status !== 'PENDING')
    throw conflict(
      `Subscription request ${request.id} is ${request.status}, not PENDING.`,
    );
  return { domainId, request };
}

export const acceptSubscriptionRequest = op(
  async (
    input: dz.AcceptSubscriptionRequestInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const { domainId, request } = decidable(
      store,
      input,
      ctx,
      'accept its subscription requests',
    );
    const reviewer = ensureCallerProfile(store, domainId, ctx);
    const now = store.now();
    // Decided before any await, so a concurrent accept or reject sees it.
    request.status = 'ACCEPTED';
    request.reviewerId = reviewer.id;
    request.decisionComment = input.decisionComment;
    request.updatedAt = now;
    request.updatedBy = reviewer.id;
    const seq = store.nextSeq();
    const subscription: SubscriptionRecord = {
      seq,
      id: store.newId('subscription', seq),
      domainId,
      status: 'APPROVED',
      principal: request.principal,
      listingId: request.listingId,
      listingRevision: request.listingRevision,
      subscriptionRequestId: request.id,
      createdBy: reviewer.id,
      createdAt: now,
      updatedAt: now,
      updatedBy: reviewer.id,
    };
    store.state.subscriptions[subscription.id] = subscription;
    store.changed();
    await fulfil(store, ctx, subscription, reviewer.id);
    store.changed();
    return requestOutput(store, request);
  },
);

export const rejectSubscriptionRequest = op(
  (
    input: dz.RejectSubscriptionRequestInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const { domainId, request } = decidable(
      store,
      input,
      ctx,
      'reject its subscription requests',
    );
    const reviewer = ensureCallerProfile(store, domainId, ctx);
    request.status = 'REJECTED';
    request.reviewerId = reviewer.id;
    request.decisionComment = input.decisionComment;
    request.updatedAt = store.now();
    request.updatedBy = reviewer.id;
    store.changed();
    return requestOutput(store, request);
  },
);

export const getSubscription = op(
  (
    input: dz.GetSubscriptionInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    return subscriptionOutput(
      store,
      find(
        store.state.subscriptions,
        domainId,
        input.identifier!,
        'Subscription',
      ),
    );
  },
);

export const listSubscriptions = op(
  (
    input: dz.ListSubscriptionsInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    // Without a status, DataZone lists only APPROVED subscriptions.
    const status = input.status ?? 'APPROVED';
    const items = Object.values(store.state.subscriptions).filter(
      s =>
        s.domainId === domainId &&
        s.status === status &&
        (!input.subscriptionRequestIdentifier ||
          s.subscriptionRequestId === input.subscriptionRequestIdentifier) &&
        (!input.subscribedListingId ||
          s.listingId === input.subscribedListingId) &&
        (!input.approverProjectId ||
          ownerOf(store, s.listingId, s.listingRevision) ===
            input.approverProjectId) &&
        principalFilter(s.principal, input),
    );
    const { page, nextToken } = paginate({
      items,
      key: s => timeKey(s, input.sortBy),
      descending: input.sortOrder === 'DESCENDING',
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: [
        'ListSubscriptions',
        domainId,
        { ...input, maxResults: undefined, nextToken: undefined, status },
      ],
    });
    return { items: page.map(s => subscriptionOutput(store, s)), nextToken };
  },
);

export const revokeSubscription = op(
  async (
    input: dz.RevokeSubscriptionInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const subscription = find(
      store.state.subscriptions,
      domainId,
      input.identifier!,
      'Subscription',
    );
    const owner = store.project(
      domainId,
      ownerOf(store, subscription.listingId, subscription.listingRevision),
    );
    requireMember(
      store,
      owner,
      ctx,
      APPROVER_DESIGNATIONS,
      'revoke subscriptions to its listings',
    );
    if (subscription.status !== 'APPROVED')
      throw conflict(
        `Subscription ${subscription.id} is ${subscription.status}, not APPROVED.`,
      );
    const userId = ensureCallerProfile(store, domainId, ctx).id;
    subscription.status = 'REVOKED';
    subscription.retainPermissions = input.retainPermissions ?? false;
    subscription.updatedAt = store.now();
    subscription.updatedBy = userId;
    store.changed();
    if (!subscription.retainPermissions)
      await unfulfil(store, ctx, subscription, userId);
    store.changed();
    return subscriptionOutput(store, subscription);
  },
);

export const getSubscriptionGrant = op(
  (
    input: dz.GetSubscriptionGrantInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    return grantOutput(
      find(
        store.state.subscriptionGrants,
        domainId,
        input.identifier!,
        'Subscription grant',
      ),
    );
  },
);

export const listSubscriptionGrants = op(
  (
    input: dz.ListSubscriptionGrantsInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const items = Object.values(store.state.subscriptionGrants).filter(
      g =>
        g.domainId === domainId &&
        (!input.environmentId || g.environmentId === input.environmentId) &&
        (!input.subscriptionTargetId ||
          g.subscriptionTargetId === input.subscriptionTargetId) &&
        (!input.subscribedListingId ||
          g.listingId === input.subscribedListingId) &&
        (!input.subscriptionId || g.subscriptionId === input.subscriptionId) &&
        principalFilter(g.principal, input),
    );
    const { page, nextToken } = paginate({
      items,
      key: g => timeKey(g, input.sortBy),
      descending: input.sortOrder === 'DESCENDING',
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: [
        'ListSubscriptionGrants',
        domainId,
        { ...input, maxResults: undefined, nextToken: undefined },
      ],
    });
    return { items: page.map(grantOutput), nextToken };
  },
);

// ---------------------------------------------------------------------------------
// Fulfilment: what DataZone does in Lake Formation for managed Glue assets.

/** The assets a listing revision stands for: one asset, or every asset of a product. */
function listedAssets(
  store: DataZoneStore,
  listing: ListingRecord,
  rev: ListingRevision,
): { assetId: string; assetRevision: string }[] {
  if (listing.entityType === 'ASSET')
    return [{ assetId: listing.entityId, assetRevision: rev.entityRevision }];
  return (rev.items ?? []).map(i => {
    const member = store.state.listings[i.listingId];
    return {
      assetId: member.entityId,
      assetRevision: listingRevision(member, i.listingRevision).entityRevision,
    };
  });
}

/** The Glue table behind a managed asset: its externalIdentifier ARN, else its GlueTableForm. */
export function glueTableOf(
  store: DataZoneStore,
  assetId: string,
  assetRevision: string,
): GlueTableRef | undefined {
  const asset = store.state.assets[assetId];
  if (!asset) return undefined;
  const fromArn = asset.externalIdentifier
    ? parseGlueTableArn(asset.externalIdentifier)
    : undefined;
  if (fromArn) return fromArn;
  const rev =
    asset.revisions.find(r => r.revision === assetRevision) ??
    latest(asset.revisions);
  const form = rev.forms.find(f => f.typeName === GLUE_TABLE_FORM_TYPE);
  if (!form) return undefined;
  try {
    const content = JSON.parse(form.content) as { tableArn?: string };
    return content.tableArn ? parseGlueTableArn(content.tableArn) : undefined;
  } catch {
    return undefined;
  }
}

interface Target {
  environment?: EnvironmentRecord;
  subscriptionTargetId: string;
  principalArn: string;
  /** The subscriber's Glue database where resource links go. */
  database?: { catalogId: string; region: string; name: string };
}

/**
 * Where grants land: for a project, every data-lake environment it has (its user role
 * receives the grant and its subscription database the resource link); for an IAM
 * principal, that principal. User and group subscriptions get no Lake Formation grant.
 */
function targetsOf(store: DataZoneStore, s: SubscriptionRecord): Target[] {
  if (s.principal.type === 'iam') {
    return [
      {
        subscriptionTargetId: makeId(
          `subscription-target:${s.principal.id}`,
          0,
        ),
        principalArn: s.principal.id,
      },
    ];
  }
  if (s.principal.type !== 'project') return [];
  const projectId = s.principal.id;
  return Object.values(store.state.environments)
    .filter(e => e.domainId === s.domainId && e.projectId === projectId)
    .sort((a, b) => a.seq - b.seq)
    .flatMap(environment => {
      const resource = (name: string) =>
        environment.provisionedResources.find(r => r.name === name)?.value;
      const role = resource('userRoleArn');
      if (!role) return [];
      const subDb = resource('glueConsumerDBForDataLake');
      return [
        {
          environment,
          subscriptionTargetId: makeId(
            `subscription-target:${environment.id}`,
            0,
          ),
          principalArn: role,
          database: subDb
            ? {
                catalogId: environment.awsAccountId,
                region: environment.awsAccountRegion,
                name: subDb,
              }
            : undefined,
        },
      ];
    });
}

const tableKey = (t: {
  catalogId: string;
  databaseName: string;
  tableName: string;
}) => `${t.catalogId}/${t.databaseName}/${t.tableName}`;

async function grantAsset(
  ctx: RequestContext,
  target: Target,
  asset: SubscribedAssetRecord,
  table: GlueTableRef | undefined,
  now: () => number,
) {
  const fail = (cause: string) => {
    asset.status = 'GRANT_FAILED';
    asset.failureCause = cause;
    asset.failureTimestamp = now();
  };
  if (!table) {
    fail(
      `Asset ${asset.assetId} is not a managed Glue table asset: DataZone cannot grant access to it.`,
    );
    return;
  }
  try {
    const found = await ctx.effects.getTable(table);
    if (!found) {
      fail(
        `Glue table ${table.databaseName}.${table.tableName} was not found in account ${table.catalogId}.`,
      );
      return;
    }
    // Grant only what the role does not hold yet (a product and one of its datasets
    // both subscribed reach the same table; so may a grant made outside DataZone).
    const held = await ctx.effects.listTablePermissions(
      table,
      target.principalArn,
    );
    const missing = SUBSCRIPTION_TABLE_PERMISSIONS.filter(
      p => !held.includes(p),
    );
    if (missing.length)
      await ctx.effects.grantTablePermissions(
        table,
        target.principalArn,
        missing,
      );
    asset.lakeFormation = {
      catalogId: table.catalogId,
      region: table.region,
      databaseName: table.databaseName,
      tableName: table.tableName,
      principal: target.principalArn,
      permissions: [...SUBSCRIPTION_TABLE_PERMISSIONS],
      addedPermissions: missing,
    };
    asset.targetName = `${table.databaseName}.${table.tableName}`;
    if (target.database) {
      const link = {
        catalogId: target.database.catalogId,
        region: target.database.region,
        databaseName: target.database.name,
        name: table.tableName,
      };
      try {
        await ctx.effects.createResourceLink(link, table);
        asset.lakeFormation.resourceLink = {
          catalogId: link.catalogId,
          databaseName: link.databaseName,
          name: link.name,
        };
        asset.targetName = link.name;
      } catch {
        // The grant stands without a link; the subscriber queries the source table.
      }
    }
    asset.status = 'GRANTED';
    asset.grantedTimestamp = now();
  } catch (error) {
    fail(`Lake Formation grant failed: ${(error as Error).message}`);
  }
}

async function fulfil(
  store: DataZoneStore,
  ctx: RequestContext,
  subscription: SubscriptionRecord,
  userId: string,
) {
  const listing = store.state.listings[subscription.listingId];
  const rev = listingRevision(listing, subscription.listingRevision);
  const assets = listedAssets(store, listing, rev);
  const grants: { grant: SubscriptionGrantRecord; target: Target }[] = [];
  for (const target of targetsOf(store, subscription)) {
    const seq = store.nextSeq();
    const now = store.now();
    const grant: SubscriptionGrantRecord = {
      seq,
      id: store.newId('subscription-grant', seq),
      domainId: subscription.domainId,
      subscriptionId: subscription.id,
      principal: subscription.principal,
      environmentId: target.environment?.id,
      subscriptionTargetId: target.subscriptionTargetId,
      listingId: listing.id,
      listingRevision: rev.listingRevision,
      status: 'IN_PROGRESS',
      assets: assets.map(a => ({ ...a, status: 'GRANT_IN_PROGRESS' })),
      createdBy: userId,
      createdAt: now,
      updatedAt: now,
      updatedBy: userId,
    };
    store.state.subscriptionGrants[grant.id] = grant;
    grants.push({ grant, target });
  }
  store.changed();
  for (const { grant, target } of grants) {
    for (const asset of grant.assets) {
      await grantAsset(
        ctx,
        target,
        asset,
        glueTableOf(store, asset.assetId, asset.assetRevision),
        () => store.now(),
      );
    }
    grant.status = grant.assets.every(a => a.status === 'GRANTED')
      ? 'COMPLETED'
      : 'GRANT_FAILED';
    grant.updatedAt = store.now();
  }
}

/**
 * Removes what the subscription's grants added in Lake Formation, except where another
 * approved subscription still needs the same principal and table (Lake Formation keeps
 * one permission set per principal and table): then that subscription takes over what
 * was added, and removes it when it is revoked in turn. Only permissions the principal
 * still holds are revoked, and never one a grant did not add (a grant made outside
 * DataZone stays).
 */
async function unfulfil(
  store: DataZoneStore,
  ctx: RequestContext,
  subscription: SubscriptionRecord,
  userId: string,
) {
  const grants = Object.values(store.state.subscriptionGrants).filter(
    g => g.subscriptionId === subscription.id,
  );
  // principal|table → the grants of other approved subscriptions there.
  const stillHeld = new Map<string, LakeFormationGrantRef[]>();
  for (const g of Object.values(store.state.subscriptionGrants)) {
    if (g.subscriptionId === subscription.id) continue;
    if (store.state.subscriptions[g.subscriptionId]?.status !== 'APPROVED')
      continue;
    for (const a of g.assets)
      if (a.status === 'GRANTED' && a.lakeFormation) {
        const k = `${a.lakeFormation.principal}|${tableKey(a.lakeFormation)}`;
        stillHeld.set(k, [...(stillHeld.get(k) ?? []), a.lakeFormation]);
      }
  }
  for (const grant of grants) {
    for (const asset of grant.assets) {
      if (asset.status !== 'GRANTED') continue;
      const lf = asset.lakeFormation;
      asset.status = 'REVOKE_IN_PROGRESS';
      try {
        const added = lf ? lf.addedPermissions ?? lf.permissions : [];
        const holders = lf && stillHeld.get(`${lf.principal}|${tableKey(lf)}`);
        if (lf && holders) {
          // What this grant added stays for the subscriptions still holding it; the
          // last of them to be revoked removes it.
          for (const holder of holders)
            holder.addedPermissions = [
              ...new Set([
                ...(holder.addedPermissions ?? holder.permissions),
                ...added,
              ]),
            ].sort();
        } else if (lf) {
          const held = await ctx.effects.listTablePermissions(lf, lf.principal);
          const toRevoke = held.filter(p => added.includes(p));
          if (toRevoke.length)
            await ctx.effects.revokeTablePermissions(
              lf,
              lf.principal,
              toRevoke,
            );
          if (lf.resourceLink)
            await ctx.effects.deleteResourceLink({
              ...lf.resourceLink,
              region: lf.region,
            });
        }
        asset.status = 'REVOKED';
      } catch (error) {
        asset.status = 'REVOKE_FAILED';
        asset.failureCause = `Lake Formation revoke failed: ${
          (error as Error).message
        }`;
        asset.failureTimestamp = store.now();
      }
    }
    grant.status = grant.assets.some(a => a.status === 'REVOKE_FAILED')
      ? 'REVOKE_FAILED'
      : 'COMPLETED';
    grant.updatedAt = store.now();
    grant.updatedBy = userId;
  }
}
