import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionRuleset,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  AccessGrantVerification,
  AccessRequest,
  AccessRequestAuditEvent,
  AccessRequestList,
  AccessRequestStatus,
  dataMeshAccessRequestCreatePermission,
  dataMeshAccessRequestReadPermission,
  dataMeshAccessRequestReviewPermission,
  dataMeshAccessRequestRevokePermission,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { Request } from 'express';
import {
  AccessRequestFilter,
  AccessRequestRecord,
  AccessRequestStore,
  GrantRecord,
} from '../database/AccessRequestStore';
import { GrantError, GrantProvider } from '../grants/types';
import { DataZoneGrantProvider } from '../grants/DataZoneGrantProvider';
import { DataMeshEntityResource } from '../permissions/rules';
import { AccessEntities, AccessTarget, AccessTeam } from './entities';
import { Notifier } from './Notifier';
import { AccessRequestSettings } from './settings';

/** Who is calling, from Backstage auth only. */
export interface Caller {
  credentials: BackstageCredentials;
  userRef: string;
  /** The user and their groups (`userInfo.ownershipEntityRefs`). */
  ownershipRefs: string[];
  /** The HTTP request, for audit events. */
  request?: Request;
}

const AUTO_APPROVER = 'system:data-mesh/auto-approve';
const EXPIRY_ACTOR = 'system:data-mesh/expiry';
const RECONCILER = 'system:data-mesh/reconciliation';
const DAY_MS = 24 * 60 * 60 * 1000;
const OPEN_STATUSES: AccessRequestStatus[] = ['pending', 'approved', 'active'];

function sameRef(a: string, b: string) {
  return a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
}

function normalizeRef(ref: string, defaultKind?: string) {
  try {
    return stringifyEntityRef(parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }));
  } catch {
    throw new InputError(`'${ref}' is not a valid entity ref`);
  }
}

/** Strips what stays inside the backend (reviewer group snapshots, grant ids). */
export function toApi(record: AccessRequestRecord): AccessRequest {
  const { ownerRefs, approverRefs, grant, expiryNotifiedAt, ...api } = record;
  return api;
}

/**
 * The access request workflow: creation, review, grants, revocation, expiry
 * and reconciliation. Every user-facing method authorizes through the
 * permission framework before it reads or writes anything.
 */
export class AccessRequestService {
  private readonly transformConditions;

  constructor(
    private readonly deps: {
      store: AccessRequestStore;
      entities: AccessEntities;
      grants: GrantProvider;
      permissions: PermissionsService;
      auth: AuthService;
      auditor?: AuditorService;
      notifier: Notifier;
      logger: LoggerService;
      settings: AccessRequestSettings;
      ruleset: PermissionRuleset<DataMeshEntityResource, AccessRequestFilter, 'catalog-entity'>;
    },
  ) {
    this.transformConditions = createConditionTransformer(deps.ruleset);
  }

  // ---- user actions -------------------------------------------------------

  async create(
    body: {
      entityRef: string;
      teamRef: string;
      purpose: string;
      accessLevel: 'read' | 'describe';
      durationDays?: number;
    },
    caller: Caller,
  ): Promise<AccessRequest> {
    return this.audited('access-request-create', caller, { entityRef: body.entityRef }, async () => {
      const { settings, store } = this.deps;
      const entityRef = normalizeRef(body.entityRef);
      const teamRef = normalizeRef(body.teamRef, 'group');
      const days = body.durationDays ?? settings.defaultDurationDays;
      if (days > settings.maxDurationDays) {
        throw new InputError(
          `durationDays: at most ${settings.maxDurationDays} days can be requested, got ${days}`,
        );
      }
      await this.authorize(dataMeshAccessRequestCreatePermission, entityRef, caller);
      if (!caller.ownershipRefs.some(ref => sameRef(ref, teamRef))) {
        throw new NotAllowedError(`You are not a member of ${teamRef}, so you cannot request access for it`);
      }
      const target = await this.deps.entities.getTarget(entityRef, caller.credentials);
      const team = await this.deps.entities.getTeam(teamRef, caller.credentials);
      await this.deps.grants.check({ target, team, accessLevel: body.accessLevel });

      const open = await store.listByTeam(team.teamRef, OPEN_STATUSES);
      const duplicate = open.find(r => sameRef(r.entityRef, target.entityRef));
      if (duplicate) {
        throw new ConflictError(
          `${team.teamRef} already has a ${duplicate.status} request (${duplicate.id}) for ${target.entityRef}`,
        );
      }

      let request = await store.create(
        {
          entityRef: target.entityRef,
          entityTitle: target.title,
          targetKind: target.kind,
          productRef: target.productRef,
          ownerRefs: target.ownerRefs,
          approverRefs: target.approverRefs,
          requesterRef: caller.userRef,
          teamRef: team.teamRef,
          purpose: body.purpose,
          accessLevel: body.accessLevel,
          requestedDurationDays: days,
          grantMode: this.deps.grants.mode,
          source: 'backstage',
        },
        { action: 'created', actorRef: caller.userRef, detail: { durationDays: days, accessLevel: body.accessLevel } },
      );

      if (this.autoApproves(target, team, body.accessLevel)) {
        request = await this.approveAndGrant(request, {
          reviewerRef: AUTO_APPROVER,
          days,
          comment: 'Approved automatically by the auto-approve rules',
          target,
          team,
        });
        await this.deps.notifier.decided(toApi(request));
      } else {
        await this.deps.notifier.newRequest(toApi(request), [...target.ownerRefs, ...target.approverRefs]);
      }
      return toApi(request);
    });
  }

