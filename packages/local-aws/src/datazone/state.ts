/**
 * The stand-in's whole state: plain, JSON-serialisable records (times are epoch
 * milliseconds). Handlers turn records into SDK output shapes; persistence writes this
 * object as one JSON file. Every record carries `seq`, a domain-wide creation sequence
 * that paging tokens use as a stable sort key.
 */

export interface Form {
  formName: string;
  typeName: string;
  typeRevision: string;
  /** JSON text, as DataZone stores and returns it. */
  content: string;
}

export interface DomainRecord {
  seq: number;
  id: string;
  name: string;
  description?: string;
  arn: string;
  managedAccountId: string;
  status: 'AVAILABLE';
  portalUrl: string;
  domainExecutionRole: string;
  serviceRole?: string;
  kmsKeyIdentifier?: string;
  domainVersion: 'V1' | 'V2';
  singleSignOn?: {
    type?: string;
    userAssignment?: string;
    idcInstanceArn?: string;
  };
  tags?: Record<string, string>;
  rootDomainUnitId: string;
  createdAt: number;
  lastUpdatedAt: number;
}

export type OwnerRef =
  | { user: { userId: string } }
  | { group: { groupId: string } };

export interface DomainUnitRecord {
  seq: number;
  id: string;
  domainId: string;
  name: string;
  description?: string;
  parentDomainUnitId?: string;
  owners: OwnerRef[];
  createdAt: number;
  lastUpdatedAt: number;
  createdBy: string;
  lastUpdatedBy: string;
}

export type Designation =
  | 'PROJECT_OWNER'
  | 'PROJECT_CONTRIBUTOR'
  | 'PROJECT_CATALOG_VIEWER'
  | 'PROJECT_CATALOG_CONSUMER'
  | 'PROJECT_CATALOG_STEWARD';

export interface MembershipRecord {
  seq: number;
  member: { userId: string } | { groupId: string };
  designation: Designation;
}

export interface ProjectRecord {
  seq: number;
  id: string;
  domainId: string;
  name: string;
  description?: string;
  domainUnitId: string;
  projectStatus: 'ACTIVE';
  glossaryTerms?: string[];
  resourceTags?: Record<string, string>;
  createdBy: string;
  createdAt: number;
  lastUpdatedAt: number;
  memberships: MembershipRecord[];
}

export interface UserProfileRecord {
  seq: number;
  id: string;
  domainId: string;
  type: 'IAM' | 'SSO';
  /** The identifier it was created with, lower-cased: an IAM ARN or an SSO user name. */
  key: string;
  status: 'ASSIGNED' | 'ACTIVATED';
  iam?: { arn: string; principalId: string; sessionName?: string };
  sso?: { username: string; firstName?: string; lastName?: string };
}

