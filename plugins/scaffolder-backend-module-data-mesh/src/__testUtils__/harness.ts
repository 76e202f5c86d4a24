import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  CreateDatabaseCommand,
  CreateTableCommand,
  GlueClient,
  TableInput,
} from '@aws-sdk/client-glue';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { AwsClientFactory } from '@data-mesh-portal/plugin-data-mesh-node';
import {
  LOCAL_AWS_ACCOUNTS,
  PRODUCER_ROLE_NAME,
  startLocalAws,
  type LocalAws,
} from '@data-mesh-portal/local-aws';
import type { AwsClients } from '../lib/common';

/** One HTTP request that reached the local AWS through the counting proxy. */
export interface SeenCall {
  service: string;
  operation: string;
}

/**
 * A proxy in front of the local AWS that counts every request (STS included),
 * named by the SigV4 signing service and the operation where the wire shows it.
 * "Zero AWS calls" in a dry run means zero requests here.
 */
async function startCountingProxy(target: string) {
  const calls: SeenCall[] = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    const service =
      /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth)?.[1] ?? 'unknown';
    const amzTarget = String(req.headers['x-amz-target'] ?? '');
    const operation = amzTarget
      ? amzTarget.split('.').pop()!
      : `${req.method} ${req.url?.split('?')[0]}`;
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = /Action=([A-Za-z]+)/.exec(body.toString('utf8'))?.[1];
      calls.push({ service, operation: action ?? operation });
      const forward = http.request(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        upstreamRes => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', error => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Where an injected failure strikes: before the request is sent, or after AWS did the work (the answer is lost). */
export type FaultTiming = 'before' | 'after';

interface Fault {
  command: string;
  timing: FaultTiming;
  remaining: number;
}

/**
 * The local AWS with the demo mesh, the real SDK clients from the suite's
 * AwsClientFactory (credentials through integration-aws-node, the producer
 * account reached by AssumeRole), a counting proxy, and fault injection by
 * command name.
 */
export interface ActionTestEnv {
  local: LocalAws;
  clients: AwsClients;
  factory: AwsClientFactory;
  calls: SeenCall[];
  producer: { accountId: string; region: string };
  governance: { accountId: string; region: string };
  /** Makes the next `times` sends of `command` (e.g. `PutBucketVersioningCommand`) fail. */
  failNext(command: string, timing?: FaultTiming, times?: number): void;
  /** Milliseconds spent waiting for AWS (SDK sends, retries included) since start. */
  timing: { awsMs: number };
  /** How many times each command was sent (after faults were applied), e.g. `CreateBucketCommand`. */
  sent: Map<string, number>;
  stop(): Promise<void>;
}

export async function startActionTestEnv(): Promise<ActionTestEnv> {
  const local = await startLocalAws({ seed: true });
  const proxy = await startCountingProxy(local.endpoint);
  const savedEndpoint = process.env.AWS_ENDPOINT_URL;
  // integration-aws-node's STS client has no endpoint option: the SDK reads it here.
  process.env.AWS_ENDPOINT_URL = proxy.url;
  const factory = AwsClientFactory.fromConfig(
    new ConfigReader({
      aws: {
        mainAccount: {
          accessKeyId: 'AKIALOCALAWSTESTING',
          secretAccessKey: 'local-aws-dummy-secret-key',
        },
        accounts: [
          {
            accountId: LOCAL_AWS_ACCOUNTS.producer,
            roleName: PRODUCER_ROLE_NAME,
          },
        ],
      },
    }),
    { env: { AWS_ENDPOINT_URL: proxy.url, AWS_MAX_ATTEMPTS: '2' } },
  );
  const faults: Fault[] = [];
  const sent = new Map<string, number>();
  const timing = { awsMs: 0 };
  const instrumented = new WeakSet<object>();
  const clients: AwsClients = {
    async getClient(ClientClass, target) {
      const client = await factory.getClient(ClientClass, target);
      const stack = (client as any).middlewareStack;
      if (stack && !instrumented.has(client as object)) {
        instrumented.add(client as object);
        stack.add(
          (next: any, context: any) => async (args: any) => {
            const command = String(context.commandName);
            const fault = faults.find(
              f => f.command === command && f.remaining > 0,
            );
            const injected = () =>
              Object.assign(new Error(`Injected failure of ${command}`), {
                name: 'InternalFailure',
                $fault: 'server',
                $metadata: { httpStatusCode: 500 },
              });
            if (fault?.timing === 'before') {
              fault.remaining--;
              throw injected();
            }
            sent.set(command, (sent.get(command) ?? 0) + 1);
            const t0 = performance.now();
            const result = await next(args).finally(() => {
              timing.awsMs += performance.now() - t0;
            });
            if (fault?.timing === 'after') {
              fault.remaining--;
              throw injected();
            }
            return result;
          },
          { step: 'initialize', name: 'dataMeshTestFaults' },
        );
      }
      return client;
    },
  };
  return {
    local,
    clients,
    factory,
    calls: proxy.calls,
    producer: { accountId: LOCAL_AWS_ACCOUNTS.producer, region: local.region },
    governance: {
      accountId: LOCAL_AWS_ACCOUNTS.governance,
      region: local.region,
    },
    failNext(command, when = 'before', times = 1) {
      faults.push({ command, timing: when, remaining: times });
    },
    sent,
    timing,
    async stop() {
      await factory.destroy();
      await proxy.close();
      await local.stop();
      if (savedEndpoint === undefined) {
        delete process.env.AWS_ENDPOINT_URL;
      } else {
        process.env.AWS_ENDPOINT_URL = savedEndpoint;
      }
    },
  };
}

/**
 * Checkpoints as the scaffolder's task runner keeps them: a successful
 * checkpoint's value is reused when the task is retried; a failed one runs again.
 */
export function checkpointStore() {
  const values = new Map<string, JsonValue>();
  return {
    values,
    async checkpoint<T extends JsonValue | void>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      if (values.has(opts.key)) {
        return values.get(opts.key) as T;
      }
      const value = await opts.fn();
      values.set(opts.key, (value ?? {}) as JsonValue);
      return value;
    },
  };
}

