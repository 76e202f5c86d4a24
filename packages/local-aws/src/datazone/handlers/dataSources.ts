import type * as dz from '@aws-sdk/client-datazone';
import { DataZoneError, conflict, notFound, validation } from '../errors';
import type { DataZoneStore } from '../store';
import type {
  AssetRecord,
  AssetRevision,
  DataSourceRecord,
  DataSourceRunRecord,
  Form,
} from '../state';
import type { RequestContext } from '../context';
import { paginate } from '../paging';
import { glueTableArn, type GlueTableInfo } from '../effects';
import { op } from './types';
import { date, ensureCallerProfile, latest } from './util';
import { resolveForms } from './assets';
import { publish } from './listings';
import { GLUE_TABLE_ASSET_TYPE, GLUE_TABLE_FORM_TYPE } from './managedTypes';

/** DataZone's documented limit: 25 runs per data source per day. */
export const MAX_RUNS_PER_DAY = 25;
const DAY_MS = 86_400_000;

function findDataSource(store: DataZoneStore, domainId: string, id: string) {
  const ds = store.state.dataSources[id];
  if (!ds || ds.domainId !== domainId)
    throw notFound(`Data source ${id} not found.`);
  return ds;
}

function dataSourceOutput(ds: DataSourceRecord) {
  return {
    id: ds.id,
    name: ds.name,
    description: ds.description,
    domainId: ds.domainId,
    projectId: ds.projectId,
    environmentId: ds.environmentId,
    status: ds.status,
    type: ds.type,
    configuration: { glueRunConfiguration: ds.glue },
    recommendation: ds.recommendation,
    enableSetting: ds.enableSetting,
    publishOnImport: ds.publishOnImport,
    assetFormsOutput: ds.assetForms.map(f => ({ ...f })),
    schedule: ds.schedule,
    lastRunStatus: ds.lastRunStatus,
    lastRunAt: date(ds.lastRunAt),
    lastRunErrorMessage: ds.lastRunError,
    createdAt: date(ds.createdAt),
    updatedAt: date(ds.updatedAt),
  };
}

function runOutput(run: DataSourceRunRecord) {
  return {
    domainId: run.domainId,
    dataSourceId: run.dataSourceId,
    id: run.id,
    projectId: run.projectId,
    status: run.status,
    type: run.type,
    createdAt: date(run.createdAt),
    updatedAt: date(run.updatedAt),
    dataSourceConfigurationSnapshot: run.configurationSnapshot,
    runStatisticsForAssets: run.stats,
    errorMessage: run.error,
    startedAt: date(run.startedAt),
    stoppedAt: date(run.stoppedAt),
  };
}

export const createDataSource = op(
  (
    input: dz.CreateDataSourceInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const project = store.project(domainId, input.projectIdentifier!);
    if (input.type !== 'GLUE')
      throw validation(
        `Data source type ${input.type} is not supported by the local DataZone stand-in (GLUE only).`,
      );
    const glue = input.configuration?.glueRunConfiguration;
    if (!glue)
      throw validation(
        'configuration.glueRunConfiguration is required for a GLUE data source.',
      );
    if (!input.environmentIdentifier)
      throw validation(
        'environmentIdentifier is required: the data source reads the Glue catalog of that environment.',
      );
    const env = store.environment(domainId, input.environmentIdentifier);
    if (env.projectId !== project.id)
      throw validation(
        `Environment ${env.id} does not belong to project ${project.id}.`,
      );
    if (
      Object.values(store.state.dataSources).some(
        d =>
          d.domainId === domainId &&
          d.projectId === project.id &&
          d.name === input.name,
      )
    )
      throw conflict(
        `A data source named ${input.name} already exists in project ${project.id}.`,
      );
    const assetForms = resolveForms(
      store,
      domainId,
      input.assetFormsInput,
      undefined,
    );
    const creator = ensureCallerProfile(store, domainId, ctx);
    const seq = store.nextSeq();
    const now = store.now();
    const ds: DataSourceRecord = {
      seq,
      id: store.newId('data-source', seq),
      domainId,
      projectId: project.id,
      environmentId: env.id,
      name: input.name!,
      description: input.description,
      type: 'GLUE',
      status: 'READY',
      enableSetting:
        (input.enableSetting as 'ENABLED' | 'DISABLED') ?? 'ENABLED',
      publishOnImport: input.publishOnImport ?? false,
      glue: {
        relationalFilterConfigurations:
          glue.relationalFilterConfigurations!.map(c => ({
            databaseName: c.databaseName!,
            schemaName: c.schemaName,
            filterExpressions: c.filterExpressions?.map(f => ({
              type: f.type as 'INCLUDE' | 'EXCLUDE',
              expression: f.expression!,
            })),
          })),
        accountId: env.awsAccountId,
        region: env.awsAccountRegion,
        dataAccessRole: glue.dataAccessRole,
        autoImportDataQualityResult: glue.autoImportDataQualityResult,
        catalogName: glue.catalogName,
      },
      schedule: input.schedule,
      assetForms,
      recommendation: input.recommendation,
      createdBy: creator.id,
      createdAt: now,
      updatedAt: now,
    };
    store.state.dataSources[ds.id] = ds;
    store.changed();
    return dataSourceOutput(ds);
  },
);

