// Reads the live signals of a dataset from AWS: Glue tables and partitions,
// crawlers, S3 objects and DataZone data-quality time series. Every failure
// becomes a `SignalResult` with a reason (never a throw), so an AWS outage
// shows as "unknown", never as a breach or a 500.

import {
  DataZoneClient,
  GetTimeSeriesDataPointCommand,
  ListTimeSeriesDataPointsCommand,
} from '@aws-sdk/client-datazone';
import {
  GetCrawlerCommand,
  GetPartitionsCommand,
  GetTablesCommand,
  GlueClient,
  Table,
} from '@aws-sdk/client-glue';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AwsClientFactory,
  mapAwsError,
} from '@data-mesh-portal/plugin-data-mesh-node';
import { Semaphore, TtlCache } from './cache';
import {
  CrawlerSignal,
  DataQualityEvaluation,
  DataQualityRun,
  DataQualitySignal,
  DatasetSignals,
  GluePartitionsSignal,
  GlueTableSignal,
  S3ObjectsSignal,
  SignalResult,
} from './signals';

/** Where a dataset's signals live (from the dataset entity's annotations). */
export interface DatasetLocation {
  /** AWS account of the Glue table and S3 data; the main account when absent. */
  accountId?: string;
  region?: string;
  glueDatabase?: string;
  glueTable?: string;
  /** The DataZone asset, for data-quality results. */
  dataZone?: {
    domainId: string;
    assetId: string;
    region?: string;
    accountId?: string;
  };
}

/** Reads the signals of one dataset. Tests swap in their own. */
export interface SloSignalReader {
  read(location: DatasetLocation): Promise<DatasetSignals>;
}

export interface AwsSignalReaderOptions {
  clientFactory: AwsClientFactory;
  logger: LoggerService;
  /** Cache life of a reading. Default 60 s. */
  cacheTtlMs?: number;
  /** Cache life of a failed reading (retry sooner). Default 15 s. */
  failureTtlMs?: number;
  /** AWS calls in flight at once, over all evaluations. Default 8. */
  concurrency?: number;
  /** Partitions read per table at most. Default 2 000. */
  maxPartitions?: number;
  /** S3 objects listed per table at most. Default 1 000 (one page). */
  maxObjects?: number;
  /** The DataZone time-series form holding data-quality results. */
  dataQualityFormName?: string;
  /** DataZone domain id → where it lives (from the catalog provider config). */
  dataZoneDomains?: Record<string, { region: string; accountId?: string }>;
  /** Data-quality results read back this far. Default 30 days. */
  dataQualityWindowMs?: number;
  clock?: () => Date;
}

type Failure = Extract<SignalResult<never>, { ok: false }>;

/** The default name of the DataZone form with data-quality results. */
export const DEFAULT_DATA_QUALITY_FORM_NAME = 'DataQualityResultForm';

function failure(
  error: unknown,
  source: string,
  operation: string,
  observedAt: Date,
): Failure {
  const mapped = mapAwsError(error, { operation });
  const kind = mapped.name === 'NotFoundError' ? 'not-found' : 'unavailable';
  return { ok: false, kind, reason: mapped.message, source, observedAt };
}

