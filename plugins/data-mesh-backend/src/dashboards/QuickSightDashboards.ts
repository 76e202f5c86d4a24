import {
  DescribeDashboardCommand,
  DescribeDashboardPermissionsCommand,
  DescribeDataSetCommand,
  DescribeUserCommand,
  GenerateEmbedUrlForRegisteredUserCommand,
  ListDashboardsCommand,
  ListUsersCommand,
  QuickSightClient,
  User,
} from '@aws-sdk/client-quicksight';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { DataMeshDashboard } from '@data-mesh-portal/plugin-data-mesh-common';
import {
  AwsClientFactory,
  mapAwsError,
} from '@data-mesh-portal/plugin-data-mesh-node';
import { Semaphore, TtlCache } from '../slo/cache';
import {
  dashboardsReading,
  dataSetIdOfArn,
  EntityTable,
  glueTablesOfDataSet,
  IndexedDashboard,
  userNameOfArn,
} from './tables';

/** Settings of {@link QuickSightDashboards} (from `dataMesh.quickSight`). */
export interface QuickSightSettings {
  /** The AWS account QuickSight runs in (every QuickSight call names it). */
  awsAccountId: string;
  region: string;
  /** Which `aws.accounts` entry's credentials to use; the main account when unset. */
  credentialsAccountId?: string;
  /** QuickSight namespace of the users. Default `default`. */
  namespace: string;
  /** How long the dashboard → tables index is reused. */
  listCacheMs: number;
  /** Length of an embedded session once opened (15–600). */
  sessionLifetimeMinutes: number;
  /** Domains allowed to embed (the app's origin); unset: the account's QuickSight settings decide. */
  allowedDomains?: string[];
  /** QuickSight calls in flight at once while indexing. */
  concurrency: number;
}

/** Reads `dataMesh.quickSight`; undefined when no account is configured. */
export function readQuickSightSettings(
  config: Config,
): QuickSightSettings | undefined {
  const qs = config.getOptionalConfig('dataMesh.quickSight');
  const awsAccountId = qs?.getOptionalString('awsAccountId');
  if (!qs || !awsAccountId) return undefined;
  const lifetime = qs.getOptionalNumber('sessionLifetimeMinutes') ?? 60;
  return {
    awsAccountId,
    region:
      qs.getOptionalString('region') ?? process.env.AWS_REGION ?? 'us-east-1',
    credentialsAccountId: qs.getOptionalString('credentialsAccountId'),
    namespace: qs.getOptionalString('namespace') ?? 'default',
    listCacheMs: (qs.getOptionalNumber('listCacheSeconds') ?? 300) * 1000,
    sessionLifetimeMinutes: Math.min(600, Math.max(15, lifetime)),
    allowedDomains: qs.getOptionalStringArray('allowedDomains'),
    concurrency: qs.getOptionalNumber('concurrency') ?? 4,
  };
}

/** Dashboards and embed URLs, as the routes and the lineage graph use them. */
export interface DashboardSource {
  /** Every dashboard with the Glue tables its data sets read (cached briefly). */
  index(): Promise<IndexedDashboard[]>;
  /** The dashboards reading any of `tables`, with their owners. */
  dashboardsFor(tables: EntityTable[]): Promise<DataMeshDashboard[]>;
  /** The QuickSight user ARN of a person, matched by email; undefined when they have none. */
  findUserArn(email: string): Promise<string | undefined>;
  /** A fresh single-use embed URL of a dashboard for a user. Never cached. */
  generateEmbedUrl(userArn: string, dashboardId: string): Promise<string>;
  readonly sessionLifetimeMinutes: number;
}

const iso = (date: Date | undefined) => (date ? date.toISOString() : undefined);

const OWNER_ACTION = 'quicksight:UpdateDashboardPermissions';

function unavailable(error: unknown, operation: string): Error {
  const mapped = mapAwsError(error, { operation: `QuickSight ${operation}` });
  return mapped instanceof NotFoundError
    ? mapped
    : new ServiceUnavailableError(
        `QuickSight could not be read: ${mapped.message}`,
      );
}

