import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  AccessRequestAuditEvent,
  AccessRequestStatus,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  AccessRequestFilter,
  AccessRequestPatch,
  AccessRequestRecord,
  AccessRequestStore,
  ListAccessRequestsOptions,
  NewAccessRequest,
  NewAuditEvent,
} from './AccessRequestStore';

const migrationsDir = resolvePackagePath(
  '@data-mesh-portal/plugin-data-mesh-backend',
  'migrations',
);

const REQUESTS = 'access_requests';
const OWNERS = 'access_request_owners';
const EVENTS = 'access_request_events';

type Row = Record<string, any>;

const COLUMN_OF_FIELD = {
  requesterRef: 'requester_ref',
  teamRef: 'team_ref',
  entityRef: 'entity_ref',
  productRef: 'product_ref',
  status: 'status',
} as const;

// Timestamps are written as ISO 8601 UTC strings: PostgreSQL parses them into
// timestamptz, SQLite keeps the text, and both compare them correctly.
function iso(value: Date | string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  return new Date(value).toISOString();
}

function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

function parseJson<T>(text: unknown): T | undefined {
  if (typeof text !== 'string' || text === '') {
    return undefined;
  }
  return JSON.parse(text) as T;
}

function patchToColumns(patch: AccessRequestPatch): Row {
  const columns: Row = {};
  if (patch.reviewerRef !== undefined) columns.reviewer_ref = patch.reviewerRef;
  if (patch.decisionReason !== undefined) columns.decision_reason = patch.decisionReason;
  if (patch.failureReason !== undefined) columns.failure_reason = patch.failureReason;
  if (patch.grantedDurationDays !== undefined) {
    columns.granted_duration_days = patch.grantedDurationDays;
  }
  if (patch.grant !== undefined) {
    columns.grant_details = patch.grant === null ? null : JSON.stringify(patch.grant);
  }
  if (patch.decidedAt !== undefined) columns.decided_at = iso(patch.decidedAt) ?? null;
  if (patch.expiresAt !== undefined) columns.expires_at = iso(patch.expiresAt) ?? null;
  if (patch.expiryNotifiedAt !== undefined) {
    columns.expiry_notified_at = iso(patch.expiryNotifiedAt) ?? null;
  }
  if (patch.externalId !== undefined) columns.external_id = patch.externalId;
  return columns;
}