  async get(id: string, caller: Caller): Promise<AccessRequest> {
    return toApi(await this.readable(id, caller));
  }

  async verifyGrant(id: string, caller: Caller): Promise<AccessGrantVerification> {
    const request = await this.readable(id, caller);
    if (!request.grant) {
      return {
        requestId: id,
        mode: request.grantMode,
        granted: false,
        checkedAt: new Date().toISOString(),
        tables: [],
        detail: `Nothing is granted for a ${request.status} request`,
      };
    }
    return this.deps.grants.verify(id, request.grant);
  }

  async events(id: string, caller: Caller): Promise<AccessRequestAuditEvent[]> {
    await this.readable(id, caller);
    return (await this.deps.store.listEvents({ requestId: id, limit: 500, offset: 0 })).items;
  }

  async productEvents(
    entityRef: string,
    page: { limit: number; offset: number },
    caller: Caller,
  ): Promise<{ items: AccessRequestAuditEvent[]; totalCount: number }> {
    const ref = normalizeRef(entityRef);
    await this.authorize(dataMeshAccessRequestReadPermission, ref, caller);
    return this.deps.store.listEvents({ entityRef: ref, productRef: ref, ...page });
  }

  async list(
    query: {
      view: 'mine' | 'review' | 'entity';
      entityRef?: string;
      status?: AccessRequestStatus | AccessRequestStatus[];
      limit: number;
      offset: number;
    },
    caller: Caller,
  ): Promise<AccessRequestList> {
    const filters: AccessRequestFilter[] = [];
    const mine: AccessRequestFilter = {
      anyOf: [
        { field: 'requesterRef', values: [caller.userRef] },
        { field: 'teamRef', values: caller.ownershipRefs },
      ],
    };
    const entityRef = query.entityRef ? normalizeRef(query.entityRef) : undefined;
    const onEntity: AccessRequestFilter | undefined = entityRef
      ? { anyOf: [{ field: 'entityRef', values: [entityRef] }, { field: 'productRef', values: [entityRef] }] }
      : undefined;
    if (query.view === 'mine') {
      filters.push(mine);
    } else if (query.view === 'review') {
      filters.push(await this.reviewFilter(caller));
    } else {
      const [decision] = await this.deps.permissions.authorize(
        [{ permission: dataMeshAccessRequestReadPermission, resourceRef: entityRef! }],
        { credentials: caller.credentials },
      );
      // Without read rights on the entity, people still see their own requests on it.
      if (decision.result !== AuthorizeResult.ALLOW) filters.push(mine);
    }
    if (onEntity) filters.push(onEntity);
    if (query.status) {
      filters.push({ field: 'status', values: ([] as string[]).concat(query.status) });
    }
    const { items, totalCount } = await this.deps.store.list({
      filter: { allOf: filters },
      limit: query.limit,
      offset: query.offset,
    });
    return { items: items.map(toApi), totalCount, limit: query.limit, offset: query.offset };
  }

