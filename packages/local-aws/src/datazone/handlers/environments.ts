import type * as dz from '@aws-sdk/client-datazone';
import type { DataZoneStore } from '../store';
import type { EnvironmentRecord } from '../state';
import type { RequestContext } from '../context';
import { paginate } from '../paging';
import { op } from './types';
import { date, ensureCallerProfile } from './util';

export const DEFAULT_DATA_LAKE_BLUEPRINT_ID = 'defaultdatalake0';

/** Glue database names may only hold lower-case letters, digits and underscores. */
const glueName = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/**
 * The resources a DefaultDataLake environment provisions, by the names DataZone gives
 * them: the environment user role (subscription grants land on it), the publishing and
 * subscription Glue databases, and the Athena workgroup.
 */
export function provisionedResources(env: {
  id: string;
  name: string;
  awsAccountId: string;
  awsAccountRegion: string;
}) {
  const base = glueName(env.name);
  return [
    {
      name: 'userRoleArn',
      type: 'IAMRole',
      value: `arn:aws:iam::${env.awsAccountId}:role/datazone_usr_${env.id}`,
      provider: 'Amazon DataZone',
    },
    {
      name: 'glueProducerDBForDataLake',
      type: 'GlueDatabase',
      value: `${base}_pub_db`,
      provider: 'Amazon DataZone',
    },
    {
      name: 'glueConsumerDBForDataLake',
      type: 'GlueDatabase',
      value: `${base}_sub_db`,
      provider: 'Amazon DataZone',
    },
    {
      name: 'athenaWorkgroupName',
      type: 'AthenaWorkgroup',
      value: `workgroup-${env.id}`,
      provider: 'Amazon DataZone',
    },
    {
      name: 'bucketForDataLake',
      type: 'S3Path',
      value: `s3://datazone-${env.awsAccountId}-${env.awsAccountRegion}-${env.id}/`,
      provider: 'Amazon DataZone',
    },
  ];
}

function envOutput(e: EnvironmentRecord) {
  return {
    projectId: e.projectId,
    domainId: e.domainId,
    createdBy: e.createdBy,
    name: e.name,
    provider: e.provider,
    id: e.id,
    createdAt: date(e.createdAt),
    updatedAt: date(e.updatedAt),
    description: e.description,
    environmentProfileId: e.environmentProfileId,
    awsAccountId: e.awsAccountId,
    awsAccountRegion: e.awsAccountRegion,
    status: e.status,
    glossaryTerms: e.glossaryTerms,
    provisionedResources: e.provisionedResources,
    environmentBlueprintId: e.environmentBlueprintId,
  };
}

export const createEnvironment = op(
  (
    input: dz.CreateEnvironmentInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domain = store.domain(input.domainIdentifier!);
    const project = store.project(domain.id, input.projectIdentifier!);
    const creator = ensureCallerProfile(store, domain.id, ctx);
    const seq = store.nextSeq();
    const now = store.now();
    const id = store.newId('environment', seq);
    const awsAccountId =
      input.environmentAccountIdentifier ?? domain.managedAccountId;
    const awsAccountRegion = input.environmentAccountRegion ?? ctx.region;
    const env: EnvironmentRecord = {
      seq,
      id,
      domainId: domain.id,
      projectId: project.id,
      name: input.name!,
      description: input.description,
      provider: 'Amazon DataZone',
      awsAccountId,
      awsAccountRegion,
      environmentProfileId: input.environmentProfileIdentifier,
      environmentBlueprintId:
        input.environmentBlueprintIdentifier ?? DEFAULT_DATA_LAKE_BLUEPRINT_ID,
      status: 'ACTIVE',
      glossaryTerms: input.glossaryTerms,
      provisionedResources: provisionedResources({
        id,
        name: input.name!,
        awsAccountId,
        awsAccountRegion,
      }),
      createdBy: creator.id,
      createdAt: now,
      updatedAt: now,
    };
    store.state.environments[id] = env;
    store.changed();
    return envOutput(env);
  },
);

export const getEnvironment = op(
  (input: dz.GetEnvironmentInput, _ctx: RequestContext, store: DataZoneStore) =>
    envOutput(
      store.environment(
        store.domain(input.domainIdentifier!).id,
        input.identifier!,
      ),
    ),
);

// ListEnvironments requires projectIdentifier and models no ResourceNotFoundException.
export const listEnvironments = op(
  (
    input: dz.ListEnvironmentsInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const items = Object.values(store.state.environments).filter(
      e =>
        e.domainId === domainId &&
        e.projectId === input.projectIdentifier &&
        (!input.awsAccountId || e.awsAccountId === input.awsAccountId) &&
        (!input.awsAccountRegion ||
          e.awsAccountRegion === input.awsAccountRegion) &&
        (!input.status || e.status === input.status) &&
        (!input.provider || e.provider === input.provider) &&
        (!input.name || e.name === input.name) &&
        (!input.environmentProfileIdentifier ||
          e.environmentProfileId === input.environmentProfileIdentifier) &&
        (!input.environmentBlueprintIdentifier ||
          e.environmentBlueprintId === input.environmentBlueprintIdentifier),
    );
    const { page, nextToken } = paginate({
      items,
      key: e => [e.seq],
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: [
        'ListEnvironments',
        domainId,
        { ...input, nextToken: undefined, maxResults: undefined },
      ],
    });
    return {
      items: page.map(e => {
        const {
          provisionedResources: _p,
          glossaryTerms: _g,
          environmentBlueprintId: _b,
          ...summary
        } = envOutput(e);
        return summary;
      }),
      nextToken,
    };
  },
);