function parseS3Location(
  location: string | undefined,
): { bucket: string; prefix: string } | undefined {
  const match = /^s3a?n?:\/\/([^/]+)\/?(.*)$/i.exec(location ?? '');
  if (!match) return undefined;
  const prefix = match[2];
  return {
    bucket: match[1],
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
  };
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

function parseQualityContent(
  content: string | undefined,
  timestamp: Date,
): DataQualityRun | undefined {
  if (!content) return undefined;
  try {
    const parsed = JSON.parse(content) as {
      passingPercentage?: number;
      evaluations?: Array<{
        types?: string[];
        description?: string;
        applicableFields?: string[];
        status?: string;
        details?: Record<string, string>;
      }>;
    };
    if (
      !parsed ||
      typeof parsed !== 'object' ||
      !Array.isArray(parsed.evaluations)
    )
      return undefined;
    const evaluations: DataQualityEvaluation[] = parsed.evaluations.map(e => ({
      types: Array.isArray(e.types) ? e.types.map(String) : [],
      description:
        typeof e.description === 'string' ? e.description : undefined,
      applicableFields: Array.isArray(e.applicableFields)
        ? e.applicableFields.map(String)
        : [],
      status: typeof e.status === 'string' ? e.status : undefined,
      details:
        e.details && typeof e.details === 'object' ? e.details : undefined,
    }));
    return {
      timestamp,
      passingPercentage:
        typeof parsed.passingPercentage === 'number'
          ? parsed.passingPercentage
          : undefined,
      evaluations,
    };
  } catch {
    return undefined;
  }
}

/**
 * Reads signals from AWS with the shared client factory: one paged Glue
 * GetTables per database (cached and shared by every table of it), bounded
 * GetPartitions and ListObjectsV2 per table, GetCrawler for the crawler named
 * in the table's `UPDATED_BY_CRAWLER` parameter, and DataZone
 * ListTimeSeriesDataPoints for data-quality results.
 */
export class AwsSignalReader implements SloSignalReader {
  private readonly cache: TtlCache<unknown>;
  private readonly semaphore: Semaphore;
  private readonly failureTtlMs: number;
  private readonly clock: () => Date;

  constructor(private readonly options: AwsSignalReaderOptions) {
    this.cache = new TtlCache(options.cacheTtlMs ?? 60_000);
    this.semaphore = new Semaphore(options.concurrency ?? 8);
    this.failureTtlMs = options.failureTtlMs ?? 15_000;
    this.clock = options.clock ?? (() => new Date());
  }

  private cached<T>(
    key: string,
    load: () => Promise<SignalResult<T>>,
  ): Promise<SignalResult<T>> {
    return this.cache.get(
      key,
      () => this.semaphore.run(load),
      result => ((result as SignalResult<T>).ok ? Infinity : this.failureTtlMs),
    ) as Promise<SignalResult<T>>;
  }

  private async client<T>(
    ClientClass: new (config: any) => T,
    accountId: string | undefined,
    region: string,
  ): Promise<T> {
    return this.options.clientFactory.getClient(ClientClass, {
      accountId,
      region,
    });
  }

  async read(location: DatasetLocation): Promise<DatasetSignals> {
    const signals: DatasetSignals = {};
    const tasks: Promise<void>[] = [];
    if (location.glueDatabase && location.glueTable && location.region) {
      tasks.push(this.readGlue(location, signals));
    }
    if (location.dataZone) {
      tasks.push(
        this.readQuality(location).then(result => {
          signals.quality = result;
        }),
      );
    }
    await Promise.all(tasks);
    return signals;
  }

  private async readGlue(
    location: DatasetLocation,
    signals: DatasetSignals,
  ): Promise<void> {
    const { accountId, region, glueDatabase, glueTable } = location as Required<
      Pick<DatasetLocation, 'region' | 'glueDatabase' | 'glueTable'>
    > &
      DatasetLocation;
    const tables = await this.readDatabase(accountId, region, glueDatabase);
    if (!tables.ok) {
      signals.table = tables;
      return;
    }
    const raw = tables.data.get(glueTable.toLowerCase());
    if (!raw) {
      signals.table = {
        ok: false,
        kind: 'not-found',
        reason: `table ${glueDatabase}.${glueTable} does not exist`,
        source: tables.source,
        observedAt: tables.observedAt,
      };
      return;
    }
    const table: GlueTableSignal = {
      createTime: raw.CreateTime,
      updateTime: raw.UpdateTime,
      recordCount: toNumber(raw.Parameters?.recordCount),
      partitionKeys: (raw.PartitionKeys ?? []).map(key => ({
        name: key.Name ?? '',
        type: key.Type,
      })),
      location: raw.StorageDescriptor?.Location,
    };
    signals.table = {
      ok: true,
      data: table,
      source: tables.source,
      observedAt: tables.observedAt,
    };

    const more: Promise<void>[] = [];
    if (table.partitionKeys.length > 0) {
      more.push(
        this.readPartitions(
          accountId,
          region,
          glueDatabase,
          raw.Name ?? glueTable,
        ).then(r => {
          signals.partitions = r;
        }),
      );
    }
    const s3 = parseS3Location(table.location);
    if (s3) {
      more.push(
        this.readObjects(accountId, region, s3.bucket, s3.prefix).then(r => {
          signals.s3 = r;
        }),
      );
    }
    const crawlerName = raw.Parameters?.UPDATED_BY_CRAWLER;
    if (crawlerName) {
      more.push(
        this.readCrawler(accountId, region, crawlerName).then(r => {
          signals.crawler = r;
        }),
      );
    }
    await Promise.all(more);
  }

  /** All tables of a database, by lower-cased name: one paged GetTables. */
  private readDatabase(
    accountId: string | undefined,
    region: string,
    database: string,
  ): Promise<SignalResult<Map<string, Table>>> {
    const source = 'Glue GetTables';
    return this.cached(
      `glue-tables|${accountId ?? ''}|${region}|${database}`,
      async () => {
        const observedAt = this.clock();
        try {
          const glue = await this.client(GlueClient, accountId, region);
          const tables = new Map<string, Table>();
          let NextToken: string | undefined;
          let pages = 0;
          do {
            const page = await glue.send(
              new GetTablesCommand({ DatabaseName: database, NextToken }),
            );
            for (const table of page.TableList ?? []) {
              if (table.Name) tables.set(table.Name.toLowerCase(), table);
            }
            NextToken = page.NextToken;
            pages++;
          } while (NextToken && pages < 50);
          return { ok: true, data: tables, source, observedAt };
        } catch (error) {
          this.options.logger.debug(
            `SLO signal ${source} ${database} failed: ${error}`,
          );
          return failure(
            error,
            source,
            `Glue GetTables (database ${database})`,
            observedAt,
          );
        }
      },
    );
  }

  private readPartitions(
    accountId: string | undefined,
    region: string,
    database: string,
    table: string,
  ): Promise<SignalResult<GluePartitionsSignal>> {
    const source = 'Glue GetPartitions';
    const max = this.options.maxPartitions ?? 2_000;
    return this.cached(
      `glue-partitions|${accountId ?? ''}|${region}|${database}|${table}`,
      async () => {
        const observedAt = this.clock();
        try {
          const glue = await this.client(GlueClient, accountId, region);
          const data: GluePartitionsSignal = {
            count: 0,
            complete: true,
            creationTimes: [],
            values: [],
          };
          let NextToken: string | undefined;
          do {
            const page = await glue.send(
              new GetPartitionsCommand({
                DatabaseName: database,
                TableName: table,
                NextToken,
                MaxResults: Math.min(1000, max - data.count),
                ExcludeColumnSchema: true,
              }),
            );
            for (const partition of page.Partitions ?? []) {
              data.count++;
              if (partition.CreationTime)
                data.creationTimes.push(partition.CreationTime);
              data.values.push(partition.Values ?? []);
            }
            NextToken = page.NextToken;
          } while (NextToken && data.count < max);
          data.complete = !NextToken;
          return { ok: true, data, source, observedAt };
        } catch (error) {
          return failure(
            error,
            source,
            `Glue GetPartitions (${database}.${table})`,
            observedAt,
          );
        }
      },
    );
  }

  private readObjects(
    accountId: string | undefined,
    region: string,
    bucket: string,
    prefix: string,
  ): Promise<SignalResult<S3ObjectsSignal>> {
    const source = 'S3 ListObjectsV2';
    const max = this.options.maxObjects ?? 1_000;
    return this.cached(
      `s3|${accountId ?? ''}|${region}|${bucket}|${prefix}`,
      async () => {
        const observedAt = this.clock();
        try {
          const s3 = await this.client(S3Client, accountId, region);
          const data: S3ObjectsSignal = { objectCount: 0, complete: true };
          let ContinuationToken: string | undefined;
          do {
            const page = await s3.send(
              new ListObjectsV2Command({
                Bucket: bucket,
                Prefix: prefix,
                ContinuationToken,
                MaxKeys: Math.min(1000, max - data.objectCount),
              }),
            );
            for (const object of page.Contents ?? []) {
              data.objectCount++;
              const at = object.LastModified;
              if (!at) continue;
              if (!data.newestLastModified || at > data.newestLastModified)
                data.newestLastModified = at;
              if (!data.oldestLastModified || at < data.oldestLastModified)
                data.oldestLastModified = at;
            }
            ContinuationToken = page.IsTruncated
              ? page.NextContinuationToken
              : undefined;
          } while (ContinuationToken && data.objectCount < max);
          data.complete = !ContinuationToken;
          return { ok: true, data, source, observedAt };
        } catch (error) {
          return failure(
            error,
            source,
            `S3 ListObjectsV2 (s3://${bucket}/${prefix})`,
            observedAt,
          );
        }
      },
    );
  }

  private readCrawler(
    accountId: string | undefined,
    region: string,
    name: string,
  ): Promise<SignalResult<CrawlerSignal>> {
    const source = 'Glue GetCrawler';
    return this.cached(
      `crawler|${accountId ?? ''}|${region}|${name}`,
      async () => {
        const observedAt = this.clock();
        try {
          const glue = await this.client(GlueClient, accountId, region);
          const { Crawler } = await glue.send(
            new GetCrawlerCommand({ Name: name }),
          );
          return {
            ok: true,
            data: {
              name,
              state: Crawler?.State,
              lastRunStatus: Crawler?.LastCrawl?.Status,
              lastRunStart: Crawler?.LastCrawl?.StartTime,
              errorMessage: Crawler?.LastCrawl?.ErrorMessage,
            },
            source,
            observedAt,
          };
        } catch (error) {
          return failure(
            error,
            source,
            `Glue GetCrawler (${name})`,
            observedAt,
          );
        }
      },
    );
  }

  private readQuality(
    location: DatasetLocation,
  ): Promise<SignalResult<DataQualitySignal>> {
    const dz = location.dataZone!;
    const domain = this.options.dataZoneDomains?.[dz.domainId];
    const region = domain?.region ?? dz.region ?? location.region;
    const accountId = domain?.accountId ?? dz.accountId;
    const formName =
      this.options.dataQualityFormName ?? DEFAULT_DATA_QUALITY_FORM_NAME;
    const source = 'DataZone ListTimeSeriesDataPoints';
    return this.cached(
      `dq|${dz.domainId}|${dz.assetId}|${formName}`,
      async () => {
        const observedAt = this.clock();
        if (!region) {
          return {
            ok: false,
            kind: 'not-configured',
            reason: `no region known for DataZone domain ${dz.domainId}`,
            source,
            observedAt,
          };
        }
        try {
          const client = await this.client(DataZoneClient, accountId, region);
          const windowMs = this.options.dataQualityWindowMs ?? 30 * 86_400_000;
          const summaries = [];
          let nextToken: string | undefined;
          let pages = 0;
          do {
            const page = await client.send(
              new ListTimeSeriesDataPointsCommand({
                domainIdentifier: dz.domainId,
                entityIdentifier: dz.assetId,
                entityType: 'ASSET',
                formName,
                startedAt: new Date(observedAt.getTime() - windowMs),
                maxResults: 50,
                nextToken,
              }),
            );
            summaries.push(...(page.items ?? []));
            nextToken = page.nextToken;
            pages++;
          } while (nextToken && pages < 4);
          summaries.sort(
            (a, b) =>
              (b.timestamp?.getTime() ?? 0) - (a.timestamp?.getTime() ?? 0),
          );
          const runs: DataQualityRun[] = [];
          for (const [index, summary] of summaries.entries()) {
            if (!summary.timestamp) continue;
            let run = parseQualityContent(
              summary.contentSummary,
              summary.timestamp,
            );
            // The summary may be cut short; read the newest point in full.
            if (!run && index === 0 && summary.id) {
              const full = await client.send(
                new GetTimeSeriesDataPointCommand({
                  domainIdentifier: dz.domainId,
                  entityIdentifier: dz.assetId,
                  entityType: 'ASSET',
                  identifier: summary.id,
                  formName,
                }),
              );
              run = parseQualityContent(full.form?.content, summary.timestamp);
            }
            if (run) runs.push(run);
          }
          return { ok: true, data: { runs }, source, observedAt };
        } catch (error) {
          const mapped = mapAwsError(error, {
            operation: 'DataZone ListTimeSeriesDataPoints',
          });
          const name = (error as { name?: string })?.name ?? '';
          if (
            mapped.name === 'NotFoundError' ||
            /UnknownOperation|NotImplemented|UnsupportedOperation/i.test(name)
          ) {
            return {
              ok: false,
              kind: 'not-configured',
              reason: `not available: ${mapped.message}`,
              source,
              observedAt,
            };
          }
          return {
            ok: false,
            kind: 'unavailable',
            reason: mapped.message,
            source,
            observedAt,
          };
        }
      },
    );
  }
}
