import { z } from 'zod';

// The HTTP contract of the data-mesh backend's access requests
// (`/api/data-mesh/access-requests`), shared by the backend (which validates
// with these schemas) and the frontend (which builds bodies and reads
// responses with these types). Identity never travels in a body: the backend
// takes the requester and the reviewer from Backstage auth, and the schemas
// are strict, so a body that carries e.g. a `requesterRef` is refused.

/**
 * Every state an access request can be in.
 *
 * - `pending`: waiting for a reviewer.
 * - `approved`: a reviewer approved it and the grant is being applied (short-lived).
 * - `active`: the grant exists in AWS (verified on read through the `grant` route).
 * - `rejected`, `withdrawn`: decided without a grant.
 * - `revoked`, `expired`: the grant was taken away (by a reviewer, outside
 *   Backstage, or by the expiry job).
 * - `failed`: applying or removing the grant failed; `failureReason` says
 *   what exists and what does not.
 *
 * @public
 */
export const ACCESS_REQUEST_STATUSES = [
  'pending',
  'approved',
  'active',
  'rejected',
  'withdrawn',
  'revoked',
  'expired',
  'failed',
] as const;

/** @public */
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];

/**
 * What is granted: `read` = Lake Formation SELECT and DESCRIBE on the tables
 * (DataZone's subscription grant), `describe` = DESCRIBE only (metadata).
 *
 * @public
 */
export const ACCESS_LEVELS = ['read', 'describe'] as const;

/** @public */
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/**
 * How a grant is made: a DataZone subscription (DataZone grants in Lake
 * Formation) or a direct Lake Formation grant to the team's IAM role.
 *
 * @public
 */
export const ACCESS_GRANT_MODES = ['datazone', 'lakeformation'] as const;

/** @public */
export type AccessGrantMode = (typeof ACCESS_GRANT_MODES)[number];

/**
 * What a request is for: a whole data product (`System`) or one dataset (`API`).
 *
 * @public
 */
export type AccessRequestTargetKind = 'data-product' | 'dataset';

/**
 * Where a request was made: in Backstage, or in the DataZone portal (imported
 * by the reconciliation job).
 *
 * @public
 */
export type AccessRequestSource = 'backstage' | 'datazone';

/** Longest free text (purpose, reasons): DataZone's `requestReason` limit. */
const MAX_TEXT = 4096;
const entityRefSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(255, 'is too long')
  .regex(/^[a-zA-Z]+:([a-zA-Z0-9._-]+\/)?[a-zA-Z0-9._-]+$/, {
    message: 'must be an entity ref like kind:namespace/name',
  });
// Free text is plain text: it reaches notifications, e-mails and the DataZone
// portal, so markup is refused rather than trusted to be escaped everywhere.
const MARKUP = /<\s*[a-zA-Z!/?]/;
const plainText = (schema: z.ZodString) =>
  schema.refine(text => !MARKUP.test(text), {
    message: 'must be plain text (no HTML or XML markup)',
  });
const durationDaysSchema = z
  .number({ invalid_type_error: 'must be a number of days' })
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(3650, 'must be at most 3650 days');

/**
 * Body of `POST /access-requests`.
 *
 * @public
 */
export const createAccessRequestSchema = z
  .object({
    /** The data product (`system:…`) or dataset (`api:…`) entity. */
    entityRef: entityRefSchema,
    /** The team (`group:…`) the access is for; the caller must be a member. */
    teamRef: entityRefSchema,
    /** Why the team needs the data; shown to reviewers and sent to DataZone. */
    purpose: plainText(
      z
        .string({ required_error: 'is required' })
        .trim()
        .min(10, 'must say in at least 10 characters why the data is needed')
        .max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`),
    ),
    accessLevel: z.enum(ACCESS_LEVELS).default('read'),
    /** Days of access; the server's default when omitted, never above its maximum. */
    durationDays: durationDaysSchema.optional(),
  })
  .strict();

/** @public */
export type CreateAccessRequestBody = z.input<typeof createAccessRequestSchema>;

/**
 * Body of `POST /access-requests/{id}/approve`.
 *
 * @public
 */
export const approveAccessRequestSchema = z
  .object({
    /** Grant for fewer days than requested. */
    durationDays: durationDaysSchema.optional(),
    comment: plainText(z.string().trim().max(MAX_TEXT)).optional(),
  })
  .strict();

/** @public */
export type ApproveAccessRequestBody = z.input<typeof approveAccessRequestSchema>;

/**
 * Body of `POST /access-requests/{id}/reject`.
 *
 * @public
 */
export const rejectAccessRequestSchema = z
  .object({
    reason: plainText(
      z
        .string({ required_error: 'is required' })
        .trim()
        .min(1, 'is required')
        .max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`),
    ),
  })
  .strict();

