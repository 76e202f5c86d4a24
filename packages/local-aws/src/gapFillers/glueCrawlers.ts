import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  GetTableCommand,
  GlueClient,
  UpdateTableCommand,
  type TableInput,
} from '@aws-sdk/client-glue';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { GapFiller } from '../router';
import type { Caller } from '../datazone/context';
import {
  JsonState,
  callMoto,
  callerClientConfig,
  readBody,
  sendError,
  sendJson,
  signingAuthorization,
} from './common';
import {
  FORMATS,
  inferCsv,
  inferJson,
  parquetSidecar,
  type InferredSchema,
} from './schemaInference';

/** The operations this filler answers; the rest of Glue (CreateCrawler included) is moto's. */
const CLAIMED = new Set([
  'StartCrawler',
  'GetCrawler',
  'GetCrawlers',
  'GetCrawlerMetrics',
  'ListCrawls',
]);

/** Bytes read from each object to infer its schema, as a classifier samples a file. */
const SAMPLE_BYTES = 1_048_576;

export interface CrawlRecord {
  crawlId: string;
  crawler: string;
  accountId: string;
  startTime: number;
  endTime: number;
  status: 'SUCCEEDED' | 'FAILED';
  errorMessage?: string;
  tablesCreated: number;
  tablesUpdated: number;
  tablesDeleted: number;
  /** Objects that could not be classified (Parquet without a schema sidecar, other formats). */
  skippedObjects: string[];
}

interface CrawlState {
  crawls: CrawlRecord[];
}

interface MotoCrawler {
  Name: string;
  DatabaseName?: string;
  TablePrefix?: string;
  Targets?: { S3Targets?: { Path?: string; Exclusions?: string[] }[] };
  State?: string;
  [key: string]: unknown;
}

const tableNameOf = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');