export const getDataSource = op(
  (input: dz.GetDataSourceInput, _ctx: RequestContext, store: DataZoneStore) =>
    dataSourceOutput(
      findDataSource(
        store,
        store.domain(input.domainIdentifier!).id,
        input.identifier!,
      ),
    ),
);

// ListDataSources requires projectIdentifier: there is no domain-wide listing.
export const listDataSources = op(
  (
    input: dz.ListDataSourcesInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const items = Object.values(store.state.dataSources).filter(
      d =>
        d.domainId === domainId &&
        d.projectId === input.projectIdentifier &&
        (!input.environmentIdentifier ||
          d.environmentId === input.environmentIdentifier) &&
        (!input.type || d.type === input.type) &&
        (!input.status || d.status === input.status) &&
        (!input.name || d.name === input.name),
    );
    const { page, nextToken } = paginate({
      items,
      key: d => [d.seq],
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: [
        'ListDataSources',
        domainId,
        { ...input, maxResults: undefined, nextToken: undefined },
      ],
    });
    return {
      items: page.map(d => ({
        domainId: d.domainId,
        dataSourceId: d.id,
        name: d.name,
        description: d.description,
        type: d.type,
        status: d.status,
        environmentId: d.environmentId,
        enableSetting: d.enableSetting,
        schedule: d.schedule,
        lastRunStatus: d.lastRunStatus,
        lastRunAt: date(d.lastRunAt),
        lastRunErrorMessage: d.lastRunError,
        lastRunAssetCount: d.lastRunAssetCount,
        createdAt: date(d.createdAt),
        updatedAt: date(d.updatedAt),
      })),
      nextToken,
    };
  },
);

/** Filter expressions are table-name globs (`*` any run of characters), case-insensitive. */
function globMatch(expression: string, name: string): boolean {
  const source = expression
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(name);
}

export function selectedByFilters(
  filters: { type: 'INCLUDE' | 'EXCLUDE'; expression: string }[] | undefined,
  table: string,
): boolean {
  const includes = (filters ?? []).filter(f => f.type === 'INCLUDE');
  const excludes = (filters ?? []).filter(f => f.type === 'EXCLUDE');
  if (
    includes.length > 0 &&
    !includes.some(f => globMatch(f.expression, table))
  )
    return false;
  return !excludes.some(f => globMatch(f.expression, table));
}

/** The GlueTableForm DataZone writes for an imported table: its schema from the catalog. */
export function glueTableFormContent(
  table: GlueTableInfo,
  ref: { catalogId: string; region: string; databaseName: string },
): string {
  const arn = glueTableArn({ ...ref, tableName: table.name });
  const column = (c: { name: string; type?: string; comment?: string }) => ({
    columnName: c.name,
    dataType: c.type,
    description: c.comment,
  });
  return JSON.stringify({
    catalogId: ref.catalogId,
    region: ref.region,
    tableArn: arn,
    tableName: table.name,
    tableDescription: table.description,
    columns: table.columns.map(column),
    partitionKeys: table.partitionKeys.length
      ? table.partitionKeys.map(column)
      : undefined,
    sourceClassification: table.classification,
  });
}

