import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_REGION,
  ANNOTATION_DATA_CONTRACT_SOURCE,
  ANNOTATION_DATAZONE_ASSET_ID,
  ANNOTATION_DATAZONE_DOMAIN_ID,
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
  DATA_CONTRACT_SOURCE_GENERATED,
  isGeneratedDataContract,
  OdcsDataContract,
  parseDataContract,
  SloDatasetContract,
  SloObjective,
  SloReport,
  SloStatus,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { datasetsOf as catalogDatasetsOf } from '../catalog/datasets';
import {
  computeErrorBudget,
  dailyHistory,
  fillGaps,
  MEASURED_KINDS,
  SloInterval,
} from './errorBudget';
import {
  countDeclaredObjectives,
  evaluateDataset,
  qualityHistory,
} from './evaluateDataset';
import {
  DEFAULT_SLO_OPTIONS,
  parsePercent,
  SloEvaluationOptions,
} from './evaluateSla';
import { DatasetLocation, SloSignalReader } from './signalReaders';
import { SloHistoryStore, SloObservation } from './SloHistoryStore';
import { AvailabilityHistory } from './signals';

/** Settings of the SLO service (from `dataMesh.slo`). */
export interface SloSettings {
  evaluation: SloEvaluationOptions;
  /** Compliance target of error budgets when the contract declares no availability. */
  defaultTarget: number;
  /** An evaluation is recorded at most this often per dataset. */
  recordIntervalMs: number;
  /** Evaluations further apart than this leave a gap (unmeasured time) in history. */
  maxGapMs: number;
  /** Where the "no contract" state links to. */
  helpUrl: string;
}

export const DEFAULT_SLO_SETTINGS: SloSettings = {
  evaluation: DEFAULT_SLO_OPTIONS,
  defaultTarget: 0.99,
  recordIntervalMs: 5 * 60_000,
  maxGapMs: 60 * 60_000,
  helpUrl: 'https://bitol-io.github.io/open-data-contract-standard/latest/',
};

interface Dataset {
  entity: Entity;
  entityRef: string;
  name: string;
  title?: string;
  contract?: OdcsDataContract;
  info: SloDatasetContract;
}

const PROBE_SUFFIX = '#probe/readable';

type ParsedContract = ReturnType<typeof parseDataContract>;

/**
 * Parsed contracts by their text: parsing and validating an ODCS document
 * costs about a millisecond, and a product's page asks for every dataset's
 * contract on each evaluation. Bounded; the oldest entry goes first. The
 * results are only read, never changed.
 */
export class ContractParseCache {
  private readonly entries = new Map<string, ParsedContract>();

  constructor(private readonly maxEntries = 1000) {}

  parse(definition: string): ParsedContract {
    const hit = this.entries.get(definition);
    if (hit) return hit;
    const parsed = parseDataContract(definition);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(definition, parsed);
    return parsed;
  }

  get size(): number {
    return this.entries.size;
  }
}

function readContract(
  entity: Entity,
  entityRef: string,
  parse: (definition: string) => ParsedContract,
): { contract?: OdcsDataContract; info: SloDatasetContract } {
  const name =
    entity.metadata.annotations?.[ANNOTATION_GLUE_TABLE] ??
    entity.metadata.name;
  const base = { entityRef, name, title: entity.metadata.title };
  const definition = entity.spec?.definition;
  if (typeof definition !== 'string' || definition.trim() === '') {
    return { info: { ...base, state: 'missing', objectiveCount: 0 } };
  }
  const parsed = parse(definition);
  if (!parsed.valid) {
    return {
      info: {
        ...base,
        state: 'invalid',
        errors: parsed.errors,
        objectiveCount: 0,
      },
    };
  }
  const generated =
    isGeneratedDataContract(parsed.contract) ||
    entity.metadata.annotations?.[ANNOTATION_DATA_CONTRACT_SOURCE] ===
      DATA_CONTRACT_SOURCE_GENERATED;
  return {
    contract: parsed.contract,
    info: {
      ...base,
      state: generated ? 'generated' : 'valid',
      objectiveCount: countDeclaredObjectives(parsed.contract, name),
    },
  };
}

