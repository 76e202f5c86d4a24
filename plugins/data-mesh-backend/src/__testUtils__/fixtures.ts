import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  HttpAuthService,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_REGION,
  ANNOTATION_DATAZONE_DOMAIN_ID,
  ANNOTATION_DATAZONE_LISTING_ID,
  ANNOTATION_DATAZONE_PROJECT_ID,
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
  ANNOTATION_LAKE_FORMATION_PRINCIPAL_ROLE_ARN,
  dataMeshAccessRequestReadPermission,
  dataMeshAccessRequestReviewPermission,
  dataMeshAccessRequestRevokePermission,
} from '@data-mesh-portal/plugin-data-mesh-common';
import {
  AwsClientFactory,
  awsClientFactoryServiceRef,
} from '@data-mesh-portal/plugin-data-mesh-node';
import { Knex } from 'knex';
import { stringify } from 'yaml';
import permissionBackend from '@backstage/plugin-permission-backend';
import { dataMeshPlugin } from '../plugin';
import {
  createDataMeshEntityConditionalDecision,
  dataMeshEntityConditions,
} from '../permissions/rules';

/** Who belongs to which group in the tests (the demo people plus an approver group). */
export const MEMBERSHIP: Record<string, string[]> = {
  'user:default/alice': ['group:default/sales-domain'],
  'user:default/bob': ['group:default/marketing-analytics'],
  'user:default/carol': ['group:default/platform-team'],
  'user:default/dan': ['group:default/supply-chain-domain', 'group:default/sales-stewards'],
  // Denied everything by the test policy.
  'user:default/eve': ['group:default/marketing-analytics'],
  // Member of a team whose IAM role does not exist.
  'user:default/frank': ['group:default/ghost-team'],
};

export function contractYaml(options: { tables: string[]; approver?: string; classification?: string }) {
  return stringify({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: '0f8e8f3c-1d2b-4c5d-9e6f-7a8b9c0d1e2f',
    version: '1.0.0',
    status: 'active',
    name: 'Order history',
    schema: options.tables.map(name => ({
      name,
      physicalType: 'table',
      properties: [
        { name: `${name}_key`, logicalType: 'integer', classification: options.classification ?? 'internal' },
      ],
    })),
    ...(options.approver
      ? { roles: [{ role: 'consumer', access: 'read', firstLevelApprovers: options.approver }] }
      : {}),
  });
}

export interface MeshFixture {
  domainId: string;
  productListingId: string;
  producerAccount: string;
  region: string;
  database: string;
  tables: string[];
  teamRoleArn: string;
  teamProjectId: string;
  publicDataset?: { table: string };
}

/** Catalog entities for a product with two datasets, teams and a non-product entity. */
export function meshEntities(f: MeshFixture): Entity[] {
  const owner = 'group:default/sales-domain';
  const datasetName = (table: string) => `order-history-${table}`;
  const dataset = (table: string, approver: string | undefined, classification?: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: datasetName(table),
      namespace: 'default',
      title: `Order history: ${table}`,
      annotations: {
        [ANNOTATION_GLUE_DATABASE]: f.database,
        [ANNOTATION_GLUE_TABLE]: table,
        [ANNOTATION_AWS_ACCOUNT_ID]: f.producerAccount,
        [ANNOTATION_AWS_REGION]: f.region,
        [ANNOTATION_DATAZONE_DOMAIN_ID]: f.domainId,
        [ANNOTATION_DATAZONE_LISTING_ID]: `listing-${table}`,
      },
    },
    spec: {
      type: 'dataset',
      lifecycle: 'production',
      owner,
      system: 'order-history',
      definition: contractYaml({ tables: [table], approver, classification }),
    },
    relations: [
      { type: 'ownedBy', targetRef: owner },
      { type: 'partOf', targetRef: 'system:default/order-history' },
    ],
  });
  const group = (name: string, annotations: Record<string, string> = {}): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'team', children: [] },
  });
  const entities: Entity[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: 'order-history',
        namespace: 'default',
        title: 'Order history',
        annotations: {
          [ANNOTATION_DATAZONE_DOMAIN_ID]: f.domainId,
          [ANNOTATION_DATAZONE_LISTING_ID]: f.productListingId,
          [ANNOTATION_AWS_REGION]: f.region,
        },
      },
      spec: { type: 'data-product', owner },
      relations: [
        { type: 'ownedBy', targetRef: owner },
        ...f.tables.map(t => ({ type: 'hasPart', targetRef: `api:default/${datasetName(t)}` })),
      ],
    },
    ...f.tables.map(t => dataset(t, 'group:default/sales-stewards')),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'portal', namespace: 'default' },
      spec: { type: 'website', owner, lifecycle: 'production' },
      relations: [{ type: 'ownedBy', targetRef: owner }],
    },
    group('sales-domain'),
    group('ghost-team', {
      [ANNOTATION_LAKE_FORMATION_PRINCIPAL_ROLE_ARN]: 'arn:aws:iam::123456789012:role/does-not-exist',
    }),
    group('sales-stewards'),
    group('platform-team'),
    group('supply-chain-domain'),
    group('marketing-analytics', {
      [ANNOTATION_LAKE_FORMATION_PRINCIPAL_ROLE_ARN]: f.teamRoleArn,
      [ANNOTATION_DATAZONE_PROJECT_ID]: f.teamProjectId,
    }),
  ];
  if (f.publicDataset) {
    const e = dataset(f.publicDataset.table, undefined, 'public');
    e.metadata.name = 'public-dataset';
    entities.push(e);
  }
  return entities;
}