/**
 * QuickSight through the shared client factory. The index of dashboards and
 * the Glue tables they read (ListDashboards, DescribeDashboard for its
 * DataSetArns, DescribeDataSet for its PhysicalTableMap) is kept for
 * `listCacheMs`; embed URLs are made per request and never kept or logged.
 */
export class QuickSightDashboards implements DashboardSource {
  private readonly cache: TtlCache<unknown>;
  private readonly semaphore: Semaphore;

  constructor(
    private readonly options: {
      settings: QuickSightSettings;
      clientFactory: AwsClientFactory;
      logger: LoggerService;
    },
  ) {
    this.cache = new TtlCache(options.settings.listCacheMs);
    this.semaphore = new Semaphore(options.settings.concurrency);
  }

  get sessionLifetimeMinutes(): number {
    return this.options.settings.sessionLifetimeMinutes;
  }

  private client(): Promise<QuickSightClient> {
    const { settings, clientFactory } = this.options;
    return clientFactory.getClient(QuickSightClient, {
      accountId: settings.credentialsAccountId,
      region: settings.region,
    });
  }

  private async call<T>(
    operation: string,
    run: (client: QuickSightClient) => Promise<T>,
  ): Promise<T> {
    const client = await this.client();
    try {
      return await this.semaphore.run(() => run(client));
    } catch (error) {
      throw unavailable(error, operation);
    }
  }

  index(): Promise<IndexedDashboard[]> {
    return this.cache.get('index', () => this.readIndex()) as Promise<
      IndexedDashboard[]
    >;
  }

  private async readIndex(): Promise<IndexedDashboard[]> {
    const AwsAccountId = this.options.settings.awsAccountId;
    const summaries = [];
    let NextToken: string | undefined;
    do {
      const token = NextToken;
      const page = await this.call('ListDashboards', c =>
        c.send(
          new ListDashboardsCommand({
            AwsAccountId,
            MaxResults: 100,
            NextToken: token,
          }),
        ),
      );
      summaries.push(...(page.DashboardSummaryList ?? []));
      NextToken = page.NextToken;
    } while (NextToken);

    const dataSets = new Map<
      string,
      Promise<IndexedDashboard['dataSets'][number] | undefined>
    >();
    const dataSet = (id: string) => {
      let pending = dataSets.get(id);
      if (!pending) {
        pending = this.call('DescribeDataSet', c =>
          c.send(new DescribeDataSetCommand({ AwsAccountId, DataSetId: id })),
        ).then(
          out => ({
            dataSetId: id,
            name: out.DataSet?.Name,
            tables: glueTablesOfDataSet(out.DataSet?.PhysicalTableMap),
          }),
          error => {
            // Some data sets cannot be described through the API (file
            // uploads); they read no Glue table of ours.
            if (error instanceof ServiceUnavailableError) throw error;
            this.options.logger.debug(
              `QuickSight data set ${id} skipped: ${error}`,
            );
            return undefined;
          },
        );
        dataSets.set(id, pending);
      }
      return pending;
    };

    const dashboards = await Promise.all(
      summaries.map(async summary => {
        const DashboardId = summary.DashboardId!;
        let arns: string[];
        try {
          const out = await this.call('DescribeDashboard', c =>
            c.send(new DescribeDashboardCommand({ AwsAccountId, DashboardId })),
          );
          arns = out.Dashboard?.Version?.DataSetArns ?? [];
        } catch (error) {
          if (error instanceof NotFoundError) return undefined; // deleted meanwhile
          throw error;
        }
        const ids = arns.flatMap(arn => dataSetIdOfArn(arn) ?? []);
        const described = (await Promise.all(ids.map(dataSet))).filter(
          (d): d is NonNullable<typeof d> => !!d,
        );
        const indexed: IndexedDashboard = {
          dashboardId: DashboardId,
          name: summary.Name ?? DashboardId,
          arn: summary.Arn ?? '',
          lastUpdatedAt: iso(summary.LastUpdatedTime),
          lastPublishedAt: iso(summary.LastPublishedTime),
          dataSets: described,
        };
        return indexed;
      }),
    );
    const result = dashboards.filter((d): d is IndexedDashboard => !!d);
    this.options.logger.info(
      `QuickSight index: ${result.length} dashboards, ${dataSets.size} data sets`,
    );
    return result;
  }