export function datasetLocation(entity: Entity): DatasetLocation {
  const a = entity.metadata.annotations ?? {};
  const domainId = a[ANNOTATION_DATAZONE_DOMAIN_ID];
  const assetId = a[ANNOTATION_DATAZONE_ASSET_ID];
  return {
    accountId: a[ANNOTATION_AWS_ACCOUNT_ID],
    region: a[ANNOTATION_AWS_REGION],
    glueDatabase: a[ANNOTATION_GLUE_DATABASE],
    glueTable: a[ANNOTATION_GLUE_TABLE],
    dataZone:
      domainId && assetId
        ? { domainId, assetId, region: a[ANNOTATION_AWS_REGION] }
        : undefined,
  };
}

function availabilityOf(
  intervals: SloInterval[],
  entityRef: string,
  now: Date,
  windowMs: number,
): AvailabilityHistory {
  const start = now.getTime() - windowMs;
  const history = { upMs: 0, downMs: 0 };
  for (const interval of intervals) {
    if (interval.objectiveId !== `${entityRef}${PROBE_SUFFIX}`) continue;
    const ms = Math.max(
      0,
      Math.min(interval.end.getTime(), now.getTime()) -
        Math.max(interval.start.getTime(), start),
    );
    if (interval.status === 'met') history.upMs += ms;
    if (interval.status === 'breached') history.downMs += ms;
  }
  return history;
}

/**
 * Evaluates the SLOs of a data product or dataset: reads contracts from the
 * dataset APIs' `spec.definition`, signals from AWS, history from the store;
 * records the evaluation.
 */
