import type * as dz from '@aws-sdk/client-datazone';
import { notFound, validation } from '../errors';
import type { DataZoneStore } from '../store';
import type {
  Form,
  LineageEventRecord,
  LineageNodeRecord,
  LineageNodeVersion,
} from '../state';
import type { RequestContext } from '../context';
import { paginate } from '../paging';
import { op } from './types';
import { date, ensureCallerProfile, formsOutput, latest } from './util';

/**
 * Lineage node types. DataZone derives nodes from OpenLineage run events: a job, its job
 * runs and datasets. The exact system type names were not observable here, so these are
 * the stand-in's names (stable, `amazon.datazone.*` like the other system types).
 */
export const LINEAGE_NODE_TYPES = {
  job: 'amazon.datazone.JobNodeType',
  jobRun: 'amazon.datazone.JobRunNodeType',
  dataset: 'amazon.datazone.DatasetNodeType',
} as const;

/** PostLineageEvent takes events up to 300,000 bytes. */
export const MAX_LINEAGE_EVENT_BYTES = 300_000;

interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets?: Record<string, unknown>;
}

interface RunEvent {
  eventType?: string;
  eventTime: string;
  run: { runId: string; facets?: Record<string, unknown> };
  job: { namespace: string; name: string; facets?: Record<string, unknown> };
  inputs?: OpenLineageDataset[];
  outputs?: OpenLineageDataset[];
  producer?: string;
}

function parseRunEvent(body: Buffer | undefined): RunEvent {
  const invalid = (why: string) =>
    validation(`The event is not a valid OpenLineage run event: ${why}.`);
  if (!body || body.length === 0) throw invalid('empty body');
  if (body.length > MAX_LINEAGE_EVENT_BYTES)
    throw validation(
      `The event is ${body.length} bytes; the limit is ${MAX_LINEAGE_EVENT_BYTES}.`,
    );
  let event: any;
  try {
    event = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('not JSON');
  }
  if (!event || typeof event !== 'object' || Array.isArray(event))
    throw invalid('not a JSON object');
  if (
    typeof event.eventTime !== 'string' ||
    Number.isNaN(Date.parse(event.eventTime))
  )
    throw invalid('eventTime must be an ISO 8601 date-time');
  if (typeof event.run?.runId !== 'string' || !event.run.runId)
    throw invalid('run.runId is required');
  if (
    typeof event.job?.namespace !== 'string' ||
    typeof event.job?.name !== 'string'
  )
    throw invalid('job.namespace and job.name are required');
  for (const key of ['inputs', 'outputs'] as const) {
    const list = event[key];
    if (list === undefined) continue;
    if (
      !Array.isArray(list) ||
      list.some(
        (d: any) =>
          typeof d?.namespace !== 'string' || typeof d?.name !== 'string',
      )
    )
      throw invalid(`${key} must be datasets with a namespace and a name`);
  }
  return event as RunEvent;
}

/**
 * The sourceIdentifier DataZone gives a dataset: for AWS resources the ARN (OpenLineage
 * names Glue tables `arn:aws:glue:<region>:<account>` + `table/<db>/<table>`), otherwise
 * namespace and name joined.
 */
export function datasetSourceIdentifier(d: OpenLineageDataset): string {
  if (d.namespace.startsWith('arn:')) return `${d.namespace}:${d.name}`;
  if (d.namespace.endsWith('/') || d.name.startsWith('/'))
    return `${d.namespace}${d.name}`;
  return `${d.namespace}/${d.name}`;
}

function nodeBySource(store: DataZoneStore, domainId: string, source: string) {
  return Object.values(store.state.lineageNodes).find(
    n => n.domainId === domainId && n.sourceIdentifier === source,
  );
}

function upsertNode(
  store: DataZoneStore,
  domainId: string,
  node: { typeName: string; name: string; sourceIdentifier: string },
  userId: string,
  now: number,
): LineageNodeRecord {
  const existing = nodeBySource(store, domainId, node.sourceIdentifier);
  if (existing) return existing;
  const seq = store.nextSeq();
  const record: LineageNodeRecord = {
    seq,
    id: store.newId('lineage-node', seq),
    domainId,
    typeName: node.typeName,
    typeRevision: '1',
    name: node.name,
    sourceIdentifier: node.sourceIdentifier,
    createdAt: now,
    createdBy: userId,
    versions: [],
  };
  store.state.lineageNodes[record.id] = record;
  return record;
}

/**
 * Adds a version of a node at the event's time. Its neighbours are the previous
 * version's, except that links to earlier runs of the same job give way to this run.
 */