/** Runs an action as the scaffolder would and returns its outputs. */
export async function runAction<TInput extends JsonObject>(
  action: TemplateAction<any, any, any>,
  input: TInput,
  options: {
    dryRun?: boolean;
    checkpoints?: ReturnType<typeof checkpointStore>;
    taskId?: string;
    stepId?: string;
  } = {},
): Promise<Record<string, any>> {
  const outputs: Record<string, any> = {};
  const base = createMockActionContext({
    input,
    task: { id: options.taskId ?? 'task-1' },
  });
  const ctx: ActionContext<any, any> = {
    ...base,
    step: { id: options.stepId ?? 'step-1', name: 'step' },
    isDryRun: options.dryRun ?? false,
    checkpoint: (options.checkpoints ?? checkpointStore()).checkpoint as any,
    output: (name: string, value: any) => {
      outputs[name] = value;
    },
  };
  await action.handler(ctx);
  return outputs;
}

/** Expects an `InputError` whose message matches. */
export async function expectInputError(
  promise: Promise<unknown>,
  message: RegExp,
) {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect(error.message).toMatch(message);
}

/**
 * Creates a Glue database at `location` in the producer account and one
 * external table per name under it (columns `id int` unless `table` says
 * otherwise).
 */
export async function createGlueFixtures(
  env: ActionTestEnv,
  database: string,
  location: string,
  tables: string[],
  table: (name: string) => Partial<TableInput> = () => ({}),
) {
  const glue = await env.clients.getClient(GlueClient, env.producer);
  await glue.send(
    new CreateDatabaseCommand({
      DatabaseInput: { Name: database, LocationUri: location },
    }),
  );
  for (const name of tables) {
    const extra = table(name);
    await glue.send(
      new CreateTableCommand({
        DatabaseName: database,
        TableInput: {
          Name: name,
          ...extra,
          StorageDescriptor: {
            Columns: [{ Name: 'id', Type: 'int' }],
            Location: `${location}${name}/`,
            ...extra.StorageDescriptor,
          },
        },
      }),
    );
  }
}