function parseS3Path(path: string): { bucket: string; prefix: string } {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(path);
  if (!m) throw new Error(`Not an S3 path: ${path}`);
  const prefix = m[2] && !m[2].endsWith('/') ? `${m[2]}/` : m[2];
  return { bucket: m[1], prefix };
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map(part =>
      part
        .split('*')
        .map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}

/**
 * Glue crawlers that finish (moto's stay RUNNING and create nothing): StartCrawler
 * crawls at once — it lists the objects under each S3 target, groups them into one
 * table per folder (`k=v` folders below it become partition keys), infers each table's
 * schema from a CSV header and values or from JSON records (Parquet from a
 * `<file>.schema.json` or `_schema.json` sidecar), and creates or updates the tables in
 * the crawler's database through the local endpoint; the crawler is then READY with a
 * LastCrawl. GetCrawler(s), GetCrawlerMetrics and ListCrawls report it.
 */
export class GlueCrawlerFiller implements GapFiller {
  readonly name = 'glue-crawlers';
  private readonly state: JsonState<CrawlState>;

  constructor(
    private readonly options: {
      endpoint: string;
      motoEndpoint: string;
      region: string;
      stateFile?: string;
    },
  ) {
    this.state = new JsonState(options.stateFile, () => ({ crawls: [] }));
  }

  claims(request: { service?: string; headers: IncomingMessage['headers'] }) {
    if (request.service !== 'glue') return false;
    const target = String(request.headers['x-amz-target'] ?? '');
    return CLAIMED.has(target.replace(/^AWSGlue\./, ''));
  }

  async handle(req: IncomingMessage, res: ServerResponse, caller: Caller) {
    const operation = String(req.headers['x-amz-target']).replace(
      /^AWSGlue\./,
      '',
    );
    const body = await readBody(req);
    let input: Record<string, any> = {};
    try {
      input = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return sendError(
        res,
        400,
        'SerializationException',
        'Malformed JSON body',
      );
    }
    try {
      switch (operation) {
        case 'StartCrawler':
          return await this.startCrawler(res, caller, input.Name);
        case 'GetCrawler': {
          const crawler = await this.motoCrawler(caller, input.Name);
          if (!crawler)
            return sendError(
              res,
              400,
              'EntityNotFoundException',
              `Crawler ${input.Name} not found`,
            );
          return sendJson(res, 200, { Crawler: this.overlay(caller, crawler) });
        }
        case 'GetCrawlers': {
          const got = await this.motoGlue(caller, 'GetCrawlers', input);
          return sendJson(res, 200, {
            ...got,
            Crawlers: (got.Crawlers ?? []).map((c: MotoCrawler) =>
              this.overlay(caller, c),
            ),
          });
        }
        case 'GetCrawlerMetrics':
          return await this.metrics(res, caller, input);
        default:
          return await this.listCrawls(res, caller, input);
      }
    } catch (error) {
      return sendError(
        res,
        500,
        'InternalServiceException',
        (error as Error).message,
      );
    }
  }

  private async motoGlue(caller: Caller, operation: string, input: unknown) {
    const response = await callMoto(this.options.motoEndpoint, caller, {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSGlue.${operation}`,
        authorization: signingAuthorization(
          'glue',
          caller.accessKeyId ?? 'AKIALOCAL',
        ),
      },
      body: JSON.stringify(input),
    });
    const parsed = response.body ? JSON.parse(response.body) : {};
    if (response.status >= 300) {
      const error = new Error(
        parsed.message ?? parsed.Message ?? response.body,
      );
      error.name = String(parsed.__type ?? 'InternalServiceException')
        .split('#')
        .pop()!;
      throw error;
    }
    return parsed;
  }

  private async motoCrawler(
    caller: Caller,
    name: string,
  ): Promise<MotoCrawler | undefined> {
    try {
      return (await this.motoGlue(caller, 'GetCrawler', { Name: name }))
        .Crawler;
    } catch (error) {
      if ((error as Error).name === 'EntityNotFoundException') return undefined;
      throw error;
    }
  }

  private crawlsOf(caller: Caller, name: string) {
    return this.state.data.crawls.filter(
      c => c.crawler === name && c.accountId === caller.accountId,
    );
  }

  private overlay(caller: Caller, crawler: MotoCrawler) {
    const last = this.crawlsOf(caller, crawler.Name).pop();
    if (!last) return { ...crawler, State: 'READY' };
    return {
      ...crawler,
      State: 'READY',
      CrawlElapsedTime: 0,
      LastCrawl: {
        Status: last.status,
        ErrorMessage: last.errorMessage,
        LogGroup: '/aws-glue/crawlers',
        LogStream: crawler.Name,
        MessagePrefix: last.crawlId,
        StartTime: last.startTime / 1000,
      },
    };
  }

  private async startCrawler(
    res: ServerResponse,
    caller: Caller,
    name: string,
  ) {
    const crawler = await this.motoCrawler(caller, name);
    if (!crawler)
      return sendError(
        res,
        400,
        'EntityNotFoundException',
        `Crawler ${name} not found`,
      );
    const record: CrawlRecord = {
      crawlId: randomUUID(),
      crawler: name,
      accountId: caller.accountId,
      startTime: Date.now(),
      endTime: 0,
      status: 'SUCCEEDED',
      tablesCreated: 0,
      tablesUpdated: 0,
      tablesDeleted: 0,
      skippedObjects: [],
    };
    const config = callerClientConfig(
      this.options.endpoint,
      this.options.region,
      caller,
    );
    const s3 = new S3Client(config);
    const glue = new GlueClient(config);
    try {
      if (!crawler.DatabaseName)
        throw new Error('The crawler names no DatabaseName');
      for (const target of crawler.Targets?.S3Targets ?? []) {
        const tables = await this.crawlTarget(s3, target, record);
        for (const [tableName, table] of tables) {
          const outcome = await upsertTable(
            glue,
            crawler.DatabaseName,
            `${crawler.TablePrefix ?? ''}${tableName}`,
            table,
            name,
          );
          if (outcome === 'created') record.tablesCreated += 1;
          if (outcome === 'updated') record.tablesUpdated += 1;
        }
      }
    } catch (error) {
      record.status = 'FAILED';
      record.errorMessage = (error as Error).message;
    } finally {
      s3.destroy();
      glue.destroy();
    }
    record.endTime = Date.now();
    this.state.data.crawls.push(record);
    this.state.save();
    return sendJson(
      res,
      200,
      {},
      { 'content-type': 'application/x-amz-json-1.1' },
    );
  }

  /** One table per folder under the target path, with its inferred schema. */
  private async crawlTarget(
    s3: S3Client,
    target: { Path?: string; Exclusions?: string[] },
    record: CrawlRecord,
  ) {
    const { bucket, prefix } = parseS3Path(target.Path ?? '');
    const exclusions = (target.Exclusions ?? []).map(globToRegExp);
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ContinuationToken,
        }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);

    const rootName = tableNameOf(
      prefix.split('/').filter(Boolean).pop() ?? bucket,
    );
    const groups = new Map<
      string,
      {
        location: string;
        partitionKeys: string[];
        files: string[];
        sidecars: string[];
      }
    >();
    for (const key of keys) {
      const relative = key.slice(prefix.length);
      if (exclusions.some(e => e.test(relative))) continue;
      const parts = relative.split('/');
      const file = parts.pop()!;
      const nested = parts.length > 0 && !parts[0].includes('=');
      const folder = nested ? parts.shift()! : undefined;
      const name = folder ? tableNameOf(folder) : rootName;
      const location = `s3://${bucket}/${prefix}${folder ? `${folder}/` : ''}`;
      const group = groups.get(name) ?? {
        location,
        partitionKeys: [],
        files: [],
        sidecars: [],
      };
      for (const p of parts) {
        const k = p.split('=')[0];
        if (p.includes('=') && !group.partitionKeys.includes(k))
          group.partitionKeys.push(k);
      }
      if (/(^_schema\.json$|\.schema\.json$)/.test(file))
        group.sidecars.push(key);
      else if (!file.startsWith('_') && !file.startsWith('.'))
        group.files.push(key);
      groups.set(name, group);
    }

    const read = async (key: string) => {
      const got = await s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          Range: `bytes=0-${SAMPLE_BYTES - 1}`,
        }),
      );
      return (await got.Body?.transformToString('utf8')) ?? '';
    };
    const tables = new Map<
      string,
      {
        schema: InferredSchema;
        location: string;
        partitionKeys: string[];
        objects: number;
      }
    >();
    for (const [name, group] of groups) {
      let schema: InferredSchema | undefined;
      for (const key of group.files) {
        let found: InferredSchema | undefined;
        if (/\.(csv|tsv|txt)(\.gz)?$/i.test(key) && !key.endsWith('.gz'))
          found = inferCsv(await read(key));
        else if (/\.(json|jsonl|ndjson)$/i.test(key))
          found = inferJson(await read(key));
        else if (/\.parquet$/i.test(key)) {
          const sidecar =
            group.sidecars.find(s => s === `${key}.schema.json`) ??
            group.sidecars.find(s => s.endsWith('_schema.json'));
          found = sidecar ? parquetSidecar(await read(sidecar)) : undefined;
        }
        if (!found || found.columns.length === 0) {
          record.skippedObjects.push(`s3://${bucket}/${key}`);
          continue;
        }
        if (!schema) schema = found;
        else {
          // Later files add the columns earlier ones lacked (schema merge).
          for (const c of found.columns)
            if (!schema.columns.some(x => x.Name === c.Name))
              schema.columns.push(c);
          schema.rows += found.rows;
        }
      }
      if (schema)
        tables.set(name, {
          schema,
          location: group.location,
          partitionKeys: group.partitionKeys,
          objects: group.files.length,
        });
    }
    return tables;
  }

  private async metrics(
    res: ServerResponse,
    caller: Caller,
    input: { CrawlerNameList?: string[] },
  ) {
    const names: string[] =
      input.CrawlerNameList ??
      ((await this.motoGlue(caller, 'GetCrawlers', {})).Crawlers ?? []).map(
        (c: MotoCrawler) => c.Name,
      );
    sendJson(res, 200, {
      CrawlerMetricsList: names.map((name: string) => {
        const crawls = this.crawlsOf(caller, name);
        const last = crawls[crawls.length - 1];
        const runtimes = crawls
          .map(c => (c.endTime - c.startTime) / 1000)
          .sort((a, b) => a - b);
        return {
          CrawlerName: name,
          TimeLeftSeconds: 0,
          StillEstimating: false,
          LastRuntimeSeconds: last ? (last.endTime - last.startTime) / 1000 : 0,
          MedianRuntimeSeconds: runtimes.length
            ? runtimes[Math.floor(runtimes.length / 2)]
            : 0,
          TablesCreated: last?.tablesCreated ?? 0,
          TablesUpdated: last?.tablesUpdated ?? 0,
          TablesDeleted: last?.tablesDeleted ?? 0,
        };
      }),
    });
  }

  private async listCrawls(
    res: ServerResponse,
    caller: Caller,
    input: { CrawlerName?: string; MaxResults?: number },
  ) {
    if (!(await this.motoCrawler(caller, input.CrawlerName ?? '')))
      return sendError(
        res,
        400,
        'EntityNotFoundException',
        `Crawler ${input.CrawlerName} not found`,
      );
    const crawls = this.crawlsOf(caller, input.CrawlerName!)
      .slice()
      .reverse()
      .slice(0, input.MaxResults ?? 20);
    return sendJson(res, 200, {
      Crawls: crawls.map(c => ({
        CrawlId: c.crawlId,
        State: c.status === 'SUCCEEDED' ? 'COMPLETED' : 'FAILED',
        StartTime: c.startTime / 1000,
        EndTime: c.endTime / 1000,
        Summary: JSON.stringify({
          TABLE: {
            ADD: { Count: c.tablesCreated },
            UPDATE: { Count: c.tablesUpdated },
          },
        }),
        ErrorMessage: c.errorMessage,
        LogGroup: '/aws-glue/crawlers',
        LogStream: c.crawler,
        DPUHour: 0,
      })),
    });
  }
}