function addVersion(
  store: DataZoneStore,
  node: LineageNodeRecord,
  change: {
    eventId: string;
    eventTimestamp: number;
    upstream: string[];
    downstream: string[];
    forms: Form[];
    replacesRunsOfJob?: string;
  },
  userId: string,
  now: number,
) {
  const previous = versionAt(node, change.eventTimestamp);
  const isOldRun = (id: string) =>
    !!change.replacesRunsOfJob &&
    store.state.lineageNodes[id]?.typeName === LINEAGE_NODE_TYPES.jobRun &&
    jobOfRun(store, id) === change.replacesRunsOfJob;
  const merge = (before: string[] | undefined, added: string[]) => [
    ...new Set([...(before ?? []).filter(id => !isOldRun(id)), ...added]),
  ];
  const version: LineageNodeVersion = {
    eventId: change.eventId,
    eventTimestamp: change.eventTimestamp,
    upstream: merge(previous?.upstream, change.upstream),
    downstream: merge(previous?.downstream, change.downstream),
    forms: change.forms.length ? change.forms : previous?.forms ?? [],
    updatedAt: now,
    updatedBy: userId,
  };
  node.versions.push(version);
  node.versions.sort((a, b) => a.eventTimestamp - b.eventTimestamp);
}

/** The job node id a run node belongs to (runs carry it in their JobRun form). */
function jobOfRun(store: DataZoneStore, runId: string): string | undefined {
  const run = store.state.lineageNodes[runId];
  const form = run
    ? latest(run.versions)?.forms.find(f => f.formName === 'JobRun')
    : undefined;
  if (!form) return undefined;
  try {
    return (JSON.parse(form.content) as { jobNodeId?: string }).jobNodeId;
  } catch {
    return undefined;
  }
}

/** The newest version at or before a time (the newest when no time is given). */
function versionAt(
  node: LineageNodeRecord,
  at: number | undefined,
): LineageNodeVersion | undefined {
  if (at === undefined) return latest(node.versions);
  let found: LineageNodeVersion | undefined;
  for (const v of node.versions) if (v.eventTimestamp <= at) found = v;
  return found;
}

/**
 * Takes a raw OpenLineage RunEvent (the SDK sends it as the body) and maps it to nodes:
 * the job (`<namespace>.<name>`), the job run (`<namespace>.<name>/<runId>`) and each
 * dataset (its ARN for AWS resources). Inputs are upstream of the run, outputs
 * downstream, the job upstream of its run. A dataset whose sourceIdentifier is an asset's
 * externalIdentifier (a Glue table ARN) names that asset in its form.
 */
export const postLineageEvent = op(
  (
    input: dz.PostLineageEventInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const event = parseRunEvent(input.event as Buffer | undefined);
    const userId = ensureCallerProfile(store, domainId, ctx).id;
    const now = store.now();
    const eventTimestamp = Date.parse(event.eventTime);
    const seq = store.nextSeq();
    const record: LineageEventRecord = {
      seq,
      id: store.newId('lineage-event', seq),
      domainId,
      eventTime: eventTimestamp,
      processingStatus: 'SUCCESS',
      createdBy: userId,
      createdAt: now,
      nodeIds: [],
    };

    const jobSource = `${event.job.namespace}.${event.job.name}`;
    const job = upsertNode(
      store,
      domainId,
      {
        typeName: LINEAGE_NODE_TYPES.job,
        name: event.job.name,
        sourceIdentifier: jobSource,
      },
      userId,
      now,
    );
    const run = upsertNode(
      store,
      domainId,
      {
        typeName: LINEAGE_NODE_TYPES.jobRun,
        name: `${event.job.name} ${event.run.runId}`,
        sourceIdentifier: `${jobSource}/${event.run.runId}`,
      },
      userId,
      now,
    );
    const dataset = (d: OpenLineageDataset) => {
      const sourceIdentifier = datasetSourceIdentifier(d);
      const node = upsertNode(
        store,
        domainId,
        {
          typeName: LINEAGE_NODE_TYPES.dataset,
          name: d.name.split('/').pop() || d.name,
          sourceIdentifier,
        },
        userId,
        now,
      );
      const asset = Object.values(store.state.assets).find(
        a =>
          a.domainId === domainId && a.externalIdentifier === sourceIdentifier,
      );
      return { node, dataset: d, assetId: asset?.id };
    };
    const inputs = (event.inputs ?? []).map(dataset);
    const outputs = (event.outputs ?? []).map(dataset);
    const form = (formName: string, content: unknown): Form => ({
      formName,
      typeName: `amazon.datazone.${formName}FormType`,
      typeRevision: '1',
      content: JSON.stringify(content),
    });
    const change = (
      upstream: string[],
      downstream: string[],
      forms: Form[],
    ) => ({
      eventId: record.id,
      eventTimestamp,
      upstream,
      downstream,
      forms,
      replacesRunsOfJob: job.id,
    });

    addVersion(
      store,
      job,
      change(
        [],
        [run.id],
        [form('Job', { namespace: event.job.namespace, name: event.job.name })],
      ),
      userId,
      now,
    );
    addVersion(
      store,
      run,
      change(
        [job.id, ...inputs.map(i => i.node.id)],
        outputs.map(o => o.node.id),
        [
          form('JobRun', {
            runId: event.run.runId,
            jobNodeId: job.id,
            eventType: event.eventType,
            producer: event.producer,
          }),
        ],
      ),
      userId,
      now,
    );
    for (const { node, dataset: d, assetId } of inputs)
      addVersion(
        store,
        node,
        change(
          [],
          [run.id],
          [form('Dataset', { namespace: d.namespace, name: d.name, assetId })],
        ),
        userId,
        now,
      );
    for (const { node, dataset: d, assetId } of outputs)
      addVersion(
        store,
        node,
        change(
          [run.id],
          [],
          [form('Dataset', { namespace: d.namespace, name: d.name, assetId })],
        ),
        userId,
        now,
      );
    record.nodeIds = [
      job.id,
      run.id,
      ...inputs.map(i => i.node.id),
      ...outputs.map(o => o.node.id),
    ];
    store.state.lineageEvents[record.id] = record;
    store.changed();
    return { id: record.id, domainId };
  },
);

