import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AccessGrantMode,
  AccessLevel,
  ACCESS_GRANT_MODES,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';

export interface AutoApproveRule {
  classifications?: string[];
  entityRefs?: string[];
  teamRefs?: string[];
  accessLevel?: AccessLevel;
}

export interface AccessRequestSettings {
  mode: AccessGrantMode;
  defaultDurationDays: number;
  maxDurationDays: number;
  expiryWarningDays: number;
  autoApprove: AutoApproveRule[];
  notificationsEnabled: boolean;
  dataZone: { region: string; accountId?: string; domainIds: string[] };
  expirySchedule: SchedulerServiceTaskScheduleDefinition;
  reconciliationSchedule: SchedulerServiceTaskScheduleDefinition;
}

function refs(values: string[] | undefined, defaultKind?: string) {
  return values?.map(v =>
    stringifyEntityRef(parseEntityRef(v, { defaultKind, defaultNamespace: 'default' })),
  );
}

/** Reads `dataMesh.accessRequests`, failing at startup on nonsense. */
export function readAccessRequestSettings(
  config: Config,
  env: Record<string, string | undefined> = process.env,
): AccessRequestSettings {
  const c = config.getOptionalConfig('dataMesh.accessRequests');
  const mode = (c?.getOptionalString('mode') ?? 'lakeformation') as AccessGrantMode;
  if (!ACCESS_GRANT_MODES.includes(mode)) {
    throw new Error(
      `dataMesh.accessRequests.mode must be one of ${ACCESS_GRANT_MODES.join(', ')}, got '${mode}'`,
    );
  }
  const maxDurationDays = c?.getOptionalNumber('maxDurationDays') ?? 365;
  const defaultDurationDays = c?.getOptionalNumber('defaultDurationDays') ?? Math.min(90, maxDurationDays);
  if (!Number.isInteger(maxDurationDays) || maxDurationDays < 1) {
    throw new Error('dataMesh.accessRequests.maxDurationDays must be a whole number ≥ 1');
  }
  if (!Number.isInteger(defaultDurationDays) || defaultDurationDays < 1 || defaultDurationDays > maxDurationDays) {
    throw new Error('dataMesh.accessRequests.defaultDurationDays must be a whole number between 1 and maxDurationDays');
  }
  const autoApprove = (c?.getOptionalConfigArray('autoApprove') ?? []).map(rule => ({
    classifications: rule
      .getOptionalStringArray('classifications')
      ?.map(s => s.toLocaleLowerCase('en-US')),
    entityRefs: refs(rule.getOptionalStringArray('entityRefs')),
    teamRefs: refs(rule.getOptionalStringArray('teamRefs'), 'group'),
    accessLevel: rule.getOptionalString('accessLevel') as AccessLevel | undefined,
  }));
  const schedule = (key: string, minutes: number): SchedulerServiceTaskScheduleDefinition =>
    c?.has(`schedule.${key}`)
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(c.getConfig(`schedule.${key}`))
      : { frequency: { minutes }, timeout: { minutes: Math.max(minutes, 5) }, initialDelay: { seconds: 30 } };
  return {
    mode,
    defaultDurationDays,
    maxDurationDays,
    expiryWarningDays: c?.getOptionalNumber('expiryWarningDays') ?? 7,
    autoApprove,
    notificationsEnabled: c?.getOptionalBoolean('notifications.enabled') ?? true,
    dataZone: {
      region: c?.getOptionalString('dataZone.region') ?? env.AWS_REGION ?? 'us-east-1',
      accountId: c?.getOptionalString('dataZone.accountId'),
      domainIds: c?.getOptionalStringArray('dataZone.domainIds') ?? [],
    },
    expirySchedule: schedule('expiry', 5),
    reconciliationSchedule: schedule('reconciliation', 15),
  };
}
