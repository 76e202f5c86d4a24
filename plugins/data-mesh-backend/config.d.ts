import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  dataMesh?: {
    /** Access requests to data products and datasets. */
    accessRequests?: {
      /**
       * How access is granted:
       * - `lakeformation` (default): SELECT and DESCRIBE on the Glue tables, granted
       *   directly to the IAM role annotated on the consuming team's Group
       *   (`data-mesh-portal.io/lakeformation-principal-role-arn`).
       * - `datazone`: a DataZone subscription request for the team's project
       *   (`data-mesh-portal.io/datazone-project-id`), accepted by the backend;
       *   DataZone grants in Lake Formation.
       */
      mode?: 'lakeformation' | 'datazone';
      /**
       * Days of access when a request names none. Default 90.
       * @visibility frontend
       */
      defaultDurationDays?: number;
      /**
       * Longest access anyone can request or be granted, in days. Default 365.
       * @visibility frontend
       */
      maxDurationDays?: number;
      /** Days before expiry when the requester is warned. Default 7; 0 turns warnings off. */
      expiryWarningDays?: number;
      /**
       * Requests matching any rule are approved at once, without a reviewer.
       * Every condition in a rule must hold; an empty rule matches nothing.
       */
      autoApprove?: Array<{
        /**
         * Every classification in the data contract's schema must be one of
         * these (e.g. `[public]`), and the contract must classify its data.
         */
        classifications?: string[];
        /** Only these data products or datasets (entity refs). */
        entityRefs?: string[];
        /** Only requests for these teams (group refs). */
        teamRefs?: string[];
        /** Only this access level. */
        accessLevel?: 'read' | 'describe';
      }>;
      notifications?: {
        /** Send Backstage notifications (reviewers on new requests, requesters on decisions and before expiry). Default true. */
        enabled?: boolean;
      };
      /** DataZone settings (mode `datazone`, and the import of requests made in the DataZone portal). */
      dataZone?: {
        /** Region of the DataZone domain(s). Default: `AWS_REGION`, else `us-east-1`. */
        region?: string;
        /** Account of the DataZone domain (one of `aws.accounts`); the main account when unset. */
        accountId?: string;
        /** Domains whose pending subscription requests are imported into the inbox. */
        domainIds?: string[];
      };
      /** Schedules of the background jobs (run once across replicas). */
      schedule?: {
        /** Revokes grants past their end and warns before expiry. Default every 5 minutes. */
        expiry?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Imports DataZone portal requests and converges states changed outside Backstage. Default every 15 minutes. */
        reconciliation?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
    /** Service-level objectives evaluated from data contracts (see README, "SLOs"). */
    slo?: {
      /** Seconds an AWS reading is reused. Default 60. */
      cacheTtlSeconds?: number;
      /** AWS calls in flight at once for SLO signals. Default 8. */
      concurrency?: number;
      /** DataZone time-series form with data-quality results. Default `DataQualityResultForm`. */
      dataQualityFormName?: string;
      /** Data-quality results older than this many days are not trusted. Default 7. */
      dataQualityMaxAgeDays?: number;
      /** Share (percent) of a quality rule's runs over 30 days that must pass; a rule passing now that failed more often is at risk. Default 95. */
      qualityPassRatePercent?: number;
      /** Share of an objective's budget (percent) from which it is "at risk". Default 80. */
      atRiskPercent?: number;
      /** Error-budget target (percent) when the contract declares no availability. Default 99. */
      defaultTargetPercent?: number;
      /** An evaluation is recorded at most this often per dataset. Default 5. */
      recordIntervalMinutes?: number;
      /** Evaluations further apart leave unmeasured time in the history. Default 60. */
      maxGapMinutes?: number;
      /** Minutes between background evaluations of every dataset (0: off). Default 15. */
      refreshMinutes?: number;
      /** Where the "no contract" state links to. */
      helpUrl?: string;
    };
    /** Lineage graphs from DataZone (domains and regions come from `catalog.providers.datazone`). */
    lineage?: {
      /** GetLineageNode calls in flight at once per graph. Default 8. */
      concurrency?: number;
      /** Most DataZone lineage nodes one graph walks. Default 1000. */
      maxNodes?: number;
    };
    /** QuickSight dashboards on data product and dataset pages; off unless `awsAccountId` is set. */
    quickSight?: {
      /** The AWS account QuickSight runs in. */
      awsAccountId?: string;
      /** QuickSight's region (the identity region of the account for users). Default `AWS_REGION`, else `us-east-1`. */
      region?: string;
      /** Which `aws.accounts` entry's credentials to call QuickSight with; the main account when unset. */
      credentialsAccountId?: string;
      /** Namespace of the QuickSight users people are matched to by email. Default `default`. */
      namespace?: string;
      /** Seconds the dashboard → tables index is reused. Default 300. Embed URLs are never cached. */
      listCacheSeconds?: number;
      /** Length of an embedded session once opened, 15–600. Default 60. */
      sessionLifetimeMinutes?: number;
      /** Origins allowed to embed (the app's base URL); unset: QuickSight's account settings decide. */
      allowedDomains?: string[];
      /** QuickSight calls in flight while indexing. Default 4. */
      concurrency?: number;
    };
  };
}