  async approve(id: string, body: { durationDays?: number; comment?: string }, caller: Caller): Promise<AccessRequest> {
    return this.audited('access-request-approve', caller, { requestId: id }, async () => {
      const request = await this.mustGet(id);
      await this.authorize(dataMeshAccessRequestReviewPermission, request.entityRef, caller);
      this.assertStatus(request, ['pending'], 'approve');
      const granted = body.durationDays ?? request.requestedDurationDays;
      if (granted > request.requestedDurationDays) {
        throw new InputError(
          `durationDays: approval can shorten the requested ${request.requestedDurationDays} days, not extend them`,
        );
      }
      if (granted > this.deps.settings.maxDurationDays) {
        throw new InputError(`durationDays: at most ${this.deps.settings.maxDurationDays} days`);
      }
      const service = await this.deps.auth.getOwnServiceCredentials();
      const target = await this.deps.entities.getTarget(request.entityRef, service);
      const team = await this.deps.entities.getTeam(request.teamRef, service);
      if (request.source === 'backstage' || this.deps.grants.mode === 'lakeformation') {
        await this.deps.grants.check({ target, team, accessLevel: request.accessLevel, subscriptionRequestId: request.externalId });
      }
      const result = await this.approveAndGrant(request, {
        reviewerRef: caller.userRef,
        days: granted,
        comment: body.comment,
        target,
        team,
      });
      await this.deps.notifier.decided(toApi(result));
      return toApi(result);
    });
  }

  async reject(id: string, body: { reason: string }, caller: Caller): Promise<AccessRequest> {
    return this.audited('access-request-reject', caller, { requestId: id }, async () => {
      const request = await this.mustGet(id);
      await this.authorize(dataMeshAccessRequestReviewPermission, request.entityRef, caller);
      this.assertStatus(request, ['pending'], 'reject');
      const rejected = await this.deps.store.transition(
        id,
        ['pending'],
        'rejected',
        { reviewerRef: caller.userRef, decisionReason: body.reason, decidedAt: new Date() },
        { action: 'rejected', actorRef: caller.userRef, detail: { reason: body.reason } },
      );
      if (!rejected) throw await this.conflict(id, 'reject');
      await this.rejectInDataZone(rejected, body.reason);
      await this.deps.notifier.decided(toApi(rejected));
      return toApi(rejected);
    });
  }

  async withdraw(id: string, body: { reason?: string }, caller: Caller): Promise<AccessRequest> {
    return this.audited('access-request-withdraw', caller, { requestId: id }, async () => {
      const request = await this.mustGet(id);
      if (!sameRef(request.requesterRef, caller.userRef)) {
        throw new NotAllowedError('Only the requester can withdraw a request');
      }
      this.assertStatus(request, ['pending'], 'withdraw');
      const withdrawn = await this.deps.store.transition(
        id,
        ['pending'],
        'withdrawn',
        { decisionReason: body.reason ?? null, decidedAt: new Date() },
        { action: 'withdrawn', actorRef: caller.userRef, detail: body.reason ? { reason: body.reason } : undefined },
      );
      if (!withdrawn) throw await this.conflict(id, 'withdraw');
      await this.rejectInDataZone(withdrawn, body.reason ?? 'Withdrawn by the requester');
      return toApi(withdrawn);
    });
  }

  async revoke(id: string, body: { reason?: string }, caller: Caller): Promise<AccessRequest> {
    return this.audited('access-request-revoke', caller, { requestId: id }, async () => {
      const request = await this.mustGet(id);
      await this.authorize(dataMeshAccessRequestRevokePermission, request.entityRef, caller);
      this.assertStatus(request, ['active', 'failed'], 'revoke');
      const result = await this.endGrant(request, 'revoked', caller.userRef, body.reason);
      await this.deps.notifier.decided(toApi(result));
      return toApi(result);
    });
  }

  // ---- jobs ---------------------------------------------------------------

