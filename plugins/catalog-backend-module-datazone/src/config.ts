import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { DATA_CONTRACT_FORM_TYPE_NAME } from '@data-mesh-portal/plugin-data-mesh-common';

/**
 * Settings of the removal guard: a sync that would remove more than this share
 * of the provider's entities (or all of them) is refused and logged.
 *
 * @public
 */
export interface RemovalGuardConfig {
  /** Largest share of entities one run may remove, in percent. Default 10. */
  maxRemovalPercent: number;
  /** Whether a run may remove every entity. Default false. */
  allowRemovalToZero: boolean;
  /**
   * Until this instant (ISO 8601), the guard lets any removal through: a
   * one-time acknowledgement of an intended large cleanup that expires by
   * itself.
   */
  acceptRemovalsUntil?: Date;
}

/**
 * One configured DataZone domain.
 *
 * @public
 */
export interface DataZoneProviderConfig {
  /** Provider id: `default` for a single block, else the key of the named map. */
  id: string;
  domainId: string;
  region: string;
  /** The account that holds the domain (one of `aws.accounts`); the main account when unset. */
  accountId?: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  filters: {
    /** Domain unit ids or names; their sub-units are included. */
    domainUnits?: string[];
    /** Project ids or names. */
    projects?: string[];
    /** Glossary term ids or names; a listing needs at least one of them. */
    glossaryTerms?: string[];
  };
  /** Project id or name → an existing group's entity ref, used instead of a generated data-team group. */
  projectOwners: Record<string, string>;
  /** Domain unit id or name → owner entity ref of its `Domain`. */
  domainUnitOwners: Record<string, string>;
  /** Owner of `Domain`s without a mapping. Default `group:default/data-platform`. */
  defaultOwner: string;
  /** Also sync unpublished inventory (as `lifecycle: experimental`). Default false. */
  includeInventory: boolean;
  /** Read approved subscriptions for consumer relations. Default true. */
  subscriptions: boolean;
  /** Match project members to catalog users by email. Default true. */
  matchMembersByEmail: boolean;
  /** Asset types synced besides the built-in ones (Glue and Redshift tables and views, S3 collections). */
  additionalAssetTypes: string[];
  /** Name of the data product form holding the ODCS contract. */
  dataContractFormName: string;
  /** Concurrent DataZone calls of one run. Default 4. */
  concurrency: number;
  removalGuard: RemovalGuardConfig;
}

const DOMAIN_ID = /^dzd[-_][a-zA-Z0-9_-]{1,36}$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 15 },
};

/** The config key every provider block lives under. */
export const DATAZONE_PROVIDER_CONFIG_KEY = 'catalog.providers.datazone';

function invalid(key: string, message: string): Error {
  return new Error(`Invalid DataZone provider config at ${key}: ${message}`);
}

function stringList(config: Config, key: string, path: string): string[] | undefined {
  const values = config.getOptionalStringArray(key);
  if (values === undefined) {
    return undefined;
  }
  const cleaned = values.map(value => value.trim()).filter(value => value !== '');
  if (cleaned.length === 0) {
    throw invalid(`${path}.${key}`, 'must list at least one value (or be left out)');
  }
  return cleaned;
}

function ownerRef(ref: string, key: string): string {
  try {
    const parsed = parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' });
    const kind = parsed.kind.toLocaleLowerCase('en-US');
    if (kind !== 'group' && kind !== 'user') {
      throw new Error('owners are groups or users');
    }
    return `${kind}:${parsed.namespace}/${parsed.name}`;
  } catch (error) {
    throw invalid(key, `"${ref}" is not a group entity ref (${(error as Error).message})`);
  }
}

// Project and unit names may contain spaces, which config keys may not: the
// mappings are lists of { <what>: id or name, owner: entity ref }.
function readOwnerMap(
  config: Config,
  key: string,
  itemKey: string,
  path: string,
): Record<string, string> {
  const owners: Record<string, string> = {};
  const items = config.getOptionalConfigArray(key) ?? [];
  items.forEach((item, index) => {
    const itemPath = `${path}.${key}[${index}]`;
    const name = item.getString(itemKey).trim();
    if (name === '') {
      throw invalid(`${itemPath}.${itemKey}`, 'must not be empty');
    }
    owners[name] = ownerRef(item.getString('owner'), `${itemPath}.owner`);
  });
  return owners;
}