export class SloService {
  private readonly contracts = new ContractParseCache();

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      reader: SloSignalReader;
      store: SloHistoryStore;
      logger: LoggerService;
      settings?: SloSettings;
      clock?: () => Date;
    },
  ) {}

  private get settings(): SloSettings {
    return this.deps.settings ?? DEFAULT_SLO_SETTINGS;
  }

  /** The datasets of an entity: itself for a dataset, its dataset APIs for a data product. */
  datasetsOf(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    return catalogDatasetsOf(this.deps.catalog, entity, credentials);
  }

  /** Evaluates an entity the caller has already been allowed to read. */
  async evaluate(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<SloReport> {
    const datasets = await this.datasetsOf(entity, credentials);
    return this.evaluateDatasets(stringifyEntityRef(entity), datasets);
  }

  async evaluateDatasets(
    entityRef: string,
    datasetEntities: Entity[],
  ): Promise<SloReport> {
    const { settings } = this;
    const options = settings.evaluation;
    const now = this.deps.clock?.() ?? new Date();
    const windowStart = new Date(now.getTime() - options.windowMs);

    const datasets: Dataset[] = datasetEntities.map(e => {
      const ref = stringifyEntityRef(e);
      const { contract, info } = readContract(e, ref, definition =>
        this.contracts.parse(definition),
      );
      return {
        entity: e,
        entityRef: ref,
        name: info.name,
        title: e.metadata.title,
        contract,
        info,
      };
    });
    const toEvaluate = datasets.filter(
      d => d.contract && d.info.state === 'valid' && d.info.objectiveCount > 0,
    );

    const [intervals, signals] = await Promise.all([
      toEvaluate.length > 0
        ? this.deps.store
            .intervals(
              toEvaluate.map(d => d.entityRef),
              windowStart,
            )
            .catch(error => {
              this.deps.logger.warn(`SLO history could not be read: ${error}`);
              return [];
            })
        : Promise.resolve([]),
      Promise.all(
        toEvaluate.map(d => this.deps.reader.read(datasetLocation(d.entity))),
      ),
    ]);

    const objectives: SloObjective[] = [];
    const observations: SloObservation[] = [];
    const qualityResults: SloInterval[] = [];
    toEvaluate.forEach((dataset, index) => {
      const datasetSignals = signals[index];
      const input = {
        contract: dataset.contract!,
        dataset: {
          entityRef: dataset.entityRef,
          name: dataset.name,
          title: dataset.title,
        },
        signals: datasetSignals,
        now,
        options,
      };
      const evaluated = evaluateDataset({
        ...input,
        availability: availabilityOf(
          intervals,
          dataset.entityRef,
          now,
          options.windowMs,
        ),
      });
      objectives.push(...evaluated);
      qualityResults.push(...qualityHistory(input));
      const lastRecorded = intervals
        .filter(i => i.objectiveId.startsWith(`${dataset.entityRef}#`))
        .reduce((max, i) => Math.max(max, i.end.getTime()), 0);
      if (now.getTime() - lastRecorded >= settings.recordIntervalMs) {
        for (const objective of evaluated) {
          if (MEASURED_KINDS.has(objective.kind)) {
            observations.push({
              entityRef: dataset.entityRef,
              objectiveId: objective.id,
              kind: objective.kind,
              status: objective.status,
            });
          }
        }
        const table = datasetSignals.table;
        if (table && (table.ok || table.kind === 'not-found')) {
          observations.push({
            entityRef: dataset.entityRef,
            objectiveId: `${dataset.entityRef}${PROBE_SUFFIX}`,
            kind: 'probe',
            status: table.ok ? 'met' : 'breached',
          });
        }
      }
    });

    if (observations.length > 0) {
      await this.deps.store
        .record(observations, now, settings.maxGapMs)
        .catch(error => {
          this.deps.logger.warn(`SLO history could not be recorded: ${error}`);
        });
    }

    // Error budgets: the contract's availability when it declares one.
    const availabilityTarget = toEvaluate
      .flatMap(d => d.contract!.slaProperties ?? [])
      .filter(
        sla => sla && String(sla.property).toLowerCase() === 'availability',
      )
      .map(sla => parsePercent(sla.value, sla.unit))
      .find((x): x is number => x !== undefined);
    const budgetOptions = {
      now,
      windowMs: options.windowMs,
      target: availabilityTarget ?? settings.defaultTarget,
      targetSource:
        availabilityTarget !== undefined
          ? 'contract availability'
          : 'default target',
      atRiskRatio: options.atRiskRatio,
    };
    // Data-quality results reach back before the portal's first evaluation.
    const measured = fillGaps(
      intervals.filter(i => !i.objectiveId.endsWith(PROBE_SUFFIX)),
      qualityResults,
    );
    const byObjective = new Map<string, SloInterval[]>();
    for (const interval of measured) {
      const list = byObjective.get(interval.objectiveId) ?? [];
      list.push(interval);
      byObjective.set(interval.objectiveId, list);
    }
    for (const objective of objectives) {
      if (MEASURED_KINDS.has(objective.kind)) {
        objective.errorBudget = computeErrorBudget(
          byObjective.get(objective.id) ?? [],
          budgetOptions,
        );
      }
    }
    const currentIds = new Set(objectives.map(o => o.id));
    const currentIntervals = measured.filter(i =>
      currentIds.has(i.objectiveId),
    );

    const summary: Record<SloStatus, number> = {
      met: 0,
      'at-risk': 0,
      breached: 0,
      unknown: 0,
    };
    for (const objective of objectives) summary[objective.status]++;

    const contracts = datasets.map(d => d.info);
    let contractState: SloReport['contractState'] = 'none';
    if (toEvaluate.length > 0) contractState = 'valid';
    else if (contracts.some(c => c.state === 'invalid'))
      contractState = 'invalid';

    return {
      entityRef,
      evaluatedAt: now.toISOString(),
      contractState,
      contracts,
      objectives,
      summary,
      history: dailyHistory(currentIntervals, budgetOptions),
      errorBudget: computeErrorBudget(currentIntervals, budgetOptions),
      helpUrl: settings.helpUrl,
    };
  }
}
