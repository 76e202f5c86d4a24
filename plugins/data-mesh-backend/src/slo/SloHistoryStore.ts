import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  SloObjectiveKind,
  SloStatus,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { Knex } from 'knex';
import { SloInterval } from './errorBudget';

const migrationsDir = resolvePackagePath(
  '@data-mesh-portal/plugin-data-mesh-backend',
  'migrations',
);
const TABLE = 'data_mesh_slo_history';

/** One evaluation of one objective, to record. */
export interface SloObservation {
  entityRef: string;
  objectiveId: string;
  kind: SloObjectiveKind | 'probe';
  status: SloStatus;
}

/** A stored interval with the dataset and kind it belongs to. */
export interface StoredSloInterval extends SloInterval {
  entityRef: string;
  kind: string;
}

/** Where SLO history lives. */
export interface SloHistoryStore {
  /**
   * Records evaluations made at `at`: each extends its objective's latest
   * interval when the status is unchanged and that interval ended at most
   * `maxGapMs` before; otherwise it starts a new one (closing the previous
   * interval at `at` when the status changed within the gap).
   */
  record(
    observations: SloObservation[],
    at: Date,
    maxGapMs: number,
  ): Promise<void>;
  /** Intervals of these datasets that end at or after `since`. */
  intervals(entityRefs: string[], since: Date): Promise<StoredSloInterval[]>;
  /** Removes intervals that ended before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

type Row = {
  id: number | string;
  entity_ref: string;
  objective_id: string;
  kind: string;
  status: string;
  start_ms: number | string;
  end_ms: number | string;
};

const CHUNK = 200;

// A closed interval and its successor share the moment of change: the later
// start wins, then the later id.
function isLater(a: Row, b: Row): boolean {
  const key = (row: Row) => [
    Number(row.end_ms),
    Number(row.start_ms),
    Number(row.id),
  ];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return ka[i] > kb[i];
  }
  return false;
}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    result.push(items.slice(i, i + size));
  return result;
}

/** {@link SloHistoryStore} on the plugin's database (SQLite or PostgreSQL). */
export class DatabaseSloHistoryStore implements SloHistoryStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseSloHistoryStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseSloHistoryStore(client);
  }

  /** For tests: runs the migrations on a knex client. */
  static async fromKnex(client: Knex): Promise<DatabaseSloHistoryStore> {
    await client.migrate.latest({ directory: migrationsDir });
    return new DatabaseSloHistoryStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async record(
    observations: SloObservation[],
    at: Date,
    maxGapMs: number,
  ): Promise<void> {
    if (observations.length === 0) return;
    const now = at.getTime();
    const entityRefs = [...new Set(observations.map(o => o.entityRef))];
    await this.db.transaction(async tx => {
      const latest = new Map<string, Row>();
      for (const refs of chunks(entityRefs)) {
        const rows: Row[] = await tx(TABLE)
          .whereIn('entity_ref', refs)
          .andWhere('end_ms', '>=', now - maxGapMs)
          .select();
        for (const row of rows) {
          const current = latest.get(row.objective_id);
          if (!current || isLater(row, current))
            latest.set(row.objective_id, row);
        }
      }
      const extend: (number | string)[] = [];
      const inserts: Omit<Row, 'id'>[] = [];
      const closes: (number | string)[] = [];
      for (const observation of observations) {
        const last = latest.get(observation.objectiveId);
        if (last && Number(last.end_ms) > now) continue; // a later evaluation already recorded
        if (last && last.status === observation.status) {
          extend.push(last.id);
          continue;
        }
        if (last) closes.push(last.id);
        inserts.push({
          entity_ref: observation.entityRef,
          objective_id: observation.objectiveId,
          kind: observation.kind,
          status: observation.status,
          start_ms: now,
          end_ms: now,
        });
      }
      for (const ids of chunks([...extend, ...closes])) {
        await tx(TABLE).whereIn('id', ids).update({ end_ms: now });
      }
      for (const rows of chunks(inserts, 100)) {
        await tx(TABLE).insert(rows);
      }
    });
  }

  async intervals(
    entityRefs: string[],
    since: Date,
  ): Promise<StoredSloInterval[]> {
    const result: StoredSloInterval[] = [];
    for (const refs of chunks([...new Set(entityRefs)])) {
      const rows: Row[] = await this.db(TABLE)
        .whereIn('entity_ref', refs)
        .andWhere('end_ms', '>=', since.getTime())
        .orderBy('start_ms', 'asc')
        .select();
      for (const row of rows) {
        result.push({
          entityRef: row.entity_ref,
          objectiveId: row.objective_id,
          kind: row.kind,
          status: row.status as SloStatus,
          start: new Date(Number(row.start_ms)),
          end: new Date(Number(row.end_ms)),
        });
      }
    }
    return result;
  }

  async prune(before: Date): Promise<number> {
    return this.db(TABLE).where('end_ms', '<', before.getTime()).delete();
  }
}