function readProviderConfig(id: string, config: Config, path: string): DataZoneProviderConfig {
  const domainId = config.getString('domainId');
  if (!DOMAIN_ID.test(domainId)) {
    throw invalid(`${path}.domainId`, `"${domainId}" is not a DataZone domain id (dzd_…)`);
  }
  const region = config.getString('region');
  if (!REGION.test(region)) {
    throw invalid(`${path}.region`, `"${region}" is not an AWS region`);
  }
  const accountId = config.getOptionalString('accountId');
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
    throw invalid(`${path}.accountId`, 'must be a 12-digit AWS account id');
  }

  let schedule = DEFAULT_SCHEDULE;
  if (config.has('schedule')) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      );
    } catch (error) {
      throw invalid(`${path}.schedule`, (error as Error).message);
    }
  }

  const filtersConfig = config.getOptionalConfig('filters');
  const filters = {
    domainUnits: filtersConfig
      ? stringList(filtersConfig, 'domainUnits', `${path}.filters`)
      : undefined,
    projects: filtersConfig
      ? stringList(filtersConfig, 'projects', `${path}.filters`)
      : undefined,
    glossaryTerms: filtersConfig
      ? stringList(filtersConfig, 'glossaryTerms', `${path}.filters`)
      : undefined,
  };

  const projectOwners = readOwnerMap(config, 'ownerMapping.projects', 'project', path);
  const domainUnitOwners = readOwnerMap(config, 'ownerMapping.domainUnits', 'domainUnit', path);
  const defaultOwner = config.has('ownerMapping.default')
    ? ownerRef(config.getString('ownerMapping.default'), `${path}.ownerMapping.default`)
    : 'group:default/data-platform';

  const guardConfig = config.getOptionalConfig('removalGuard');
  const maxRemovalPercent = guardConfig?.getOptionalNumber('maxRemovalPercent') ?? 10;
  if (!(maxRemovalPercent >= 0 && maxRemovalPercent <= 100)) {
    throw invalid(`${path}.removalGuard.maxRemovalPercent`, 'must be between 0 and 100');
  }
  const acceptUntilText = guardConfig?.getOptionalString('acceptRemovalsUntil');
  let acceptRemovalsUntil: Date | undefined;
  if (acceptUntilText !== undefined) {
    acceptRemovalsUntil = new Date(acceptUntilText);
    if (Number.isNaN(acceptRemovalsUntil.getTime())) {
      throw invalid(
        `${path}.removalGuard.acceptRemovalsUntil`,
        `"${acceptUntilText}" is not an ISO 8601 date-time`,
      );
    }
  }

  const concurrency = config.getOptionalNumber('concurrency') ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 20) {
    throw invalid(`${path}.concurrency`, 'must be an integer from 1 to 20');
  }

  return {
    id,
    domainId,
    region,
    accountId,
    schedule,
    filters,
    projectOwners,
    domainUnitOwners,
    defaultOwner,
    includeInventory: config.getOptionalBoolean('includeInventory') ?? false,
    subscriptions: config.getOptionalBoolean('subscriptions') ?? true,
    matchMembersByEmail: config.getOptionalBoolean('matchMembersByEmail') ?? true,
    additionalAssetTypes: config.getOptionalStringArray('additionalAssetTypes') ?? [],
    dataContractFormName:
      config.getOptionalString('dataContractFormName') ?? DATA_CONTRACT_FORM_TYPE_NAME,
    concurrency,
    removalGuard: {
      maxRemovalPercent,
      allowRemovalToZero: guardConfig?.getOptionalBoolean('allowRemovalToZero') ?? false,
      acceptRemovalsUntil,
    },
  };
}

/**
 * Reads every configured DataZone domain from root config: either one block
 * (`catalog.providers.datazone.domainId` set; id `default`) or a map of named
 * blocks. Throws an error naming the offending key for invalid config.
 *
 * @public
 */
export function readDataZoneProviderConfigs(rootConfig: Config): DataZoneProviderConfig[] {
  const config = rootConfig.getOptionalConfig(DATAZONE_PROVIDER_CONFIG_KEY);
  if (!config) {
    return [];
  }
  if (config.has('domainId')) {
    return [readProviderConfig('default', config, DATAZONE_PROVIDER_CONFIG_KEY)];
  }
  const ids = config.keys();
  if (ids.length === 0) {
    throw invalid(DATAZONE_PROVIDER_CONFIG_KEY, 'needs a domainId or named domain blocks');
  }
  const configs = ids.map(id => {
    if (!/^[a-zA-Z0-9_-]+$/.test(id)) {
      throw invalid(`${DATAZONE_PROVIDER_CONFIG_KEY}.${id}`, 'provider ids may use letters, digits, - and _');
    }
    return readProviderConfig(id, config.getConfig(id), `${DATAZONE_PROVIDER_CONFIG_KEY}.${id}`);
  });
  const seen = new Map<string, string>();
  for (const c of configs) {
    const key = `${c.accountId ?? ''}|${c.region}|${c.domainId}`;
    if (seen.has(key)) {
      throw invalid(
        `${DATAZONE_PROVIDER_CONFIG_KEY}.${c.id}`,
        `domain ${c.domainId} is already configured as ${seen.get(key)}`,
      );
    }
    seen.set(key, c.id);
  }
  return configs;
}