async function upsertTable(
  glue: GlueClient,
  database: string,
  name: string,
  table: {
    schema: InferredSchema;
    location: string;
    partitionKeys: string[];
    objects: number;
  },
  crawlerName: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  const format = FORMATS[table.schema.classification];
  const input: TableInput = {
    Name: name,
    TableType: 'EXTERNAL_TABLE',
    Parameters: {
      classification: table.schema.classification,
      UPDATED_BY_CRAWLER: crawlerName,
      objectCount: String(table.objects),
      recordCount: String(table.schema.rows),
      CrawlerSchemaSerializerVersion: '1.0',
      ...(table.schema.classification === 'csv'
        ? { delimiter: ',', 'skip.header.line.count': '1' }
        : {}),
    },
    PartitionKeys: table.partitionKeys.map(k => ({ Name: k, Type: 'string' })),
    StorageDescriptor: {
      Columns: table.schema.columns,
      Location: table.location,
      InputFormat: format.InputFormat,
      OutputFormat: format.OutputFormat,
      SerdeInfo: format.SerdeInfo,
    },
  };
  let existing;
  try {
    existing = (
      await glue.send(
        new GetTableCommand({ DatabaseName: database, Name: name }),
      )
    ).Table;
  } catch (error) {
    if ((error as Error).name !== 'EntityNotFoundException') throw error;
  }
  if (!existing) {
    await glue.send(
      new CreateTableCommand({ DatabaseName: database, TableInput: input }),
    );
    return 'created';
  }
  const same =
    JSON.stringify(existing.StorageDescriptor?.Columns ?? []) ===
      JSON.stringify(input.StorageDescriptor!.Columns) &&
    JSON.stringify((existing.PartitionKeys ?? []).map(k => k.Name)) ===
      JSON.stringify(table.partitionKeys);
  // A recrawl records itself even when the schema held (recordCount, the crawler's name).
  await glue.send(
    new UpdateTableCommand({ DatabaseName: database, TableInput: input }),
  );
  return same ? 'unchanged' : 'updated';
}
