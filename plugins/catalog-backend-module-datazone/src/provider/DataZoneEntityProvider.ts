import { createHash } from 'node:crypto';
import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS,
  ANNOTATION_DATAZONE_ASSET_ID,
  ANNOTATION_DATAZONE_DATA_PRODUCT_ID,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { DataZoneProviderConfig, readDataZoneProviderConfigs } from '../config';
import { mapSnapshotToEntities, MappingOptions, SkippedItem } from '../mapping/mapSnapshot';
import { MappingMemo } from '../mapping/MappingMemo';
import { DataZoneApi, DataZoneReader, DataZoneReadError } from '../read/DataZoneReader';
import { DataZoneCatalogView } from './CatalogView';
import { checkRemovals } from './removalGuard';
import { processingIntervalAdvice } from './processingAdvice';

/**
 * Gives the provider a DataZone client for an account and region (the
 * module passes the shared AWS client factory).
 *
 * @public
 */
export type DataZoneClientSource = (target: {
  accountId?: string;
  region: string;
}) => Promise<DataZoneApi>;

/**
 * What one full sync did.
 *
 * @public
 */
export interface DataZoneSyncSummary {
  status: 'applied' | 'failed' | 'refused';
  domainId: string;
  entities: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  skipped: number;
  refused: number;
  durationMs: number;
  readMs: number;
  /** Mapping time, and datasets and contracts mapped from memory (unchanged listing revisions). */
  mapMs: number;
  memoHits: number;
  calls: Record<string, number>;
  error?: Error;
}

/**
 * Options of {@link DataZoneEntityProvider.fromConfig}.
 *
 * @public
 */
export interface DataZoneEntityProviderOptions {
  logger: LoggerService;
  clients: DataZoneClientSource;
  /** Reads users and the provider's current entities from the catalog. */
  catalog?: DataZoneCatalogView;
  /** Schedules each provider from its config `schedule`. */
  scheduler?: SchedulerService;
  /** Overrides the scheduling (tests): one runner for every provider. */
  schedule?: SchedulerServiceTaskRunner;
  /** Clock, for the removal guard's acknowledgement window (tests). */
  now?: () => Date;
}

// Warnings naming skipped items are capped per run; the count is always logged.
const MAX_SKIP_WARNINGS = 50;

function hashOf(entity: Entity): string {
  return createHash('sha256').update(JSON.stringify(entity)).digest('base64url');
}

/**
 * Amazon DataZone → Backstage catalog entity provider, one per configured
 * domain: reads the domain with paged calls, maps it to entities
 * (`mapSnapshotToEntities`) and applies a full mutation, only after a complete
 * read and only when the removal guard agrees.
 *
 * @public
 */
