import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

/** One DataZone domain to sync into the catalog. */
interface DataZoneDomainProviderConfig {
  /** The DataZone domain id, e.g. `dzd_4p9n6sw4qt9xgn`. */
  domainId: string;
  /** The AWS region of the domain, e.g. `eu-west-1`. */
  region: string;
  /**
   * The AWS account that holds the domain: one of `aws.accounts[].accountId`
   * (credentials from `@backstage/integration-aws-node`). The main account
   * when left out.
   */
  accountId?: string;
  /**
   * When to run the full sync. Default: every 30 minutes, timeout 15 minutes,
   * first run 15 seconds after start.
   */
  schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
  /** Sync only part of the domain. Values are ids or names, case-insensitive. */
  filters?: {
    /** Domain units (with their sub-units) whose projects are synced. */
    domainUnits?: string[];
    /** Projects whose data products and assets are synced. */
    projects?: string[];
    /** A listing needs at least one of these glossary terms. */
    glossaryTerms?: string[];
  };
  /** Owners of the generated entities. */
  ownerMapping?: {
    /**
     * Projects mapped onto existing groups: the group (an entity ref) then
     * owns the project's data products instead of a generated `data-team`
     * group. `project` is the project id or name.
     */
    projects?: Array<{ project: string; owner: string }>;
    /** Owners of the `Domain`s of domain units (`domainUnit`: id or name). */
    domainUnits?: Array<{ domainUnit: string; owner: string }>;
    /** Owner of `Domain`s with no mapping. Default `group:default/data-platform`. */
    default?: string;
  };
  /** Also sync unpublished inventory as `lifecycle: experimental`. Default false. */
  includeInventory?: boolean;
  /** Read approved subscriptions to relate consumers to datasets. Default true. */
  subscriptions?: boolean;
  /** Match project members to catalog users by email. Default true. */
  matchMembersByEmail?: boolean;
  /** Custom asset types to sync besides the built-in Glue, Redshift and S3 types. */
  additionalAssetTypes?: string[];
  /** Name of the data product form holding the ODCS contract. Default `DataMeshPortalDataContract`. */
  dataContractFormName?: string;
  /** Concurrent DataZone calls of one sync (1–20). Default 4. */
  concurrency?: number;
  /** Refuses syncs that would remove many entities at once. */
  removalGuard?: {
    /** Largest share of the domain's entities one sync may remove, in percent. Default 10. */
    maxRemovalPercent?: number;
    /** Whether a sync may remove every entity of the domain. Default false. */
    allowRemovalToZero?: boolean;
    /**
     * An ISO 8601 date-time: until then the guard lets any removal through
     * (a one-time acknowledgement of an intended cleanup that expires by itself).
     */
    acceptRemovalsUntil?: string;
  };
}

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Amazon DataZone entity provider: one domain block, or a map of named
       * domain blocks.
       */
      datazone?:
        | DataZoneDomainProviderConfig
        | { [providerId: string]: DataZoneDomainProviderConfig };
    };
  };
}