  async dashboardsFor(tables: EntityTable[]): Promise<DataMeshDashboard[]> {
    const matched = dashboardsReading(await this.index(), tables);
    return Promise.all(
      matched.map(async dashboard => ({
        ...dashboard,
        owners: await this.owners(dashboard.dashboardId),
      })),
    );
  }

  private owners(dashboardId: string): Promise<string[]> {
    const AwsAccountId = this.options.settings.awsAccountId;
    return this.cache.get(`owners:${dashboardId}`, async () => {
      try {
        const out = await this.call('DescribeDashboardPermissions', c =>
          c.send(
            new DescribeDashboardPermissionsCommand({
              AwsAccountId,
              DashboardId: dashboardId,
            }),
          ),
        );
        return (out.Permissions ?? [])
          .filter(p => p.Actions?.includes(OWNER_ACTION))
          .map(p => userNameOfArn(p.Principal ?? '') ?? p.Principal ?? '')
          .filter(Boolean)
          .sort();
      } catch (error) {
        // Owners are a nicety: the list still shows without them.
        this.options.logger.debug(
          `QuickSight owners of ${dashboardId} unknown: ${error}`,
        );
        return [];
      }
    }) as Promise<string[]>;
  }

  async findUserArn(email: string): Promise<string | undefined> {
    const wanted = email.trim().toLowerCase();
    const matches = (user: User | undefined) =>
      !!user?.Arn && user.Email?.toLowerCase() === wanted;
    const { awsAccountId: AwsAccountId, namespace: Namespace } =
      this.options.settings;
    // Identity Center and many federated set-ups name users by email: one call.
    try {
      const out = await this.call('DescribeUser', c =>
        c.send(
          new DescribeUserCommand({ AwsAccountId, Namespace, UserName: email }),
        ),
      );
      if (matches(out.User) && out.User!.Active !== false) return out.User!.Arn;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    // An active user wins over one who has not accepted their invitation yet;
    // with only the latter, QuickSight decides whether they may embed.
    let inactive: string | undefined;
    let NextToken: string | undefined;
    do {
      const token = NextToken;
      const page = await this.call('ListUsers', c =>
        c.send(
          new ListUsersCommand({
            AwsAccountId,
            Namespace,
            MaxResults: 100,
            NextToken: token,
          }),
        ),
      );
      for (const user of page.UserList ?? []) {
        if (!matches(user)) continue;
        if (user.Active !== false) return user.Arn;
        inactive ??= user.Arn;
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return inactive;
  }

  async generateEmbedUrl(
    userArn: string,
    dashboardId: string,
  ): Promise<string> {
    const { awsAccountId, sessionLifetimeMinutes, allowedDomains } =
      this.options.settings;
    const out = await this.call('GenerateEmbedUrlForRegisteredUser', c =>
      c.send(
        new GenerateEmbedUrlForRegisteredUserCommand({
          AwsAccountId: awsAccountId,
          UserArn: userArn,
          SessionLifetimeInMinutes: sessionLifetimeMinutes,
          ExperienceConfiguration: {
            Dashboard: { InitialDashboardId: dashboardId },
          },
          ...(allowedDomains?.length ? { AllowedDomains: allowedDomains } : {}),
        }),
      ),
    );
    if (!out.EmbedUrl) {
      throw new ServiceUnavailableError('QuickSight returned no embed URL');
    }
    return out.EmbedUrl;
  }
}

/**
 * The QuickSight dashboards of `dataMesh.quickSight`, or undefined when no
 * QuickSight account is configured (the card then says so).
 */
export function createQuickSightDashboards(options: {
  config: Config;
  awsClients: AwsClientFactory;
  logger: LoggerService;
}): DashboardSource | undefined {
  const settings = readQuickSightSettings(options.config);
  return settings
    ? new QuickSightDashboards({
        settings,
        clientFactory: options.awsClients,
        logger: options.logger.child({ target: 'quicksight' }),
      })
    : undefined;
}