function findNode(store: DataZoneStore, domainId: string, identifier: string) {
  const byId = store.state.lineageNodes[identifier];
  const node =
    byId && byId.domainId === domainId
      ? byId
      : nodeBySource(store, domainId, identifier);
  if (!node) throw notFound(`Lineage node ${identifier} not found.`);
  return node;
}

function reference(store: DataZoneStore, id: string, at: number) {
  const node = store.state.lineageNodes[id];
  const version = node
    ? versionAt(node, at) ?? latest(node.versions)
    : undefined;
  return { id, eventTimestamp: date(version?.eventTimestamp) };
}

function summary(
  node: LineageNodeRecord,
  version: LineageNodeVersion | undefined,
) {
  return {
    domainId: node.domainId,
    id: node.id,
    typeName: node.typeName,
    typeRevision: node.typeRevision,
    name: node.name,
    description: node.description,
    sourceIdentifier: node.sourceIdentifier,
    createdAt: date(node.createdAt),
    createdBy: node.createdBy,
    updatedAt: date(version?.updatedAt ?? node.createdAt),
    updatedBy: version?.updatedBy ?? node.createdBy,
    eventTimestamp: date(version?.eventTimestamp),
  };
}

/** A node as of `timestamp` (its newest version when none), with its neighbours then. */
export const getLineageNode = op(
  (
    input: dz.GetLineageNodeInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const node = findNode(store, domainId, input.identifier!);
    const at = input.eventTimestamp?.getTime();
    const version = versionAt(node, at);
    if (!version)
      throw notFound(
        `Lineage node ${node.id} has no version at or before ${new Date(
          at!,
        ).toISOString()}.`,
      );
    return {
      ...summary(node, version),
      formsOutput: formsOutput(version.forms),
      upstreamNodes: version.upstream.map(id =>
        reference(store, id, version.eventTimestamp),
      ),
      downstreamNodes: version.downstream.map(id =>
        reference(store, id, Number.MAX_SAFE_INTEGER),
      ),
    };
  },
);

/**
 * The node's versions over time (one per event that touched it), newest first unless
 * sortOrder says ASCENDING; `direction` keeps the versions that have neighbours that way.
 */
export const listLineageNodeHistory = op(
  (
    input: dz.ListLineageNodeHistoryInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const node = findNode(store, domainId, input.identifier!);
    const from = input.eventTimestampGTE?.getTime();
    const to = input.eventTimestampLTE?.getTime();
    const items = node.versions
      .map((version, index) => ({ version, index }))
      .filter(
        ({ version }) =>
          (from === undefined || version.eventTimestamp >= from) &&
          (to === undefined || version.eventTimestamp <= to) &&
          (input.direction !== 'UPSTREAM' || version.upstream.length > 0) &&
          (input.direction !== 'DOWNSTREAM' || version.downstream.length > 0),
      );
    const { page, nextToken } = paginate({
      items,
      key: i => [i.version.eventTimestamp, i.index],
      descending: input.sortOrder !== 'ASCENDING',
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: [
        'ListLineageNodeHistory',
        node.id,
        input.direction,
        from ?? null,
        to ?? null,
        input.sortOrder,
      ],
    });
    return { nodes: page.map(i => summary(node, i.version)), nextToken };
  },
);