/**
 * The policy the demo backend uses for data-mesh permissions: reviewing,
 * revoking and reading go to members of the owning group and of the
 * contract's approver group (a conditional decision the data-mesh plugin
 * evaluates); eve is denied everything.
 */
export class TestPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (!user || user.info.userEntityRef === 'user:default/eve') {
      return { result: AuthorizeResult.DENY };
    }
    const { permission } = request;
    if (
      isPermission(permission, dataMeshAccessRequestReviewPermission) ||
      isPermission(permission, dataMeshAccessRequestRevokePermission) ||
      isPermission(permission, dataMeshAccessRequestReadPermission)
    ) {
      const claims = user.info.ownershipEntityRefs;
      return createDataMeshEntityConditionalDecision(permission, {
        anyOf: [
          dataMeshEntityConditions.isDataOwner({ claims }),
          dataMeshEntityConditions.isContractApprover({ claims }),
        ],
      });
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const SERVICE_TOKEN_PREFIX = (() => {
  const token = mockCredentials.service.token({
    onBehalfOf: mockCredentials.user(),
    targetPluginId: 'x',
  });
  return token.slice(0, token.indexOf('{'));
})();

/**
 * The mock httpAuth, with requests without a token being anonymous, and with
 * plugin-to-plugin calls on behalf of a user carrying the calling plugin as
 * actor, as the real auth service does (the mock drops the actor, and the
 * permission registry's apply-conditions endpoint refuses users without one).
 */
export const httpAuthFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.httpAuth({
      pluginId: plugin.getId(),
      defaultCredentials: mockCredentials.none(),
    });
    const wrapped: HttpAuthService = {
      credentials: (async (req: any, options: any) => {
        const token = String(req.headers.authorization ?? '').match(/^Bearer[ ]+(\S+)$/i)?.[1];
        if (token?.startsWith(SERVICE_TOKEN_PREFIX)) {
          const { obo, target } = JSON.parse(token.slice(SERVICE_TOKEN_PREFIX.length));
          if (obo && target === plugin.getId() && (!options?.allow || options.allow.includes('user'))) {
            return mockCredentials.user(obo, { actor: { subject: 'plugin:permission' } });
          }
        }
        return inner.credentials(req, options);
      }) as HttpAuthService['credentials'],
      issueUserCookie: (res, options) => inner.issueUserCookie(res, options),
    };
    return wrapped;
  },
});

/** A scheduler whose tasks run only when a test triggers them. */
export function manualScheduler() {
  const tasks = new Map<string, SchedulerServiceTaskInvocationDefinition>();
  const scheduler: Partial<SchedulerService> = {
    scheduleTask: async task => {
      tasks.set(task.id, task);
    },
    triggerTask: async id => {
      await tasks.get(id)!.fn(new AbortController().signal as any);
    },
    getScheduledTasks: async () => [...tasks.keys()].map(id => ({ id, scope: 'global' as const, settings: { version: 1 } })),
  };
  return {
    trigger: (id: string) => scheduler.triggerTask!(id),
    factory: createServiceFactory({
      service: coreServices.scheduler,
      deps: {},
      factory: () => scheduler as SchedulerService,
    }),
  };
}

export interface StartOptions {
  entities: Entity[];
  endpoint: string;
  producerAccount: string;
  producerRoleName: string;
  accessKeyId: string;
  secretAccessKey: string;
  config?: Record<string, unknown>;
  /** Replaces the AWS client factory (e.g. one pointing at a local DataZone stub). */
  awsClients?: AwsClientFactory;
  notifications?: { send: jest.Mock };
  /** The plugin's database (so tests can look at the tables). */
  knex?: Knex;
}

export async function startDataMeshBackend(options: StartOptions) {
  const scheduler = manualScheduler();
  const notifications = options.notifications ?? { send: jest.fn(async () => {}) };
  const awsClients =
    options.awsClients ??
    AwsClientFactory.create({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(
        new ConfigReader({
          aws: {
            mainAccount: {
              accessKeyId: options.accessKeyId,
              secretAccessKey: options.secretAccessKey,
            },
            accounts: [
              { accountId: options.producerAccount, roleName: options.producerRoleName },
            ],
          },
        }),
      ),
      endpoint: options.endpoint,
      maxAttempts: 2,
    });
  const backend = await startTestBackend({
    features: [
      dataMeshPlugin,
      permissionBackend,
      createBackendModule({
        pluginId: 'permission',
        moduleId: 'test-policy',
        register(reg) {
          reg.registerInit({
            deps: { policy: policyExtensionPoint },
            async init({ policy }) {
              policy.setPolicy(new TestPolicy());
            },
          });
        },
      }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          dataMesh: { accessRequests: { maxDurationDays: 180, defaultDurationDays: 30, ...options.config } },
        },
      }),
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const userEntityRef = (credentials.principal as { userEntityRef: string }).userEntityRef;
          return {
            userEntityRef,
            ownershipEntityRefs: [userEntityRef, ...(MEMBERSHIP[userEntityRef] ?? [])],
          };
        },
      }).factory,
      catalogServiceMock.factory({ entities: options.entities }),
      httpAuthFactory,
      ...(options.knex ? [mockServices.database.factory({ knex: options.knex })] : []),
      scheduler.factory,
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => notifications,
      }),
      createServiceFactory({
        service: awsClientFactoryServiceRef,
        deps: {},
        factory: () => awsClients,
      }),
    ],
  });
  return { backend, server: backend.server, scheduler, notifications, awsClients };
}