  /** Revokes grants past their end and warns requesters before the end. */
  async expire(now = new Date()): Promise<{ expired: number; failed: number; warned: number }> {
    const { store, settings, logger } = this.deps;
    let expired = 0;
    let failed = 0;
    let warned = 0;
    for (;;) {
      const due = await store.listExpiring(['active'], now, 100);
      if (due.length === 0) break;
      for (const request of due) {
        const result = await this.endGrant(request, 'expired', EXPIRY_ACTOR, 'Access period ended').catch(error => {
          logger.error(`Expiring access request ${request.id} failed`, error);
          return undefined;
        });
        if (result?.status === 'expired') expired++;
        else failed++;
        if (result) await this.deps.notifier.decided(toApi(result));
      }
      if (due.length < 100) break;
    }
    if (settings.expiryWarningDays > 0) {
      const soon = new Date(now.getTime() + settings.expiryWarningDays * DAY_MS);
      const expiring = await store.listExpiring(['active'], soon, 500);
      for (const request of expiring.filter(r => !r.expiryNotifiedAt)) {
        if (await store.update(request.id, 'active', { expiryNotifiedAt: now })) {
          await this.deps.notifier.expiresSoon(toApi(request));
          warned++;
        }
      }
    }
    if (expired + failed + warned > 0) {
      logger.info(`Access expiry: ${expired} expired, ${failed} failed, ${warned} warned`);
    }
    return { expired, failed, warned };
  }

  /**
   * Imports requests made in the DataZone portal and converges requests whose
   * state changed outside Backstage (accepted, rejected or revoked in
   * DataZone; Lake Formation grants removed by hand).
   */
  async reconcile(): Promise<{ imported: number; converged: number }> {
    const { store, logger, settings } = this.deps;
    const service = await this.deps.auth.getOwnServiceCredentials();
    let imported = 0;
    let converged = 0;
    const dataZone = this.deps.grants instanceof DataZoneGrantProvider ? this.deps.grants : undefined;

    if (dataZone) {
      for (const domainId of settings.dataZone.domainIds) {
        const pending = await dataZone.listPending(domainId);
        for (const item of pending) {
          if (await store.getByExternalId(item.id)) continue;
          const target = item.listingId
            ? await this.deps.entities.findTargetByListing(item.listingId, service)
            : undefined;
          const team = item.projectId
            ? await this.deps.entities.findTeamByProject(item.projectId, service)
            : undefined;
          if (!target || !team) {
            logger.debug(`Not importing DataZone subscription request ${item.id}: listing or project not in the catalog`);
            continue;
          }
          try {
            const created = await store.create(
              {
                entityRef: target.entityRef,
                entityTitle: target.title,
                targetKind: target.kind,
                productRef: target.productRef,
                ownerRefs: target.ownerRefs,
                approverRefs: target.approverRefs,
                requesterRef: `datazone-user:${item.createdBy}`,
                teamRef: team.teamRef,
                purpose: item.reason || '(no reason given in DataZone)',
                accessLevel: 'read',
                requestedDurationDays: settings.defaultDurationDays,
                grantMode: 'datazone',
                source: 'datazone',
                externalId: item.id,
              },
              { action: 'imported', actorRef: RECONCILER, detail: { subscriptionRequestId: item.id } },
            );
            imported++;
            await this.deps.notifier.newRequest(toApi(created), [...target.ownerRefs, ...target.approverRefs]);
          } catch (error) {
            // A concurrent import of the same request hits the unique external id.
            logger.debug(`Import of DataZone subscription request ${item.id} skipped: ${error}`);
          }
        }
      }
    }

    const open = await store.list({
      filter: { field: 'status', values: ['pending', 'active'] },
      limit: 1000,
      offset: 0,
    });
    for (const request of open.items) {
      try {
        // Who may review may have changed since the request was made.
        const target = await this.deps.entities.findTarget(request.entityRef, service);
        if (target && (target.ownerRefs.join() !== request.ownerRefs.join() || target.approverRefs.join() !== request.approverRefs.join())) {
          await store.setReviewerGroups(request.id, target.ownerRefs, target.approverRefs);
        }
        if (await this.convergeOne(request, dataZone)) converged++;
      } catch (error) {
        logger.warn(`Reconciling access request ${request.id} failed: ${error}`);
      }
    }
    if (imported + converged > 0) {
      logger.info(`Access reconciliation: ${imported} imported, ${converged} converged`);
    }
    return { imported, converged };
  }

  // ---- internals ----------------------------------------------------------

