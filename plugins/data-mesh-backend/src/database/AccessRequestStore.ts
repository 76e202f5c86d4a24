import {
  AccessGrantMode,
  AccessGrantTable,
  AccessLevel,
  AccessRequest,
  AccessRequestAuditEvent,
  AccessRequestSource,
  AccessRequestStatus,
  AccessRequestTargetKind,
} from '@data-mesh-portal/plugin-data-mesh-common';

/**
 * What was granted in AWS for a request, enough to verify and to revoke
 * exactly that.
 */
export interface GrantRecord {
  mode: AccessGrantMode;
  /** Lake Formation mode: the IAM role ARN; DataZone mode: the project id. */
  principal: string;
  permissions: string[];
  tables: AccessGrantTable[];
  /** DataZone mode. */
  domainId?: string;
  region?: string;
  listingId?: string;
  subscriptionRequestId?: string;
  subscriptionId?: string;
}

/** A stored request: the API shape plus what the backend keeps to itself. */
export interface AccessRequestRecord extends AccessRequest {
  ownerRefs: string[];
  approverRefs: string[];
  grant?: GrantRecord;
  expiryNotifiedAt?: string;
}

/** A new request as the service creates it. */
export interface NewAccessRequest {
  entityRef: string;
  entityTitle?: string;
  targetKind: AccessRequestTargetKind;
  productRef?: string;
  ownerRefs: string[];
  approverRefs: string[];
  requesterRef: string;
  teamRef: string;
  purpose: string;
  accessLevel: AccessLevel;
  requestedDurationDays: number;
  grantMode: AccessGrantMode;
  source: AccessRequestSource;
  externalId?: string;
  status?: AccessRequestStatus;
}

/** Fields a status transition may set along with the new status. */
export interface AccessRequestPatch {
  reviewerRef?: string | null;
  decisionReason?: string | null;
  failureReason?: string | null;
  grantedDurationDays?: number | null;
  grant?: GrantRecord | null;
  decidedAt?: Date | null;
  expiresAt?: Date | null;
  expiryNotifiedAt?: Date | null;
  externalId?: string | null;
}

/**
 * A filter over requests, built from the caller's identity and from the
 * permission framework's conditions (see `permissions/rules.ts`).
 */
export type AccessRequestFilter =
  | { allOf: AccessRequestFilter[] }
  | { anyOf: AccessRequestFilter[] }
  | { not: AccessRequestFilter }
  | { field: 'requesterRef' | 'teamRef' | 'entityRef' | 'productRef' | 'status'; values: string[] }
  | { reviewerGroup: 'owner' | 'approver'; groupRefs: string[] }
  | { all: true }
  | { none: true };

export interface ListAccessRequestsOptions {
  filter: AccessRequestFilter;
  limit: number;
  offset: number;
}

/** An audit event before it is stored. */
export interface NewAuditEvent {
  requestId: string;
  entityRef: string;
  productRef?: string;
  action: string;
  actorRef: string;
  fromStatus?: AccessRequestStatus;
  toStatus?: AccessRequestStatus;
  detail?: Record<string, unknown>;
}

/**
 * Persistence of access requests. Status changes are compare-and-set: a
 * transition names the states it may start from and happens only if the
 * request is still in one of them, so concurrent reviewers cannot both win.
 */
export interface AccessRequestStore {
  create(request: NewAccessRequest, event: Omit<NewAuditEvent, 'requestId' | 'entityRef' | 'productRef' | 'toStatus'>): Promise<AccessRequestRecord>;
  get(id: string): Promise<AccessRequestRecord | undefined>;
  getByExternalId(externalId: string): Promise<AccessRequestRecord | undefined>;
  list(options: ListAccessRequestsOptions): Promise<{ items: AccessRequestRecord[]; totalCount: number }>;
  /**
   * Moves the request from one of `from` to `to`, setting `patch`, and writes
   * the audit event in the same transaction. Returns the updated request, or
   * undefined when the request was not in one of `from` (someone else won).
   */
  transition(
    id: string,
    from: AccessRequestStatus[],
    to: AccessRequestStatus,
    patch: AccessRequestPatch,
    event: Omit<NewAuditEvent, 'requestId' | 'entityRef' | 'productRef' | 'fromStatus' | 'toStatus'>,
  ): Promise<AccessRequestRecord | undefined>;
  /** Sets fields without a status change (e.g. the expiry warning time). */
  update(id: string, status: AccessRequestStatus, patch: AccessRequestPatch): Promise<boolean>;
  /** Refreshes the snapshot of who may review (owner and approver groups). */
  setReviewerGroups(id: string, ownerRefs: string[], approverRefs: string[]): Promise<void>;
  /** Requests in `status` whose `expires_at` is before `before`. */
  listExpiring(status: AccessRequestStatus[], before: Date, limit: number): Promise<AccessRequestRecord[]>;
  /** Requests of a team in one of `status` (to keep grants another request still needs). */
  listByTeam(teamRef: string, status: AccessRequestStatus[]): Promise<AccessRequestRecord[]>;
  /** Every entity that has requests (to evaluate foreign conditional decisions per entity). */
  distinctEntityRefs(): Promise<string[]>;
  addEvent(event: NewAuditEvent): Promise<void>;
  listEvents(options: { entityRef?: string; productRef?: string; requestId?: string; limit: number; offset: number }): Promise<{ items: AccessRequestAuditEvent[]; totalCount: number }>;
}
