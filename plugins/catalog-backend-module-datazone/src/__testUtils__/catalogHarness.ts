/*
 * A real catalog backend (startTestBackend + the catalog plugin) with one
 * DataZone provider wired in by hand, for the local-AWS tests and the
 * benchmark: the provider's mutations are recorded, its log lines captured,
 * and entities are read back through the catalog's REST API.
 */
import path from 'node:path';
import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
  EntityProvider,
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import request from 'supertest';
import { DataZoneRelationsProcessor } from '../processor/DataZoneRelationsProcessor';
import { CatalogServiceView } from '../provider/CatalogView';
import {
  DataZoneClientSource,
  DataZoneEntityProvider,
} from '../provider/DataZoneEntityProvider';

// Config objects (JSON); `any` keeps @backstage/types out of the dependencies.
type JsonObject = Record<string, any>;

export const repoRoot = path.resolve(__dirname, '../../../..');

/** One captured log line. */
export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
}

/** A logger that records every line (and forwards it unless `quiet`). */
export function recordingLogger(lines: LogLine[], base?: LoggerService): LoggerService {
  const make = (inner?: LoggerService): LoggerService => ({
    error: (message, meta) => {
      lines.push({ level: 'error', message });
      inner?.error(message, meta);
    },
    warn: (message, meta) => {
      lines.push({ level: 'warn', message });
      inner?.warn(message, meta);
    },
    info: (message, meta) => {
      lines.push({ level: 'info', message });
      inner?.info(message, meta);
    },
    debug: (message, meta) => {
      lines.push({ level: 'debug', message });
      inner?.debug(message, meta);
    },
    child: meta => make(inner?.child(meta)),
  });
  return make(base);
}

export interface CatalogHarnessOptions {
  domainId: string;
  region: string;
  clients: DataZoneClientSource;
  /** Extra `catalog.providers.datazone` keys. */
  datazone?: JsonObject;
  /** `backend.database` (default: in-memory SQLite). */
  database?: JsonObject;
  /** `catalog.processingInterval` in seconds (default 1; null: the catalog's own default). */
  processingIntervalSeconds?: number | null;
  /** Register the demo people (catalog/demo-org.yaml) as a file location. */
  demoOrg?: boolean;
  /** Extra entity providers (the benchmark's static floor provider). */
  extraProviders?: EntityProvider[];
  /** Without a DataZone provider (the floor run). */
  withoutDataZone?: boolean;
  /** Extra `catalog` keys (e.g. `stitchingStrategy`). */
  catalogExtra?: JsonObject;
  /** Forward the provider's log lines to the backend logger (default false: recorded only). */
  forwardLogs?: boolean;
}

export interface CatalogHarness {
  server: any;
  provider?: DataZoneEntityProvider;
  /** Every mutation the provider handed to the catalog. */
  mutations: EntityProviderMutation[];
  /** The provider's log lines. */
  logs: LogLine[];
  stop(): Promise<void>;
}

export async function startCatalogHarness(
  options: CatalogHarnessOptions,
): Promise<CatalogHarness> {
  const mutations: EntityProviderMutation[] = [];
  const logs: LogLine[] = [];
  let provider: DataZoneEntityProvider | undefined;

  const testModule = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'datazone-harness',
    register(reg) {
      reg.registerInit({
        deps: {
          catalog: catalogProcessingExtensionPoint,
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          auth: coreServices.auth,
          catalogService: catalogServiceRef,
        },
        async init({ catalog, config, logger, auth, catalogService }) {
          catalog.addProcessor(new DataZoneRelationsProcessor());
          for (const extra of options.extraProviders ?? []) {
            catalog.addEntityProvider(extra);
          }
          if (options.withoutDataZone) {
            return;
          }
          [provider] = DataZoneEntityProvider.fromConfig(config, {
            logger: recordingLogger(logs, options.forwardLogs ? logger : undefined),
            schedule: { run: async () => {} },
            catalog: new CatalogServiceView(catalogService, auth),
            clients: options.clients,
          });
          catalog.addEntityProvider({
            getProviderName: () => provider!.getProviderName(),
            connect: (connection: EntityProviderConnection) =>
              provider!.connect({
                refresh: o => connection.refresh(o),
                applyMutation: async mutation => {
                  mutations.push(mutation);
                  await connection.applyMutation(mutation);
                },
              }),
          });
        },
      });
    },
  });

  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: options.database ?? {
              client: 'better-sqlite3',
              connection: ':memory:',
            },
          },
          catalog: {
            ...options.catalogExtra,
            rules: [
              {
                allow: ['User', 'Group', 'System', 'Component', 'API', 'Domain', 'Resource', 'Location'],
              },
            ],
            ...(options.processingIntervalSeconds === null
              ? {}
              : { processingInterval: { seconds: options.processingIntervalSeconds ?? 1 } }),
            locations:
              options.demoOrg === false
                ? []
                : [{ type: 'file', target: path.join(repoRoot, 'catalog/demo-org.yaml') }],
            providers: {
              datazone: {
                domainId: options.domainId,
                region: options.region,
                ...options.datazone,
              },
            },
          },
        },
      }),
      catalogPlugin,
      testModule,
    ],
  });
  return {
    server: backend.server,
    provider,
    mutations,
    logs,
    stop: () => backend.stop(),
  };
}

/** An entity through the catalog REST API, or undefined. */
export async function getEntity(server: any, ref: string): Promise<Entity | undefined> {
  const res = await request(server)
    .get(`/api/catalog/entities/by-name/${ref}`)
    .set('Authorization', mockCredentials.service.header());
  return res.status === 200 ? res.body : undefined;
}

/** How many entities the catalog serves with this managed-by-location. */
export async function countAtLocation(server: any, location: string): Promise<number> {
  const res = await request(server)
    .get('/api/catalog/entities/by-query')
    .query({
      filter: `metadata.annotations.backstage.io/managed-by-location=${location}`,
      limit: 1,
      fields: 'metadata.name',
    })
    .set('Authorization', mockCredentials.service.header());
  if (res.status !== 200) {
    throw new Error(`catalog query failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body.totalItems as number;
}

/** Polls until `fn` returns a value (not undefined). */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

/** Target refs of one relation type, sorted. */
export function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();
}