export interface EnvironmentRecord {
  seq: number;
  id: string;
  domainId: string;
  projectId: string;
  name: string;
  description?: string;
  provider: string;
  awsAccountId: string;
  awsAccountRegion: string;
  environmentProfileId?: string;
  environmentBlueprintId: string;
  status: 'ACTIVE';
  glossaryTerms?: string[];
  provisionedResources: {
    type: string;
    value: string;
    name?: string;
    provider?: string;
  }[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface FormTypeRevision {
  seq: number;
  domainId: string;
  name: string;
  revision: string;
  smithy: string;
  status: 'ENABLED' | 'DISABLED';
  description?: string;
  owningProjectId: string;
  /** Types every domain starts with (`amazon.datazone.*`): SearchTypes `managed: true`. */
  managed: boolean;
  createdAt: number;
  createdBy: string;
}

export interface AssetTypeRevision {
  seq: number;
  domainId: string;
  name: string;
  revision: string;
  description?: string;
  owningProjectId: string;
  managed: boolean;
  forms: Record<
    string,
    { typeName: string; typeRevision: string; required: boolean }
  >;
  createdAt: number;
  createdBy: string;
}

export interface ListingRef {
  listingId: string;
  listingStatus: 'ACTIVE' | 'CREATING' | 'INACTIVE';
}

export interface AssetRevision {
  revision: string;
  name: string;
  description?: string;
  typeIdentifier: string;
  typeRevision: string;
  glossaryTerms?: string[];
  forms: Form[];
  createdAt: number;
  createdBy: string;
}

export interface AssetRecord {
  seq: number;
  id: string;
  domainId: string;
  owningProjectId: string;
  externalIdentifier?: string;
  firstRevisionCreatedAt: number;
  firstRevisionCreatedBy: string;
  revisions: AssetRevision[];
  listing?: ListingRef;
  /** Bumped on every change, for `updatedAt` sorting in Search. */
  updatedAt: number;
}

export interface DataProductRevision {
  revision: string;
  name: string;
  description?: string;
  glossaryTerms?: string[];
  items: {
    itemType: 'ASSET';
    identifier: string;
    revision?: string;
    glossaryTerms?: string[];
  }[];
  forms: Form[];
  createdAt: number;
  createdBy: string;
}

export interface DataProductRecord {
  seq: number;
  id: string;
  domainId: string;
  owningProjectId: string;
  status: 'CREATED';
  firstRevisionCreatedAt: number;
  firstRevisionCreatedBy: string;
  revisions: DataProductRevision[];
  listing?: ListingRef;
  updatedAt: number;
}

export interface ListingRevision {
  listingRevision: string;
  entityRevision: string;
  status: 'ACTIVE' | 'INACTIVE';
  name: string;
  description?: string;
  owningProjectId: string;
  glossaryTerms?: string[];
  /** Asset listings: the asset type; data product listings: member listings. */
  assetType?: string;
  items?: { listingId: string; listingRevision: string }[];
  /** The forms at publish time: a JSON object keyed by form name, as a string. */
  forms: string;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
}

export interface ListingRecord {
  seq: number;
  id: string;
  domainId: string;
  entityId: string;
  entityType: 'ASSET' | 'DATA_PRODUCT';
  createdAt: number;
  createdBy: string;
  revisions: ListingRevision[];
  /** Bumped on publish/unpublish, for sorting and paging. */
  updatedAt: number;
}

/** Who a subscription is for: exactly one project, user, group or IAM principal. */
export type PrincipalRef =
  | { type: 'project'; id: string }
  | { type: 'user'; id: string }
  | { type: 'group'; id: string }
  | { type: 'iam'; id: string };

export interface SubscriptionRequestRecord {
  seq: number;
  id: string;
  domainId: string;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  principal: PrincipalRef;
  listingId: string;
  /** The listing revision current when the request was made. */
  listingRevision: string;
  requestReason: string;
  metadataForms?: Form[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  updatedBy?: string;
  reviewerId?: string;
  decisionComment?: string;
  existingSubscriptionId?: string;
}

export interface SubscriptionRecord {
  seq: number;
  id: string;
  domainId: string;
  status: 'APPROVED' | 'REVOKED' | 'CANCELLED';
  principal: PrincipalRef;
  listingId: string;
  listingRevision: string;
  subscriptionRequestId: string;
  retainPermissions?: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  updatedBy?: string;
}

/** What the stand-in granted in Lake Formation for one asset, so a revoke undoes exactly that. */
export interface LakeFormationGrantRef {
  catalogId: string;
  region: string;
  databaseName: string;
  tableName: string;
  principal: string;
  /** What the subscription needs on the table. */
  permissions: string[];
  /**
   * What its grant added in Lake Formation: the needed permissions the principal did not
   * already hold (state written before this was recorded: all of `permissions`).
   */
  addedPermissions?: string[];
  /** The resource link placed in the subscriber's database, when one was made. */
  resourceLink?: { catalogId: string; databaseName: string; name: string };
}

export interface SubscribedAssetRecord {
  assetId: string;
  assetRevision: string;
  status:
    | 'GRANT_PENDING'
    | 'GRANT_IN_PROGRESS'
    | 'GRANTED'
    | 'GRANT_FAILED'
    | 'REVOKE_PENDING'
    | 'REVOKE_IN_PROGRESS'
    | 'REVOKED'
    | 'REVOKE_FAILED';
  targetName?: string;
  failureCause?: string;
  grantedTimestamp?: number;
  failureTimestamp?: number;
  lakeFormation?: LakeFormationGrantRef;
}

export interface SubscriptionGrantRecord {
  seq: number;
  id: string;
  domainId: string;
  subscriptionId: string;
  /** The subscriber project, for the owningProjectId filter. */
  principal: PrincipalRef;
  environmentId?: string;
  subscriptionTargetId: string;
  listingId: string;
  listingRevision: string;
  status:
    | 'PENDING'
    | 'IN_PROGRESS'
    | 'COMPLETED'
    | 'GRANT_FAILED'
    | 'REVOKE_FAILED'
    | 'GRANT_AND_REVOKE_FAILED'
    | 'INACCESSIBLE';
  assets: SubscribedAssetRecord[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  updatedBy?: string;
}

export interface DataSourceRecord {
  seq: number;
  id: string;
  domainId: string;
  projectId: string;
  environmentId?: string;
  name: string;
  description?: string;
  type: string;
  status: 'READY' | 'RUNNING' | 'FAILED_CREATION' | 'DELETING';
  enableSetting: 'ENABLED' | 'DISABLED';
  publishOnImport: boolean;
  /** GlueRunConfigurationOutput as given, plus the account and region it reads. */
  glue: {
    relationalFilterConfigurations: {
      databaseName: string;
      schemaName?: string;
      filterExpressions?: { type: 'INCLUDE' | 'EXCLUDE'; expression: string }[];
    }[];
    accountId: string;
    region: string;
    dataAccessRole?: string;
    autoImportDataQualityResult?: boolean;
    catalogName?: string;
  };
  schedule?: { schedule?: string; timezone?: string };
  assetForms: Form[];
  recommendation?: { enableBusinessNameGeneration?: boolean };
  lastRunStatus?: DataSourceRunRecord['status'];
  lastRunAt?: number;
  lastRunAssetCount?: number;
  lastRunError?: { errorType: string; errorDetail?: string };
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface DataSourceRunRecord {
  seq: number;
  id: string;
  domainId: string;
  dataSourceId: string;
  projectId: string;
  status:
    | 'REQUESTED'
    | 'RUNNING'
    | 'FAILED'
    | 'PARTIALLY_SUCCEEDED'
    | 'SUCCESS';
  type: 'PRIORITIZED' | 'SCHEDULED';
  configurationSnapshot: string;
  stats?: {
    added: number;
    updated: number;
    unchanged: number;
    skipped: number;
    failed: number;
  };
  error?: { errorType: string; errorDetail?: string };
  createdAt: number;
  updatedAt: number;
  startedAt?: number;
  stoppedAt?: number;
}

export interface TimeSeriesPointRecord {
  seq: number;
  id: string;
  domainId: string;
  entityType: 'ASSET' | 'LISTING';
  entityId: string;
  formName: string;
  typeIdentifier: string;
  typeRevision: string;
  timestamp: number;
  content: string;
  createdAt: number;
}

/** One version of a lineage node: what one event said about it. */
export interface LineageNodeVersion {
  eventId: string;
  eventTimestamp: number;
  upstream: string[];
  downstream: string[];
  forms: Form[];
  updatedAt: number;
  updatedBy: string;
}

export interface LineageNodeRecord {
  seq: number;
  id: string;
  domainId: string;
  typeName: string;
  typeRevision: string;
  name: string;
  description?: string;
  sourceIdentifier: string;
  createdAt: number;
  createdBy: string;
  /** Oldest event first. */
  versions: LineageNodeVersion[];
}

export interface LineageEventRecord {
  seq: number;
  id: string;
  domainId: string;
  eventTime: number;
  processingStatus: 'REQUESTED' | 'PROCESSING' | 'SUCCESS' | 'FAILED';
  createdBy: string;
  createdAt: number;
  /** The node ids the event touched. */
  nodeIds: string[];
}

/** A replayable answer to a request that carried a clientToken. */
export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  body: string;
}

export interface DataZoneState {
  format: 'data-mesh-portal/local-datazone@1';
  seq: number;
  domains: Record<string, DomainRecord>;
  domainUnits: Record<string, DomainUnitRecord>;
  projects: Record<string, ProjectRecord>;
  userProfiles: Record<string, UserProfileRecord>;
  environments: Record<string, EnvironmentRecord>;
  /** Keyed by `${domainId}/${name}`; revisions oldest first. */
  formTypes: Record<string, FormTypeRevision[]>;
  assetTypes: Record<string, AssetTypeRevision[]>;
  assets: Record<string, AssetRecord>;
  dataProducts: Record<string, DataProductRecord>;
  listings: Record<string, ListingRecord>;
  subscriptionRequests: Record<string, SubscriptionRequestRecord>;
  subscriptions: Record<string, SubscriptionRecord>;
  subscriptionGrants: Record<string, SubscriptionGrantRecord>;
  dataSources: Record<string, DataSourceRecord>;
  dataSourceRuns: Record<string, DataSourceRunRecord>;
  timeSeries: Record<string, TimeSeriesPointRecord>;
  lineageNodes: Record<string, LineageNodeRecord>;
  lineageEvents: Record<string, LineageEventRecord>;
  idempotency: Record<string, IdempotencyRecord>;
}

export function emptyState(): DataZoneState {
  return {
    format: 'data-mesh-portal/local-datazone@1',
    seq: 0,
    domains: {},
    domainUnits: {},
    projects: {},
    userProfiles: {},
    environments: {},
    formTypes: {},
    assetTypes: {},
    assets: {},
    dataProducts: {},
    listings: {},
    subscriptionRequests: {},
    subscriptions: {},
    subscriptionGrants: {},
    dataSources: {},
    dataSourceRuns: {},
    timeSeries: {},
    lineageNodes: {},
    lineageEvents: {},
    idempotency: {},
  };
}
