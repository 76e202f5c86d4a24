import {
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AwsClientFactory } from '@data-mesh-portal/plugin-data-mesh-node';
import express from 'express';
import { createSloRouter } from './router';
import {
  AwsSignalReader,
  DEFAULT_DATA_QUALITY_FORM_NAME,
  SloSignalReader,
} from './signalReaders';
import { DatabaseSloHistoryStore, SloHistoryStore } from './SloHistoryStore';
import { DEFAULT_SLO_SETTINGS, SloService, SloSettings } from './SloService';

/** Reads `dataMesh.slo` (every key optional). */
export function readSloSettings(config: Config): SloSettings & {
  cacheTtlMs: number;
  concurrency: number;
  dataQualityFormName: string;
  refreshMinutes: number;
} {
  const slo = config.getOptionalConfig('dataMesh.slo');
  const defaults = DEFAULT_SLO_SETTINGS;
  const percent = slo?.getOptionalNumber('defaultTargetPercent');
  return {
    evaluation: {
      ...defaults.evaluation,
      atRiskRatio:
        (slo?.getOptionalNumber('atRiskPercent') ??
          defaults.evaluation.atRiskRatio * 100) / 100,
      qualityMaxAgeMs:
        (slo?.getOptionalNumber('dataQualityMaxAgeDays') ??
          defaults.evaluation.qualityMaxAgeMs / 86_400_000) * 86_400_000,
      qualityPassRateTarget:
        (slo?.getOptionalNumber('qualityPassRatePercent') ??
          defaults.evaluation.qualityPassRateTarget * 100) / 100,
    },
    defaultTarget:
      percent !== undefined ? percent / 100 : defaults.defaultTarget,
    recordIntervalMs:
      (slo?.getOptionalNumber('recordIntervalMinutes') ?? 5) * 60_000,
    maxGapMs: (slo?.getOptionalNumber('maxGapMinutes') ?? 60) * 60_000,
    helpUrl: slo?.getOptionalString('helpUrl') ?? defaults.helpUrl,
    cacheTtlMs: (slo?.getOptionalNumber('cacheTtlSeconds') ?? 60) * 1000,
    concurrency: slo?.getOptionalNumber('concurrency') ?? 8,
    dataQualityFormName:
      slo?.getOptionalString('dataQualityFormName') ??
      DEFAULT_DATA_QUALITY_FORM_NAME,
    refreshMinutes: slo?.getOptionalNumber('refreshMinutes') ?? 15,
  };
}

/** DataZone domain id → region/account, from the DataZone provider's config (one block or a map). */
export function readDataZoneDomains(
  config: Config,
): Record<string, { region: string; accountId?: string }> {
  const result: Record<string, { region: string; accountId?: string }> = {};
  const providers = config.getOptionalConfig('catalog.providers.datazone');
  if (!providers) return result;
  const blocks = providers.has('domainId')
    ? [providers]
    : providers.keys().map(key => providers.getConfig(key));
  for (const block of blocks) {
    const domainId = block.getOptionalString('domainId');
    const region = block.getOptionalString('region');
    if (domainId && region) {
      result[domainId] = {
        region,
        accountId: block.getOptionalString('accountId'),
      };
    }
  }
  return result;
}

/** Everything {@link setupSlo} needs, as the plugin's `registerInit` has it. */
export interface SetupSloOptions {
  config: RootConfigService;
  logger: LoggerService;
  database: DatabaseService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  awsClients: AwsClientFactory;
  /** Tests: replace the AWS signal reader or the store. */
  reader?: SloSignalReader;
  store?: SloHistoryStore;
}

/**
 * Builds the SLO service (AWS signal reader, history store with its
 * migration), schedules the history refresh and prunes old history, and
 * returns the router to mount (`GET /slo/:kind/:namespace/:name`).
 */
export async function setupSlo(
  options: SetupSloOptions,
): Promise<express.Router> {
  const settings = readSloSettings(options.config);
  const logger = options.logger.child({ target: 'slo' });
  const store =
    options.store ??
    (await DatabaseSloHistoryStore.create({ database: options.database }));
  const reader =
    options.reader ??
    new AwsSignalReader({
      clientFactory: options.awsClients,
      logger,
      cacheTtlMs: settings.cacheTtlMs,
      concurrency: settings.concurrency,
      dataQualityFormName: settings.dataQualityFormName,
      dataZoneDomains: readDataZoneDomains(options.config),
    });
  const service = new SloService({
    catalog: options.catalog,
    reader,
    store,
    logger,
    settings,
  });

  if (settings.refreshMinutes > 0) {
    // Keeps history continuous when nobody looks at a page: evaluates every
    // dataset, which records its statuses.
    await options.scheduler.scheduleTask({
      id: 'data-mesh-slo-refresh',
      frequency: { minutes: settings.refreshMinutes },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 1 },
      scope: 'global',
      fn: async () => {
        const credentials = await options.auth.getOwnServiceCredentials();
        const { items } = await options.catalog.getEntities(
          { filter: { kind: 'API', 'spec.type': 'dataset' } },
          { credentials },
        );
        for (const entity of items) {
          await service.evaluateDatasets(stringifyEntityRef(entity), [entity]);
        }
        const pruned = await store.prune(
          new Date(Date.now() - 35 * 86_400_000),
        );
        logger.info(
          `SLO refresh evaluated ${items.length} datasets, pruned ${pruned} old history rows`,
        );
      },
    });
  }

  return createSloRouter({
    service,
    catalog: options.catalog,
    httpAuth: options.httpAuth,
    logger,
  });
}