/** @public */
export type RejectAccessRequestBody = z.input<typeof rejectAccessRequestSchema>;

/**
 * Body of `POST /access-requests/{id}/revoke` and `…/withdraw`.
 *
 * @public
 */
export const revokeAccessRequestSchema = z
  .object({
    reason: plainText(z.string().trim().max(MAX_TEXT)).optional(),
  })
  .strict();

/** @public */
export type RevokeAccessRequestBody = z.input<typeof revokeAccessRequestSchema>;

/**
 * Query of `GET /access-requests`: `view=mine` (made by the caller or for one
 * of the caller's teams), `view=review` (requests the caller may review),
 * `view=entity` (every request on `entityRef` the caller may read).
 *
 * @public
 */
export const listAccessRequestsQuerySchema = z
  .object({
    view: z.enum(['mine', 'review', 'entity']).default('mine'),
    entityRef: entityRefSchema.optional(),
    status: z
      .union([
        z.enum(ACCESS_REQUEST_STATUSES),
        z.array(z.enum(ACCESS_REQUEST_STATUSES)),
      ])
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict()
  .refine(q => q.view !== 'entity' || q.entityRef, {
    message: 'entityRef is required with view=entity',
    path: ['entityRef'],
  });

/** @public */
export type ListAccessRequestsQuery = z.input<typeof listAccessRequestsQuerySchema>;

/**
 * One Lake Formation table a grant covers.
 *
 * @public
 */
export interface AccessGrantTable {
  catalogId: string;
  region: string;
  databaseName: string;
  tableName: string;
}

/**
 * An access request as the API returns it.
 *
 * @public
 */
export interface AccessRequest {
  id: string;
  entityRef: string;
  entityTitle?: string;
  targetKind: AccessRequestTargetKind;
  /** The data product the entity belongs to (the entity itself for a product). */
  productRef?: string;
  requesterRef: string;
  teamRef: string;
  purpose: string;
  accessLevel: AccessLevel;
  requestedDurationDays: number;
  grantedDurationDays?: number;
  status: AccessRequestStatus;
  reviewerRef?: string;
  decisionReason?: string;
  failureReason?: string;
  grantMode: AccessGrantMode;
  source: AccessRequestSource;
  /** DataZone subscription request id, when there is one. */
  externalId?: string;
  createdAt: string;
  updatedAt: string;
  decidedAt?: string;
  expiresAt?: string;
}

/**
 * Response of `GET /access-requests`.
 *
 * @public
 */
export interface AccessRequestList {
  items: AccessRequest[];
  totalCount: number;
  limit: number;
  offset: number;
}

/**
 * The state of a request's grant as read from AWS right now
 * (`GET /access-requests/{id}/grant`).
 *
 * @public
 */
export interface AccessGrantVerification {
  requestId: string;
  mode: AccessGrantMode;
  /** True when AWS shows the grant exactly as recorded. */
  granted: boolean;
  checkedAt: string;
  /** The IAM role (Lake Formation mode) or DataZone project that holds the grant. */
  principal?: string;
  tables: Array<AccessGrantTable & { permissions: string[] }>;
  /** DataZone subscription grant statuses, in DataZone mode. */
  subscriptionGrantStatuses?: string[];
  detail?: string;
}

/**
 * One entry of the audit trail of a data product (`GET /audit-events`).
 *
 * @public
 */
export interface AccessRequestAuditEvent {
  id: number;
  requestId: string;
  entityRef: string;
  productRef?: string;
  action: string;
  actorRef: string;
  fromStatus?: AccessRequestStatus;
  toStatus?: AccessRequestStatus;
  detail?: Record<string, unknown>;
  createdAt: string;
}