  private async convergeOne(request: AccessRequestRecord, dataZone: DataZoneGrantProvider | undefined): Promise<boolean> {
    const { store } = this.deps;
    if (request.status === 'pending' && dataZone && request.externalId && request.grantMode === 'datazone') {
      const service = await this.deps.auth.getOwnServiceCredentials();
      const target = await this.deps.entities.findTarget(request.entityRef, service);
      const domainId = this.dataZoneDomainOf(request, target);
      if (!domainId) return false;
      const details = await dataZone.subscriptionRequest(domainId, request.externalId);
      const reviewerRef = `datazone-user:${details.reviewerId ?? 'unknown'}`;
      if (details.status === 'REJECTED') {
        return !!(await store.transition(
          request.id,
          ['pending'],
          'rejected',
          { decisionReason: details.decisionComment || 'Rejected in DataZone', reviewerRef, decidedAt: new Date() },
          { action: 'rejected-outside', actorRef: RECONCILER, detail: { subscriptionRequestId: request.externalId } },
        ));
      }
      if (details.status === 'ACCEPTED') {
        // The subscription the acceptance created (not `existingSubscriptionId`,
        // which names a subscription that existed before the request).
        const subscriptionId = await dataZone.findSubscription(domainId, request.externalId);
        if (!subscriptionId) {
          this.deps.logger.info(
            `DataZone subscription request ${request.externalId} is accepted but has no approved subscription yet; checking again next run`,
          );
          return false;
        }
        return !!(await store.transition(
          request.id,
          ['pending'],
          'active',
          {
            reviewerRef,
            decisionReason: details.decisionComment || null,
            decidedAt: new Date(),
            grantedDurationDays: request.requestedDurationDays,
            expiresAt: new Date(Date.now() + request.requestedDurationDays * DAY_MS),
            grant: {
              mode: 'datazone',
              principal: details.subscribedPrincipals?.[0]?.project?.id ?? '',
              permissions: ['SELECT', 'DESCRIBE'],
              tables: target?.tables ?? [],
              domainId,
              region: this.deps.settings.dataZone.region,
              listingId: details.subscribedListings?.[0]?.id,
              subscriptionRequestId: request.externalId,
              subscriptionId,
            },
          },
          { action: 'approved-outside', actorRef: RECONCILER, detail: { subscriptionRequestId: request.externalId, subscriptionId } },
        ));
      }
      return false;
    }
    if (request.status === 'active' && request.grant) {
      let gone: string | undefined;
      if (request.grant.mode === 'datazone' && dataZone) {
        // DataZone fulfils grants asynchronously: only a subscription that is
        // no longer APPROVED means access was taken away.
        const { domainId, subscriptionId } = request.grant;
        if (!domainId || !subscriptionId) return false;
        const status = await dataZone.subscriptionStatus(domainId, subscriptionId);
        if (status !== 'APPROVED') gone = `DataZone subscription ${subscriptionId} is ${status ?? 'gone'}`;
      } else {
        const verification = await this.deps.grants.verify(request.id, request.grant);
        if (!verification.granted) gone = verification.detail ?? '';
      }
      if (gone !== undefined) {
        return !!(await store.transition(
          request.id,
          ['active'],
          'revoked',
          { decisionReason: `Access was removed outside Backstage: ${gone}`.trim() },
          { action: 'revoked-outside', actorRef: RECONCILER, detail: { detail: gone } },
        ));
      }
    }
    return false;
  }

  /** The DataZone domain of a request: its grant's, its entity's, else the only configured one. */
  private dataZoneDomainOf(request: AccessRequestRecord, target?: AccessTarget): string | undefined {
    return request.grant?.domainId ?? target?.domainId ?? this.deps.settings.dataZone.domainIds[0];
  }