/** {@link AccessRequestStore} on the plugin's database (SQLite or PostgreSQL). */
export class DatabaseAccessRequestStore implements AccessRequestStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseAccessRequestStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseAccessRequestStore(client);
  }

  /** For tests: a store on a knex client that already has the tables. */
  static async fromKnex(client: Knex): Promise<DatabaseAccessRequestStore> {
    await client.migrate.latest({ directory: migrationsDir });
    return new DatabaseAccessRequestStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async create(
    request: NewAccessRequest,
    event: Omit<NewAuditEvent, 'requestId' | 'entityRef' | 'productRef' | 'toStatus'>,
  ): Promise<AccessRequestRecord> {
    const id = randomUUID();
    const now = new Date().toISOString();
    const status = request.status ?? 'pending';
    await this.db.transaction(async tx => {
      await tx(REQUESTS).insert({
        id,
        entity_ref: request.entityRef,
        entity_title: request.entityTitle ?? null,
        target_kind: request.targetKind,
        product_ref: request.productRef ?? null,
        requester_ref: request.requesterRef,
        team_ref: request.teamRef,
        purpose: request.purpose,
        access_level: request.accessLevel,
        requested_duration_days: request.requestedDurationDays,
        status,
        grant_mode: request.grantMode,
        source: request.source,
        external_id: request.externalId ?? null,
        created_at: now,
        updated_at: now,
      });
      await this.writeOwners(tx, id, request.ownerRefs, request.approverRefs);
      await this.insertEvent(tx, {
        ...event,
        requestId: id,
        entityRef: request.entityRef,
        productRef: request.productRef,
        toStatus: status,
      });
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<AccessRequestRecord | undefined> {
    const row = await this.db(REQUESTS).where({ id }).first();
    return row ? (await this.withOwners([row]))[0] : undefined;
  }

  async getByExternalId(externalId: string): Promise<AccessRequestRecord | undefined> {
    const row = await this.db(REQUESTS).where({ external_id: externalId }).first();
    return row ? (await this.withOwners([row]))[0] : undefined;
  }

  async list(
    options: ListAccessRequestsOptions,
  ): Promise<{ items: AccessRequestRecord[]; totalCount: number }> {
    const base = this.db(REQUESTS).where(builder => this.applyFilter(builder, options.filter));
    const [{ count }] = await base.clone().count({ count: '*' });
    const rows = await base
      .clone()
      .select('*')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(options.limit)
      .offset(options.offset);
    return { items: await this.withOwners(rows), totalCount: Number(count) };
  }

  async transition(
    id: string,
    from: AccessRequestStatus[],
    to: AccessRequestStatus,
    patch: AccessRequestPatch,
    event: Omit<NewAuditEvent, 'requestId' | 'entityRef' | 'productRef' | 'fromStatus' | 'toStatus'>,
  ): Promise<AccessRequestRecord | undefined> {
    const won = await this.db.transaction(async tx => {
      const before = await tx(REQUESTS).where({ id }).first();
      if (!before) {
        return false;
      }
      // The WHERE on status is the compare-and-set: of two concurrent
      // transitions out of the same state only one updates a row.
      const updated = await tx(REQUESTS)
        .where({ id })
        .whereIn('status', from)
        .update({
          ...patchToColumns(patch),
          status: to,
          updated_at: new Date().toISOString(),
        });
      if (updated !== 1) {
        return false;
      }
      await this.insertEvent(tx, {
        ...event,
        requestId: id,
        entityRef: before.entity_ref,
        productRef: optional(before.product_ref),
        fromStatus: from.includes(before.status) ? before.status : from[0],
        toStatus: to,
      });
      return true;
    });
    return won ? this.get(id) : undefined;
  }

  async update(id: string, status: AccessRequestStatus, patch: AccessRequestPatch): Promise<boolean> {
    const updated = await this.db(REQUESTS)
      .where({ id, status })
      .update({ ...patchToColumns(patch), updated_at: new Date().toISOString() });
    return updated === 1;
  }

  async setReviewerGroups(id: string, ownerRefs: string[], approverRefs: string[]): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(OWNERS).where({ request_id: id }).delete();
      await this.writeOwners(tx, id, ownerRefs, approverRefs);
    });
  }

  async listExpiring(
    status: AccessRequestStatus[],
    before: Date,
    limit: number,
  ): Promise<AccessRequestRecord[]> {
    const rows = await this.db(REQUESTS)
      .whereIn('status', status)
      .whereNotNull('expires_at')
      .where('expires_at', '<', before.toISOString())
      .orderBy('expires_at', 'asc')
      .limit(limit);
    return this.withOwners(rows);
  }

  async listByTeam(teamRef: string, status: AccessRequestStatus[]): Promise<AccessRequestRecord[]> {
    const rows = await this.db(REQUESTS)
      .where({ team_ref: teamRef })
      .whereIn('status', status);
    return this.withOwners(rows);
  }

  async distinctEntityRefs(): Promise<string[]> {
    const rows = await this.db(REQUESTS).distinct('entity_ref');
    return rows.map(r => r.entity_ref);
  }

  async addEvent(event: NewAuditEvent): Promise<void> {
    await this.insertEvent(this.db, event);
  }

  async listEvents(options: {
    entityRef?: string;
    productRef?: string;
    requestId?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: AccessRequestAuditEvent[]; totalCount: number }> {
    const base = this.db(EVENTS).where(builder => {
      if (options.requestId) builder.where('request_id', options.requestId);
      if (options.entityRef || options.productRef) {
        builder.where(inner => {
          if (options.entityRef) inner.orWhere('entity_ref', options.entityRef);
          if (options.productRef) inner.orWhere('product_ref', options.productRef);
        });
      }
    });
    const [{ count }] = await base.clone().count({ count: '*' });
    const rows = await base
      .clone()
      .select('*')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit)
      .offset(options.offset);
    return {
      totalCount: Number(count),
      items: rows.map(row => ({
        id: Number(row.id),
        requestId: row.request_id,
        entityRef: row.entity_ref,
        productRef: optional(row.product_ref),
        action: row.action,
        actorRef: row.actor_ref,
        fromStatus: optional(row.from_status),
        toStatus: optional(row.to_status),
        detail: parseJson(row.detail),
        createdAt: iso(row.created_at)!,
      })),
    };
  }

  private applyFilter(builder: Knex.QueryBuilder, filter: AccessRequestFilter): void {
    if ('all' in filter) {
      return;
    }
    if ('none' in filter) {
      builder.whereRaw('1 = 0');
      return;
    }
    if ('allOf' in filter) {
      for (const f of filter.allOf) {
        builder.andWhere(inner => this.applyFilter(inner, f));
      }
      return;
    }
    if ('anyOf' in filter) {
      if (filter.anyOf.length === 0) {
        builder.whereRaw('1 = 0');
        return;
      }
      builder.andWhere(outer => {
        for (const f of filter.anyOf) {
          outer.orWhere(inner => this.applyFilter(inner, f));
        }
      });
      return;
    }
    if ('not' in filter) {
      builder.whereNot(inner => this.applyFilter(inner, filter.not));
      return;
    }
    if ('field' in filter) {
      builder.whereIn(COLUMN_OF_FIELD[filter.field], filter.values);
      return;
    }
    builder.whereIn(
      'id',
      this.db(OWNERS)
        .select('request_id')
        .where('role', filter.reviewerGroup)
        .whereIn('group_ref', filter.groupRefs),
    );
  }

  private async writeOwners(
    tx: Knex | Knex.Transaction,
    id: string,
    ownerRefs: string[],
    approverRefs: string[],
  ) {
    const rows = [
      ...new Set(ownerRefs.map(ref => `owner|${ref}`)),
      ...new Set(approverRefs.map(ref => `approver|${ref}`)),
    ].map(key => {
      const [role, ...rest] = key.split('|');
      return { request_id: id, role, group_ref: rest.join('|') };
    });
    if (rows.length > 0) {
      await tx(OWNERS).insert(rows);
    }
  }

  private async insertEvent(tx: Knex | Knex.Transaction, event: NewAuditEvent) {
    await tx(EVENTS).insert({
      request_id: event.requestId,
      entity_ref: event.entityRef,
      product_ref: event.productRef ?? null,
      action: event.action,
      actor_ref: event.actorRef,
      from_status: event.fromStatus ?? null,
      to_status: event.toStatus ?? null,
      detail: event.detail ? JSON.stringify(event.detail) : null,
      created_at: new Date().toISOString(),
    });
  }

  private async withOwners(rows: Row[]): Promise<AccessRequestRecord[]> {
    if (rows.length === 0) {
      return [];
    }
    const owners = await this.db(OWNERS).whereIn(
      'request_id',
      rows.map(r => r.id),
    );
    return rows.map(row => {
      const mine = owners.filter(o => o.request_id === row.id);
      return {
        id: row.id,
        entityRef: row.entity_ref,
        entityTitle: optional(row.entity_title),
        targetKind: row.target_kind,
        productRef: optional(row.product_ref),
        requesterRef: row.requester_ref,
        teamRef: row.team_ref,
        purpose: row.purpose,
        accessLevel: row.access_level,
        requestedDurationDays: Number(row.requested_duration_days),
        grantedDurationDays:
          row.granted_duration_days === null || row.granted_duration_days === undefined
            ? undefined
            : Number(row.granted_duration_days),
        status: row.status,
        reviewerRef: optional(row.reviewer_ref),
        decisionReason: optional(row.decision_reason),
        failureReason: optional(row.failure_reason),
        grantMode: row.grant_mode,
        source: row.source,
        externalId: optional(row.external_id),
        createdAt: iso(row.created_at)!,
        updatedAt: iso(row.updated_at)!,
        decidedAt: iso(row.decided_at),
        expiresAt: iso(row.expires_at),
        expiryNotifiedAt: iso(row.expiry_notified_at),
        grant: parseJson(row.grant_details),
        ownerRefs: mine.filter(o => o.role === 'owner').map(o => o.group_ref),
        approverRefs: mine.filter(o => o.role === 'approver').map(o => o.group_ref),
      };
    });
  }
}