/** Imports one table: a new asset, a new revision when its schema changed, or nothing. */
function importTable(
  store: DataZoneStore,
  ds: DataSourceRecord,
  databaseName: string,
  table: GlueTableInfo,
  userId: string,
): 'added' | 'updated' | 'unchanged' {
  const ref = {
    catalogId: ds.glue.accountId,
    region: ds.glue.region,
    databaseName,
  };
  const externalIdentifier = glueTableArn({ ...ref, tableName: table.name });
  const assetType = store.assetType(ds.domainId, GLUE_TABLE_ASSET_TYPE);
  const glueForm: Form = {
    formName: 'GlueTableForm',
    typeName: GLUE_TABLE_FORM_TYPE,
    typeRevision: latest(
      store.state.formTypes[`${ds.domainId}/${GLUE_TABLE_FORM_TYPE}`],
    ).revision,
    content: glueTableFormContent(table, ref),
  };
  const now = store.now();
  const existing = Object.values(store.state.assets).find(
    a =>
      a.domainId === ds.domainId &&
      a.owningProjectId === ds.projectId &&
      a.externalIdentifier === externalIdentifier,
  );
  const publishIt = (asset: AssetRecord) => {
    if (ds.publishOnImport)
      publish(store, { kind: 'ASSET', record: asset }, undefined, userId);
  };
  if (existing) {
    const current = latest(existing.revisions);
    const byName = new Map(current.forms.map(f => [f.formName, f]));
    const before = byName.get('GlueTableForm')?.content;
    for (const f of ds.assetForms) byName.set(f.formName, f);
    byName.set('GlueTableForm', glueForm);
    const changed =
      before !== glueForm.content ||
      (table.description ?? current.description) !== current.description ||
      ds.assetForms.some(
        f =>
          current.forms.find(c => c.formName === f.formName)?.content !==
          f.content,
      );
    if (!changed) {
      if (ds.publishOnImport && existing.listing?.listingStatus !== 'ACTIVE')
        publishIt(existing);
      return 'unchanged';
    }
    const revision: AssetRevision = {
      ...current,
      revision: String(existing.revisions.length + 1),
      description: table.description ?? current.description,
      forms: [...byName.values()],
      createdAt: now,
      createdBy: userId,
    };
    existing.revisions.push(revision);
    existing.updatedAt = now;
    publishIt(existing);
    return 'updated';
  }
  const seq = store.nextSeq();
  const revision: AssetRevision = {
    revision: '1',
    name: table.name,
    description: table.description,
    typeIdentifier: assetType.name,
    typeRevision: assetType.revision,
    forms: [glueForm, ...ds.assetForms],
    createdAt: now,
    createdBy: userId,
  };
  const asset: AssetRecord = {
    seq,
    id: store.newId('asset', seq),
    domainId: ds.domainId,
    owningProjectId: ds.projectId,
    externalIdentifier,
    firstRevisionCreatedAt: now,
    firstRevisionCreatedBy: userId,
    revisions: [revision],
    updatedAt: now,
  };
  store.state.assets[asset.id] = asset;
  publishIt(asset);
  return 'added';
}

/**
 * Runs the data source now: reads each configured Glue database (in the environment's
 * account, from moto), keeps the tables its filters select, and creates or updates one
 * GlueTableAssetType asset per table, publishing them when publishOnImport is set. The
 * run finishes before the call returns (DataZone answers REQUESTED and runs it later), so
 * its statistics are real at once.
 */
