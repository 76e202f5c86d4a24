import { S3Client } from '@aws-sdk/client-s3';
import { Config } from '@backstage/config';
import {
  AwsCredentialProvider,
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';

/**
 * Where a client talks to: an AWS account (one of `aws.mainAccount` /
 * `aws.accounts[]`; the main account when omitted) and a region.
 *
 * @public
 */
export interface AwsClientTarget {
  accountId?: string;
  region: string;
}

/**
 * The configuration {@link AwsClientFactory} passes to every SDK client.
 *
 * @public
 */
export interface AwsSdkClientConfig {
  region: string;
  credentials: AwsCredentialProvider['sdkCredentialProvider'];
  customUserAgent: string;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
  requestHandler: {
    connectionTimeout: number;
    requestTimeout: number;
    /** Without it the node HTTP handler only logs a warning when `requestTimeout` passes. */
    throwOnRequestTimeout: true;
  };
  endpoint?: string;
  /** S3 only: buckets in the path, as local stand-ins need. */
  forcePathStyle?: boolean;
  /** Keeps host-prefixed operations (Lake Formation `query-…`) on the endpoint override. */
  disableHostPrefix?: boolean;
}

/**
 * An AWS SDK v3 client class, e.g. `DataZoneClient` or `S3Client`.
 *
 * @public
 */
export type AwsSdkClientClass<TClient> = new (
  config: AwsSdkClientConfig,
) => TClient;

/**
 * Settings of an {@link AwsClientFactory}.
 *
 * @public
 */
export interface AwsClientFactoryOptions {
  /** Where credentials come from; `fromConfig` uses integration-aws-node's `DefaultAwsCredentialsManager`. */
  credentialsManager: AwsCredentialsManager;
  /** Endpoint override for every service (a local AWS); unset for real AWS. */
  endpoint?: string;
  /** Attempts per call, including the first. Default 5 (the SDK's default is 3). */
  maxAttempts?: number;
  /** Default `standard` (full-jitter backoff; `adaptive` adds a client-side rate limiter). */
  retryMode?: 'standard' | 'adaptive';
  /** Milliseconds to establish a connection. Default 5 000. */
  connectionTimeoutMs?: number;
  /** Milliseconds a request may stay idle on its socket. Default 60 000. */
  requestTimeoutMs?: number;
  /** Sent as the SDK's custom user agent. Default `data-mesh-portal`. */
  userAgent?: string;
}

/**
 * Extra settings for {@link AwsClientFactory.fromConfig}.
 *
 * @public
 */
export interface AwsClientFactoryFromConfigOptions {
  /** Environment to read `AWS_ENDPOINT_URL` and `AWS_MAX_ATTEMPTS` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** The User-Agent component AWS sees (and CloudTrail records) for our calls. */
export const DATA_MESH_USER_AGENT = 'data-mesh-portal';

// Five attempts ride out a burst of DataZone throttling (backoff bounds 1, 2,
// 4 and 8 s for throttling errors) where the SDK default of three gives up
// after about two seconds.
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
// The node HTTP handler has no request timeout by default: a hung socket
// would stall a sync forever instead of being retried as a TimeoutError.
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

function positiveInteger(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) {
    return undefined;
  }
  const parsed = Number(value);
  return parsed > 0 ? parsed : undefined;
}

/**
 * Creates AWS SDK v3 clients with credentials from `@backstage/integration-aws-node`
 * (`aws.mainAccount`, `aws.accounts[]`, role assumption), one client per
 * service, account and region, created once and reused: clients hold the
 * HTTP connection pool and the retry token bucket, so sharing them matters.
 *
 * @public
 */
export class AwsClientFactory {
  private readonly clients = new Map<
    AwsSdkClientClass<unknown>,
    Map<string, Promise<unknown>>
  >();
  private readonly clientConfigBase: Omit<
    AwsSdkClientConfig,
    'region' | 'credentials'
  >;

  /**
   * Builds a factory from root config (`aws.*`, read by integration-aws-node)
   * and the environment: `AWS_ENDPOINT_URL` (a local AWS) and `AWS_MAX_ATTEMPTS`.
   */
  static fromConfig(
    config: Config,
    options: AwsClientFactoryFromConfigOptions = {},
  ): AwsClientFactory {
    const env = options.env ?? process.env;
    return new AwsClientFactory({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
      endpoint: env.AWS_ENDPOINT_URL?.trim() || undefined,
      maxAttempts: positiveInteger(env.AWS_MAX_ATTEMPTS),
    });
  }

  /** Builds a factory from explicit settings (tests, custom credential sources). */
  static create(options: AwsClientFactoryOptions): AwsClientFactory {
    return new AwsClientFactory(options);
  }

  private constructor(private readonly options: AwsClientFactoryOptions) {
    this.clientConfigBase = {
      customUserAgent: options.userAgent ?? DATA_MESH_USER_AGENT,
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      retryMode: options.retryMode ?? 'standard',
      requestHandler: {
        connectionTimeout:
          options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
        requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        // This SDK build's node handler only warns when requestTimeout passes
        // unless told to throw; thrown, it is a TimeoutError the SDK retries.
        throwOnRequestTimeout: true,
      },
      ...(options.endpoint
        ? { endpoint: options.endpoint, disableHostPrefix: true }
        : {}),
    };
  }

  /** The endpoint override in use, if any (a local AWS). */
  get endpoint(): string | undefined {
    return this.options.endpoint;
  }

  /**
   * Returns the client of `ClientClass` for the account and region, creating
   * it on first use.
   *
   * @example
   * ```ts
   * const datazone = await factory.getClient(DataZoneClient, { region: 'eu-west-1' });
   * ```
   */
  async getClient<TClient>(
    ClientClass: AwsSdkClientClass<TClient>,
    target: AwsClientTarget,
  ): Promise<TClient> {
    if (!target.region) {
      throw new TypeError(`A region is needed to create a ${ClientClass.name}`);
    }
    let byTarget = this.clients.get(ClientClass);
    if (!byTarget) {
      byTarget = new Map();
      this.clients.set(ClientClass, byTarget);
    }
    const key = `${target.accountId ?? ''}|${target.region}`;
    let client = byTarget.get(key) as Promise<TClient> | undefined;
    if (!client) {
      // The promise is cached, so concurrent first calls share one client.
      client = this.createClient(ClientClass, target);
      byTarget.set(key, client);
      // A failed creation (e.g. an account with no configuration) is not
      // cached: configuration may be fixed and the call retried.
      client.catch(() => byTarget!.delete(key));
    }
    return client;
  }

  /** Closes every client's connections (on backend shutdown). */
  async destroy(): Promise<void> {
    const all = [...this.clients.values()].flatMap(byTarget => [
      ...byTarget.values(),
    ]);
    this.clients.clear();
    const settled = await Promise.allSettled(all);
    for (const result of settled) {
      if (result.status === 'fulfilled') {
        (result.value as { destroy?: () => void }).destroy?.();
      }
    }
  }

  private async createClient<TClient>(
    ClientClass: AwsSdkClientClass<TClient>,
    target: AwsClientTarget,
  ): Promise<TClient> {
    const credentialProvider =
      await this.options.credentialsManager.getCredentialProvider(
        target.accountId ? { accountId: target.accountId } : undefined,
      );
    const isS3 = (ClientClass as unknown) === S3Client;
    return new ClientClass({
      ...this.clientConfigBase,
      region: target.region,
      credentials: credentialProvider.sdkCredentialProvider,
      ...(isS3 && this.options.endpoint ? { forcePathStyle: true } : {}),
    });
  }
}