  private async approveAndGrant(
    request: AccessRequestRecord,
    options: { reviewerRef: string; days: number; comment?: string; target: AccessTarget; team: AccessTeam },
  ): Promise<AccessRequestRecord> {
    const { store } = this.deps;
    // The compare-and-set decides the race: only one approval gets to grant.
    const approved = await store.transition(
      request.id,
      ['pending'],
      'approved',
      {
        reviewerRef: options.reviewerRef,
        decidedAt: new Date(),
        grantedDurationDays: options.days,
        decisionReason: options.comment ?? null,
      },
      { action: 'approved', actorRef: options.reviewerRef, detail: { durationDays: options.days } },
    );
    if (!approved) throw await this.conflict(request.id, 'approve');
    try {
      const grant = await this.deps.grants.grant({
        requestId: request.id,
        target: options.target,
        team: options.team,
        accessLevel: request.accessLevel,
        purpose: request.purpose,
        comment: options.comment,
        subscriptionRequestId: request.source === 'datazone' ? request.externalId : undefined,
        onSubscriptionRequest: async subscriptionRequestId => {
          await store.update(request.id, 'approved', { externalId: subscriptionRequestId });
        },
      });
      const active = await store.transition(
        request.id,
        ['approved'],
        'active',
        {
          grant,
          expiresAt: new Date(Date.now() + options.days * DAY_MS),
          externalId: grant.subscriptionRequestId ?? request.externalId ?? null,
        },
        { action: 'granted', actorRef: options.reviewerRef, detail: { principal: grant.principal, tables: grant.tables.map(t => `${t.databaseName}.${t.tableName}`), permissions: grant.permissions, subscriptionId: grant.subscriptionId } },
      );
      return active ?? (await this.mustGet(request.id));
    } catch (error) {
      const partial = error instanceof GrantError ? error.partial : undefined;
      const message = error instanceof Error ? error.message : String(error);
      const failureReason = partial
        ? `Granting failed: ${message}. Still in place: ${describeGrant(partial)}; revoke the request to remove it.`
        : `Granting failed: ${message}. Nothing was granted.`;
      this.deps.logger.warn(`Access request ${request.id}: ${failureReason}`);
      const failed = await store.transition(
        request.id,
        ['approved'],
        'failed',
        { failureReason, grant: partial ?? null, externalId: partial?.subscriptionRequestId ?? request.externalId ?? null },
        { action: 'grant-failed', actorRef: options.reviewerRef, detail: { error: message } },
      );
      return failed ?? (await this.mustGet(request.id));
    }
  }

  /** Moves to `to` first (so no second revoke starts), then removes the grant in AWS. */
  private async endGrant(
    request: AccessRequestRecord,
    to: 'revoked' | 'expired',
    actorRef: string,
    reason?: string,
  ): Promise<AccessRequestRecord> {
    const { store } = this.deps;
    const from: AccessRequestStatus[] = to === 'expired' ? ['active'] : ['active', 'failed'];
    const ended = await store.transition(
      request.id,
      from,
      to,
      { decisionReason: reason ?? request.decisionReason ?? null, ...(to === 'revoked' ? { reviewerRef: actorRef } : {}) },
      { action: to, actorRef, detail: reason ? { reason } : undefined },
    );
    if (!ended) throw await this.conflict(request.id, to === 'expired' ? 'expire' : 'revoke');
    if (!request.grant) return ended;
    try {
      const keep = (await store.listByTeam(request.teamRef, ['active']))
        .filter(r => r.id !== request.id && r.grant)
        .map(r => r.grant as GrantRecord);
      await this.deps.grants.revoke(request.grant, { keep });
      await store.update(request.id, to, { grant: null });
      return (await store.get(request.id))!;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const failed = await store.transition(
        request.id,
        [to],
        'failed',
        { failureReason: `Removing the grant failed: ${message}. It may still be in place: ${describeGrant(request.grant)}; revoke again to retry.` },
        { action: 'revoke-failed', actorRef, detail: { error: message } },
      );
      return failed ?? (await this.mustGet(request.id));
    }
  }

  private async rejectInDataZone(request: AccessRequestRecord, reason: string) {
    if (request.source !== 'datazone' || !request.externalId) return;
    if (!(this.deps.grants instanceof DataZoneGrantProvider)) return;
    const service = await this.deps.auth.getOwnServiceCredentials();
    const target = await this.deps.entities.findTarget(request.entityRef, service).catch(() => undefined);
    const domainId = this.dataZoneDomainOf(request, target);
    if (!domainId) return;
    try {
      await this.deps.grants.reject(domainId, request.externalId, reason);
    } catch (error) {
      this.deps.logger.warn(`Rejecting DataZone subscription request ${request.externalId} failed: ${error}`);
    }
  }