export const startDataSourceRun = op(
  async (
    input: dz.StartDataSourceRunInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const ds = findDataSource(store, domainId, input.dataSourceIdentifier!);
    if (ds.enableSetting === 'DISABLED')
      throw validation(`Data source ${ds.id} is disabled.`);
    if (ds.status === 'RUNNING')
      throw conflict(`Data source ${ds.id} is already running.`);
    const now = store.now();
    const today = Object.values(store.state.dataSourceRuns).filter(
      r => r.dataSourceId === ds.id && r.createdAt > now - DAY_MS,
    ).length;
    if (today >= MAX_RUNS_PER_DAY)
      throw new DataZoneError(
        'ServiceQuotaExceededException',
        `Data source ${ds.id} has run ${today} times in the last 24 hours (limit ${MAX_RUNS_PER_DAY}).`,
      );
    const userId = ensureCallerProfile(store, domainId, ctx).id;
    const seq = store.nextSeq();
    const run: DataSourceRunRecord = {
      seq,
      id: store.newId('data-source-run', seq),
      domainId,
      dataSourceId: ds.id,
      projectId: ds.projectId,
      status: 'RUNNING',
      type: 'PRIORITIZED',
      configurationSnapshot: JSON.stringify({
        glueRunConfiguration: ds.glue,
        publishOnImport: ds.publishOnImport,
      }),
      createdAt: now,
      updatedAt: now,
      startedAt: now,
    };
    store.state.dataSourceRuns[run.id] = run;
    ds.status = 'RUNNING';
    store.changed();

    const stats = { added: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
    const errors: { errorType: string; errorDetail: string }[] = [];
    for (const config of ds.glue.relationalFilterConfigurations) {
      let tables: GlueTableInfo[];
      try {
        tables = await ctx.effects.getTables(
          ds.glue.accountId,
          ds.glue.region,
          config.databaseName,
        );
      } catch (error) {
        errors.push({
          errorType: 'RESOURCE_NOT_FOUND_EXCEPTION',
          errorDetail: `Glue database ${config.databaseName} in account ${
            ds.glue.accountId
          }: ${(error as Error).message}`,
        });
        continue;
      }
      for (const table of tables) {
        if (!selectedByFilters(config.filterExpressions, table.name)) {
          stats.skipped += 1;
          continue;
        }
        try {
          stats[
            importTable(store, ds, config.databaseName, table, userId)
          ] += 1;
        } catch (error) {
          stats.failed += 1;
          errors.push({
            errorType: 'INTERNAL_SERVER_EXCEPTION',
            errorDetail: `${config.databaseName}.${table.name}: ${
              (error as Error).message
            }`,
          });
        }
      }
    }
    const imported = stats.added + stats.updated + stats.unchanged;
    const end = store.now();
    if (errors.length === 0) run.status = 'SUCCESS';
    else run.status = imported > 0 ? 'PARTIALLY_SUCCEEDED' : 'FAILED';
    run.stats = stats;
    run.error = errors[0];
    run.stoppedAt = end;
    run.updatedAt = end;
    ds.status = 'READY';
    ds.lastRunStatus = run.status;
    ds.lastRunAt = end;
    ds.lastRunAssetCount = imported;
    ds.lastRunError = run.error;
    ds.updatedAt = end;
    store.changed();
    return runOutput(run);
  },
);

export const getDataSourceRun = op(
  (
    input: dz.GetDataSourceRunInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const run = store.state.dataSourceRuns[input.identifier!];
    if (!run || run.domainId !== domainId)
      throw notFound(`Data source run ${input.identifier} not found.`);
    return runOutput(run);
  },
);

export const listDataSourceRuns = op(
  (
    input: dz.ListDataSourceRunsInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const ds = findDataSource(store, domainId, input.dataSourceIdentifier!);
    const items = Object.values(store.state.dataSourceRuns).filter(
      r =>
        r.dataSourceId === ds.id &&
        (!input.status || r.status === input.status),
    );
    // Newest run first, as the DataZone console shows them.
    const { page, nextToken } = paginate({
      items,
      key: r => [r.createdAt, r.seq],
      descending: true,
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: ['ListDataSourceRuns', ds.id, input.status],
    });
    return {
      items: page.map(r => {
        const {
          dataSourceConfigurationSnapshot: _s,
          domainId: _d,
          ...summary
        } = runOutput(r);
        return summary;
      }),
      nextToken,
    };
  },
);
