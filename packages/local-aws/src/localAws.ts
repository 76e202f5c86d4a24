import http from 'node:http';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { startMoto, type MotoServer } from './moto';
import { MotoJournal } from './motoJournal';
import { CallerRegistry } from './callers';
import { createRouter, type GapFiller } from './router';
import { DataZoneStandIn } from './datazone/server';
import { DataZoneStore } from './datazone/store';
import { StatePersistence } from './datazone/persistence';
import {
  DUMMY_CREDENTIALS,
  LOCAL_AWS_ACCOUNTS,
  LOCAL_AWS_REGION,
  PRODUCER_ROLE_ARN,
  type LocalAwsAccounts,
} from './accounts';
import { seedDemoMesh, type DemoMesh } from './seed';
import { MotoEffects } from './effects';
import { defaultGapFillers } from './gapFillers';
import { LocalAwsControl } from './admin/control';
import type { ScaleMesh, ScaleSpec } from './scale/seed';
import { findScaleMesh, readScaleMeshes } from './scale/meshes';

export interface LocalAwsServerOptions {
  /** Router port; 0 or undefined picks a free one. */
  port?: number;
  dataDir: string;
  /** Seed the demo mesh when the state is empty (default true). */
  seed?: boolean;
  gapFillers?: GapFiller[];
  log?: (message: string) => void;
  /** Seed a scale mesh (issue 5) unless this data dir already has one of this spec. */
  scale?: ScaleSpec;
  /** Keep the DataZone state on disk (default true; off saves big writes in benchmarks). */
  persist?: boolean;
}

export interface LocalAwsServer {
  endpoint: string;
  port: number;
  dataDir: string;
  region: string;
  accounts: LocalAwsAccounts;
  /** The seeded demo mesh, when there is one in this data dir. */
  demo?: DemoMesh;
  dataZone: DataZoneStandIn;
  /** Counters, fault injection, quotas and scale seeding (also at `/_local-aws/…`). */
  control: LocalAwsControl;
  /** The scale mesh of `options.scale`, when asked for. */
  scale?: ScaleMesh;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `Port ${port} on 127.0.0.1 is already in use. Stop whatever holds it or pass --port <free port>.`,
    );
    this.name = 'PortInUseError';
  }
}

export const dataFiles = (dataDir: string) => ({
  dataZoneState: join(dataDir, 'datazone-state.json'),
  motoJournal: join(dataDir, 'moto-journal.jsonl'),
  callers: join(dataDir, 'callers.json'),
  demo: join(dataDir, 'demo-mesh.json'),
  endpointEnv: join(dataDir, 'endpoint.env'),
  awsConfig: join(dataDir, 'aws-config'),
  awsCredentials: join(dataDir, 'aws-credentials'),
  scaleMeshes: join(dataDir, 'scale-mesh.json'),
  glueCrawls: join(dataDir, 'glue-crawls.json'),
  quickSight: join(dataDir, 'quicksight.json'),
});

/** Deletes all local AWS state in a data dir (moto journal, DataZone state, demo ids). */
export function resetLocalAws(dataDir: string) {
  for (const file of Object.values(dataFiles(dataDir)))
    rmSync(file, { force: true });
}

/**
 * Starts the whole local AWS: the router listens first (so a taken port fails at once),
 * then moto starts and replays its journal, the DataZone stand-in loads its state, and,
 * on an empty state, the demo mesh is seeded through the real SDK clients.
 */