  private async reviewFilter(caller: Caller): Promise<AccessRequestFilter> {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: dataMeshAccessRequestReviewPermission }],
      { credentials: caller.credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return { all: true };
    if (decision.result === AuthorizeResult.DENY) return { none: true };
    if (decision.result === AuthorizeResult.CONDITIONAL && decision.pluginId === 'data-mesh') {
      return this.transformConditions(decision.conditions) as AccessRequestFilter;
    }
    // Conditions of another plugin (e.g. the catalog's): evaluate per entity.
    const refs = await this.deps.store.distinctEntityRefs();
    if (refs.length === 0) return { none: true };
    const decisions = await this.deps.permissions.authorize(
      refs.map(resourceRef => ({ permission: dataMeshAccessRequestReviewPermission, resourceRef })),
      { credentials: caller.credentials },
    );
    return {
      field: 'entityRef',
      values: refs.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
    };
  }

  private async readable(id: string, caller: Caller): Promise<AccessRequestRecord> {
    const request = await this.mustGet(id);
    const own =
      sameRef(request.requesterRef, caller.userRef) ||
      caller.ownershipRefs.some(ref => sameRef(ref, request.teamRef));
    if (!own) {
      await this.authorize(dataMeshAccessRequestReadPermission, request.entityRef, caller);
    }
    return request;
  }

  private async authorize(permission: ResourcePermission<'catalog-entity'>, resourceRef: string, caller: Caller) {
    const [decision] = await this.deps.permissions.authorize([{ permission, resourceRef }], {
      credentials: caller.credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You are not allowed to ${permission.attributes.action === 'update' ? 'review' : permission.name.split('.').pop()} access requests for ${resourceRef}`);
    }
  }

  private autoApproves(target: AccessTarget, team: AccessTeam, accessLevel: string): boolean {
    return this.deps.settings.autoApprove.some(rule => {
      const conditions = [
        rule.classifications
          ? target.classifications.length > 0 && target.classifications.every(c => rule.classifications!.includes(c))
          : undefined,
        rule.entityRefs ? rule.entityRefs.some(ref => sameRef(ref, target.entityRef)) : undefined,
        rule.teamRefs ? rule.teamRefs.some(ref => sameRef(ref, team.teamRef)) : undefined,
        rule.accessLevel ? rule.accessLevel === accessLevel : undefined,
      ].filter((c): c is boolean => c !== undefined);
      return conditions.length > 0 && conditions.every(Boolean);
    });
  }

  private assertStatus(request: AccessRequestRecord, allowed: AccessRequestStatus[], action: string) {
    if (!allowed.includes(request.status)) {
      throw new ConflictError(`Cannot ${action} a request that is ${request.status}`);
    }
  }

  private async conflict(id: string, action: string) {
    const now = await this.deps.store.get(id);
    return new ConflictError(`Cannot ${action} the request: it is ${now?.status ?? 'gone'} now`);
  }

  private async mustGet(id: string): Promise<AccessRequestRecord> {
    const request = await this.deps.store.get(id);
    if (!request) throw new NotFoundError(`No access request ${id}`);
    return request;
  }

  private async audited<T>(
    eventId: string,
    caller: Caller,
    meta: Record<string, string>,
    fn: () => Promise<T>,
  ): Promise<T> {
    let event: Awaited<ReturnType<AuditorService['createEvent']>> | undefined;
    try {
      event = await this.deps.auditor?.createEvent({
        eventId,
        request: caller.request,
        severityLevel: 'medium',
        meta: { ...meta, actor: caller.userRef },
      });
    } catch (error) {
      this.deps.logger.warn(`Could not create audit event ${eventId}: ${error}`);
    }
    try {
      const result = await fn();
      const status = (result as { status?: string; id?: string } | undefined);
      await event?.success({ meta: { status: status?.status ?? null, requestId: status?.id ?? meta.requestId ?? null } }).catch(() => {});
      return result;
    } catch (error) {
      await event?.fail({ error: error as Error }).catch(() => {});
      throw error;
    }
  }
}

function describeGrant(grant: GrantRecord): string {
  if (grant.mode === 'datazone') {
    return `DataZone subscription request ${grant.subscriptionRequestId ?? '?'}${grant.subscriptionId ? `, subscription ${grant.subscriptionId}` : ''}`;
  }
  return `${grant.permissions.join('+')} for ${grant.principal} on ${grant.tables.map(t => `${t.databaseName}.${t.tableName}`).join(', ') || 'no table'}`;
}