export class DataZoneEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** Ref → hash of what this provider last applied (unset until the first apply). */
  private applied?: Map<string, string>;
  private readonly memo = new MappingMemo();
  private readonly logger: LoggerService;
  private readonly scheduleFn?: () => Promise<void>;
  private adviceGiven = false;

  /**
   * Creates one provider per domain configured under
   * `catalog.providers.datazone`. Throws, naming the key, on invalid config.
   */
  static fromConfig(
    config: Config,
    options: DataZoneEntityProviderOptions,
  ): DataZoneEntityProvider[] {
    return readDataZoneProviderConfigs(config).map(providerConfig => {
      const taskRunner =
        options.schedule ??
        options.scheduler?.createScheduledTaskRunner(providerConfig.schedule);
      if (!taskRunner) {
        throw new Error(
          `DataZoneEntityProvider ${providerConfig.id} needs a scheduler or a schedule`,
        );
      }
      return new DataZoneEntityProvider(
        providerConfig,
        options,
        taskRunner,
        config.has('catalog.processingInterval'),
      );
    });
  }

  private constructor(
    private readonly config: DataZoneProviderConfig,
    private readonly options: DataZoneEntityProviderOptions,
    taskRunner: SchedulerServiceTaskRunner,
    private readonly processingIntervalConfigured: boolean,
  ) {
    this.logger = options.logger.child({
      target: this.getProviderName(),
      domainId: config.domainId,
    });
    const id = `${this.getProviderName()}:refresh`;
    this.scheduleFn = async () => {
      await taskRunner.run({
        id,
        fn: async () => {
          await this.refresh();
        },
      });
    };
  }

  /** The configured DataZone domain id. */
  get domainId(): string {
    return this.config.domainId;
  }

  /** The scheduler task id of this provider's full sync (for `triggerTask`). */
  get taskId(): string {
    return `${this.getProviderName()}:refresh`;
  }

  getProviderName(): string {
    return `DataZoneEntityProvider:${this.config.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.scheduleFn?.();
  }

  private get location(): string {
    return `datazone:${this.config.region}/${this.config.domainId}`;
  }

  private mappingOptions(usersByEmail: Map<string, string>): MappingOptions {
    return {
      location: this.location,
      region: this.config.region,
      accountId: this.config.accountId,
      projectOwners: this.config.projectOwners,
      domainUnitOwners: this.config.domainUnitOwners,
      defaultOwner: this.config.defaultOwner,
      usersByEmail,
      filters: this.config.filters,
      additionalAssetTypes: this.config.additionalAssetTypes,
      dataContractFormName: this.config.dataContractFormName,
    };
  }

  private reader(client: DataZoneApi): DataZoneReader {
    return new DataZoneReader(client, {
      domainId: this.config.domainId,
      concurrency: this.config.concurrency,
      includeInventory: this.config.includeInventory,
      subscriptions: this.config.subscriptions,
      matchMembersByEmail: this.config.matchMembersByEmail,
    });
  }

  private warnSkipped(skipped: SkippedItem[]) {
    for (const item of skipped.slice(0, MAX_SKIP_WARNINGS)) {
      this.logger.warn(
        `Skipped DataZone ${item.kind} ${item.id}${item.name ? ` (${JSON.stringify(item.name)})` : ''} of domain ${this.config.domainId}: ${item.reason}`,
      );
    }
    if (skipped.length > MAX_SKIP_WARNINGS) {
      this.logger.warn(
        `Skipped ${skipped.length - MAX_SKIP_WARNINGS} more DataZone items of domain ${this.config.domainId} (not listed)`,
      );
    }
  }

  // Datasets whose contract is invalid are synced (with the validation
  // messages in an annotation) and named in a warning, capped like skips.
  private warnInvalidContracts(entities: Entity[]) {
    const invalid = entities.filter(
      e => e.metadata.annotations?.[ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS],
    );
    for (const entity of invalid.slice(0, MAX_SKIP_WARNINGS)) {
      const annotations = entity.metadata.annotations!;
      const firstError = annotations[ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS].split('\n')[0];
      this.logger.warn(
        `DataZone asset ${annotations[ANNOTATION_DATAZONE_ASSET_ID]} (${JSON.stringify(entity.metadata.title ?? entity.metadata.name)}) of data product ${annotations[ANNOTATION_DATAZONE_DATA_PRODUCT_ID] ?? '(none)'} in domain ${this.config.domainId} has an invalid data contract, synced with its validation errors: ${firstError}`,
      );
    }
    if (invalid.length > MAX_SKIP_WARNINGS) {
      this.logger.warn(
        `${invalid.length - MAX_SKIP_WARNINGS} more DataZone assets of domain ${this.config.domainId} have invalid data contracts (not listed)`,
      );
    }
  }

  /**
   * Runs one full sync: read everything, map, guard, apply. Never throws; a
   * failed read or a refused removal leaves the catalog as it was.
   */
  async refresh(): Promise<DataZoneSyncSummary> {
    const started = Date.now();
    const summary: DataZoneSyncSummary = {
      status: 'failed',
      domainId: this.config.domainId,
      entities: 0,
      added: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      skipped: 0,
      refused: 0,
      durationMs: 0,
      readMs: 0,
      mapMs: 0,
      memoHits: 0,
      calls: {},
    };
    let reader: DataZoneReader | undefined;
    this.logger.debug(`DataZone sync of domain ${this.config.domainId} started`);
    try {
      if (!this.connection) {
        throw new ServiceUnavailableError(`${this.getProviderName()} is not connected`);
      }
      const client = await this.options.clients({
        accountId: this.config.accountId,
        region: this.config.region,
      });
      reader = this.reader(client);
      const snapshot = await reader.readAll();
      summary.readMs = Date.now() - started;
      let usersByEmail = new Map<string, string>();
      if (this.config.matchMembersByEmail && this.options.catalog) {
        usersByEmail = await this.options.catalog.usersByEmail();
      }
      const mapStarted = Date.now();
      const { entities, skipped } = mapSnapshotToEntities(snapshot, {
        ...this.mappingOptions(usersByEmail),
        memo: this.memo,
      });
      summary.memoHits = this.memo.endRun().hits;
      summary.entities = entities.length;
      summary.skipped = skipped.length;
      this.warnSkipped(skipped);
      this.warnInvalidContracts(entities);

      const next = new Map(entities.map(e => [stringifyEntityRef(e), hashOf(e)]));
      summary.mapMs = Date.now() - mapStarted;
      // What the catalog holds, not what this replica last applied: another
      // replica may have synced since.
      const previousRefs =
        (await this.options.catalog?.entityRefsAt(this.location)) ??
        (this.applied ? new Set(this.applied.keys()) : undefined);
      const decision = checkRemovals({
        previousRefs,
        nextRefs: new Set(next.keys()),
        guard: this.config.removalGuard,
        now: this.options.now?.() ?? new Date(),
      });
      if (!decision.allowed) {
        summary.status = 'refused';
        summary.refused = decision.removed;
        this.logger.error(
          `Refused the DataZone sync of domain ${this.config.domainId}, catalog left unchanged: ${decision.reason}`,
        );
        return summary;
      }
      if (decision.acknowledged) {
        this.logger.warn(
          `Removing ${decision.removed} entities of domain ${this.config.domainId}: accepted by removalGuard.acceptRemovalsUntil`,
        );
      }

      await this.connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({ entity, locationKey: this.location })),
      });

      // Updated vs unchanged is known for what this replica applied before.
      for (const [ref, hash] of next) {
        const before = this.applied?.get(ref);
        if (!previousRefs?.has(ref)) {
          summary.added += 1;
        } else if (before !== undefined && before !== hash) {
          summary.updated += 1;
        } else {
          summary.unchanged += 1;
        }
      }
      summary.removed = decision.removed;
      this.applied = next;
      summary.status = 'applied';
      const advice = processingIntervalAdvice(entities.length, this.processingIntervalConfigured);
      if (advice && !this.adviceGiven) {
        this.adviceGiven = true;
        this.logger.warn(advice);
      }
      return summary;
    } catch (error) {
      summary.error = error as Error;
      this.logger.error(
        `DataZone sync of domain ${this.config.domainId} failed, catalog left unchanged: ${(error as Error).message}`,
      );
      return summary;
    } finally {
      summary.durationMs = Date.now() - started;
      summary.calls = { ...(reader?.calls ?? {}) };
      const calls = Object.values(summary.calls).reduce((a, b) => a + b, 0);
      this.logger.info(
        `DataZone sync of domain ${this.config.domainId} ${summary.status}: ${summary.entities} entities (added ${summary.added}, updated ${summary.updated}, unchanged ${summary.unchanged}, removed ${summary.removed}, skipped ${summary.skipped}, refused ${summary.refused}) in ${(summary.durationMs / 1000).toFixed(1)} s (read ${(summary.readMs / 1000).toFixed(1)} s, ${calls} DataZone calls; mapping ${(summary.mapMs / 1000).toFixed(1)} s, ${summary.memoHits} from memory)`,
        { ...summary, error: undefined, calls: JSON.stringify(summary.calls) },
      );
    }
  }

  /**
   * "Sync product now": reads one data product, its dataset listings and
   * their storage, and applies them as a delta mutation. Storage resources
   * already in the catalog are left to the full sync. Throws `NotFoundError`
   * when DataZone does not know the product.
   */
  async syncDataProduct(dataProductId: string): Promise<{ entityRefs: string[] }> {
    if (!this.connection) {
      throw new ServiceUnavailableError(
        `${this.getProviderName()} is not connected to the catalog yet`,
      );
    }
    const client = await this.options.clients({
      accountId: this.config.accountId,
      region: this.config.region,
    });
    let snapshot;
    try {
      snapshot = await this.reader(client).readDataProduct(dataProductId);
    } catch (error) {
      const cause = (error as DataZoneReadError).cause;
      if (cause instanceof NotFoundError) {
        throw new NotFoundError(
          `Data product ${dataProductId} not found in DataZone domain ${this.config.domainId}`,
          cause,
        );
      }
      throw new ServiceUnavailableError((error as Error).message, cause ?? error);
    }
    const { entities, skipped } = mapSnapshotToEntities(snapshot, {
      ...this.mappingOptions(new Map()),
      productsOnly: true,
    });
    this.warnSkipped(skipped);
    const toApply = entities.filter(entity => {
      const ref = stringifyEntityRef(entity);
      return entity.kind !== 'Resource' || !this.applied?.has(ref);
    });
    if (toApply.length > 0) {
      await this.connection.applyMutation({
        type: 'delta',
        added: toApply.map(entity => ({ entity, locationKey: this.location })),
        removed: [],
      });
    }
    for (const entity of toApply) {
      this.applied?.set(stringifyEntityRef(entity), hashOf(entity));
    }
    const entityRefs = toApply.map(entity => stringifyEntityRef(entity));
    this.logger.info(
      `Synced DataZone data product ${dataProductId} of domain ${this.config.domainId}: ${entityRefs.length} entities`,
    );
    return { entityRefs };
  }
}