export async function startLocalAwsServer(
  options: LocalAwsServerOptions,
): Promise<LocalAwsServer> {
  const log = options.log ?? (() => {});
  const files = dataFiles(options.dataDir);
  mkdirSync(options.dataDir, { recursive: true });

  let ready!: () => void;
  const readyPromise = new Promise<void>(r => (ready = r));
  let route:
    | ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>)
    | undefined;
  const server = http.createServer((req, res) => {
    void readyPromise.then(() => route!(req, res));
  });
  server.keepAliveTimeout = 5000;
  const port = await listen(server, options.port ?? 0);
  const endpoint = `http://127.0.0.1:${port}`;

  let moto: MotoServer | undefined;
  let persistence: StatePersistence | undefined;
  let control: LocalAwsControl | undefined;
  const effects = new MotoEffects(endpoint, LOCAL_AWS_REGION);
  const stop = async () => {
    control?.close();
    await new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await effects.destroy();
    await persistence?.flush();
    await moto?.stop();
  };

  try {
    moto = await startMoto();
    const journal = new MotoJournal(files.motoJournal);
    const replay = await journal.replay(moto.endpoint);
    if (replay.replayed > 0)
      log(
        `moto: replayed ${replay.replayed} requests (${replay.failed} failed)`,
      );

    const store = new DataZoneStore(StatePersistence.load(files.dataZoneState));
    if (options.persist !== false)
      persistence = new StatePersistence(files.dataZoneState, store);
    const dataZone = new DataZoneStandIn(store, LOCAL_AWS_REGION, effects);
    control = new LocalAwsControl({
      store,
      scaleMeshFile: files.scaleMeshes,
    });
    control.scaleMeshes.push(...readScaleMeshes(files.scaleMeshes));
    dataZone.use(control.dataZoneMiddleware());
    const admin = control;
    const callers = new CallerRegistry(files.callers);
    route = createRouter({
      motoEndpoint: moto.endpoint,
      dataZone,
      callers,
      journal,
      // Fillers given by the caller first, so a test can stand in for a default one.
      gapFillers: [
        ...(options.gapFillers ?? []),
        ...defaultGapFillers({
          endpoint,
          motoEndpoint: moto.endpoint,
          region: LOCAL_AWS_REGION,
          crawlStateFile:
            options.persist === false ? undefined : files.glueCrawls,
          quickSightStateFile:
            options.persist === false ? undefined : files.quickSight,
        }),
      ],
      admin: async (req, res) => {
        if (await admin.admin(req, res)) return;
        if (req.url === '/_local-aws/health') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'ok', moto: moto!.endpoint }));
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Unknown local AWS admin path' }));
      },
    });
    route = control.wrapRouter(route);
    ready();

    let demo: DemoMesh | undefined = existsSync(files.demo)
      ? (JSON.parse(readFileSync(files.demo, 'utf8')) as DemoMesh)
      : undefined;
    if (
      options.seed !== false &&
      Object.keys(store.state.domains).length === 0
    ) {
      const started = Date.now();
      demo = await seedDemoMesh({ endpoint, region: LOCAL_AWS_REGION });
      writeFileSync(files.demo, `${JSON.stringify(demo, null, 2)}\n`);
      await persistence?.flush();
      log(`seeded the demo mesh in ${Date.now() - started} ms`);
    } else if (options.seed !== false && !demo) {
      log(
        'the data dir holds DataZone state but no demo mesh record: run `local-aws reset` to re-seed',
      );
    }
    let scale: ScaleMesh | undefined;
    if (options.scale) {
      scale = findScaleMesh(control.scaleMeshes, options.scale);
      if (!scale) {
        scale = control.seedScale(options.scale);
        await persistence?.flush();
        log(
          `seeded a scale mesh of ${scale.assets} assets in ${scale.durationMs} ms`,
        );
      }
    }
    writeFileSync(files.endpointEnv, endpointEnv(endpoint, demo));
    writeAwsCliProfiles(files.awsConfig, files.awsCredentials, endpoint);
    return {
      endpoint,
      port,
      dataDir: options.dataDir,
      region: LOCAL_AWS_REGION,
      accounts: LOCAL_AWS_ACCOUNTS,
      demo,
      dataZone,
      control,
      scale,
      stop,
    };
  } catch (error) {
    ready();
    route = async (_req, res) => {
      res.writeHead(503);
      res.end();
    };
    await stop().catch(() => {});
    throw error;
  }
}

export function endpointEnv(endpoint: string, demo?: DemoMesh): string {
  const lines = [
    '# Written by local-aws start: source it to point AWS SDKs and the AWS CLI at the local AWS.',
    `export AWS_ENDPOINT_URL=${endpoint}`,
    `export AWS_REGION=${LOCAL_AWS_REGION}`,
    `export AWS_DEFAULT_REGION=${LOCAL_AWS_REGION}`,
    `export DMP_GOVERNANCE_ACCOUNT_ID=${LOCAL_AWS_ACCOUNTS.governance}`,
    `export DMP_PRODUCER_ACCOUNT_ID=${LOCAL_AWS_ACCOUNTS.producer}`,
  ];
  if (demo) {
    lines.push(`export DMP_DATAZONE_DOMAIN_ID=${demo.domainId}`);
    lines.push(`export DMP_PRODUCER_ROLE_ARN=${demo.producerRoleArn}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * AWS CLI config with a `producer` profile that assumes the producer role through the
 * local STS: `AWS_CONFIG_FILE=<dir>/aws-config AWS_SHARED_CREDENTIALS_FILE=<dir>/aws-credentials
 * aws --profile producer glue get-tables --database-name sales_order_history`.
 */
function writeAwsCliProfiles(
  configFile: string,
  credentialsFile: string,
  endpoint: string,
) {
  const common = `region = ${LOCAL_AWS_REGION}\nendpoint_url = ${endpoint}\n`;
  writeFileSync(
    configFile,
    `[default]\n${common}\n[profile producer]\n${common}role_arn = ${PRODUCER_ROLE_ARN}\n` +
      // A session name per start: the CLI caches assumed-role keys (~/.aws/cli/cache) by
      // role and session name, and keys from an earlier moto mean nothing to this one.
      `role_session_name = local-aws-cli-${Date.now()}\nsource_profile = default\n`,
  );
  writeFileSync(
    credentialsFile,
    `[default]\naws_access_key_id = ${DUMMY_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${DUMMY_CREDENTIALS.secretAccessKey}\n`,
  );
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
