// Turns a DataZone lineage walk plus catalog relations and QuickSight
// dashboards into the graph the card draws. Pure: no I/O.

import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ARN,
  ANNOTATION_DATAZONE_ASSET_ID,
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
  LineageColumnEdge,
  LineageGraph,
  LineageGraphEdge,
  LineageGraphNode,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { LineageNodeRecord, LineageWalk } from './graphWalk';

const RELATION_API_CONSUMED_BY = 'apiConsumedBy';

/** `arn:aws:glue:<region>:<account>:table/<database>/<table>` → its parts. */
export function parseGlueTableArn(
  arn: string | undefined,
):
  | { region: string; accountId: string; database: string; table: string }
  | undefined {
  const match =
    /^arn:aws[a-z-]*:glue:([a-z0-9-]+):(\d{12}):table\/([^/]+)\/(.+)$/.exec(
      arn ?? '',
    );
  return match
    ? {
        region: match[1],
        accountId: match[2],
        database: match[3],
        table: match[4],
      }
    : undefined;
}

/** The dashboard id in a QuickSight dashboard ARN, the sourceIdentifier of a dashboard a run wrote. */
export function quickSightDashboardIdOf(
  sourceIdentifier: string | undefined,
): string | undefined {
  const match =
    /^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:dashboard\/([\w-]+)$/.exec(
      sourceIdentifier ?? '',
    );
  return match?.[1];
}

/** Key of a Glue table for matching (Glue names are case-insensitive). */
export function tableKey(database: string, table: string): string {
  return `${database.toLowerCase()}.${table.toLowerCase()}`;
}

function parseJson(content: string | undefined): unknown {
  if (!content) return undefined;
  try {
    return JSON.parse(content);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parsed contents of a node's forms (form content is a JSON string). */
function formContents(record: LineageNodeRecord): Record<string, unknown>[] {
  return (record.formsOutput ?? [])
    .map(form => parseJson(form.content))
    .filter(isObject);
}

/** The DataZone asset a dataset node stands for, when a form names it. */
export function assetIdOf(record: LineageNodeRecord): string | undefined {
  for (const content of formContents(record)) {
    if (typeof content.assetId === 'string' && content.assetId) {
      return content.assetId;
    }
  }
  return undefined;
}

/** The OpenLineage namespace and name of a dataset node, from its forms or its sourceIdentifier. */
function openLineageNamesOf(record: LineageNodeRecord): string[] {
  const keys: string[] = [];
  for (const content of formContents(record)) {
    if (
      typeof content.namespace === 'string' &&
      typeof content.name === 'string'
    ) {
      keys.push(`${content.namespace}\u0000${content.name}`);
    }
  }
  return keys;
}

/**
 * Where DataZone puts an OpenLineage dataset: for AWS resources, the ARN
 * (namespace `arn:aws:glue:<region>:<account>` + name `table/<db>/<table>`),
 * otherwise namespace and name joined.
 */
export function openLineageSourceIdentifier(
  namespace: string,
  name: string,
): string {
  if (namespace.startsWith('arn:')) return `${namespace}:${name}`;
  if (namespace.endsWith('/') || name.startsWith('/'))
    return `${namespace}${name}`;
  return `${namespace}/${name}`;
}

/** Column derivations a dataset node's forms carry (the OpenLineage `columnLineage` facet). */
export function columnLineageOf(record: LineageNodeRecord): Array<{
  column: string;
  inputs: Array<{
    namespace: string;
    name: string;
    field: string;
    transformation?: string;
  }>;
}> {
  const result: ReturnType<typeof columnLineageOf> = [];
  for (const content of formContents(record)) {
    const candidates = [
      content.columnLineage,
      isObject(content.facets) ? content.facets.columnLineage : undefined,
      content,
    ];
    for (const candidate of candidates) {
      if (!isObject(candidate) || !isObject(candidate.fields)) continue;
      for (const [column, spec] of Object.entries(candidate.fields)) {
        if (!isObject(spec) || !Array.isArray(spec.inputFields)) continue;
        const inputs = spec.inputFields.flatMap(input => {
          if (
            !isObject(input) ||
            typeof input.namespace !== 'string' ||
            typeof input.name !== 'string' ||
            typeof input.field !== 'string'
          ) {
            return [];
          }
          const transformations = Array.isArray(input.transformations)
            ? input.transformations.filter(isObject)
            : [];
          const type =
            (typeof transformations[0]?.type === 'string'
              ? transformations[0].type
              : undefined) ??
            (typeof spec.transformationType === 'string'
              ? spec.transformationType
              : undefined);
          return [
            {
              namespace: input.namespace,
              name: input.name,
              field: input.field,
              transformation: type,
            },
          ];
        });
        if (inputs.length > 0) result.push({ column, inputs });
      }
      break;
    }
  }
  return result;
}

/** A dashboard and the Glue tables its data sets read. */
export interface DashboardTables {
  dashboardId: string;
  name: string;
  tables: Array<{ database: string; table: string }>;
}

/**
 * Finds catalog dataset entities for DataZone dataset nodes: by the asset id a
 * node's form names, by its sourceIdentifier (the Glue table ARN, also the
 * dataset's `amazonaws.com/arn`), or by the Glue database and table.
 */
export class LineageEntityIndex {
  private readonly byAsset = new Map<string, Entity>();
  private readonly byArn = new Map<string, Entity>();
  private readonly byTable = new Map<string, Entity>();

  constructor(entities: Entity[]) {
    for (const entity of entities) {
      const a = entity.metadata.annotations ?? {};
      if (a[ANNOTATION_DATAZONE_ASSET_ID])
        this.byAsset.set(a[ANNOTATION_DATAZONE_ASSET_ID], entity);
      if (a[ANNOTATION_AWS_ARN]) this.byArn.set(a[ANNOTATION_AWS_ARN], entity);
      if (a[ANNOTATION_GLUE_DATABASE] && a[ANNOTATION_GLUE_TABLE]) {
        this.byTable.set(
          tableKey(a[ANNOTATION_GLUE_DATABASE], a[ANNOTATION_GLUE_TABLE]),
          entity,
        );
      }
    }
  }

  find(record: LineageNodeRecord): Entity | undefined {
    const assetId = assetIdOf(record);
    const source = record.sourceIdentifier;
    const table = parseGlueTableArn(source);
    return (
      (assetId ? this.byAsset.get(assetId) : undefined) ??
      (source ? this.byArn.get(source) : undefined) ??
      (table
        ? this.byTable.get(tableKey(table.database, table.table))
        : undefined)
    );
  }
}

/** Input of {@link buildLineageGraph}. */
export interface BuildLineageGraphInput {
  /** The entity the graph is for. */
  entityRef: string;
  depth: number;
  /** The dataset entities the graph starts from (the entity itself, or a product's datasets). */
  rootEntities: Entity[];
  /** The DataZone walk (empty when no root has lineage). */
  walk: LineageWalk;
  /** Catalog dataset entities the caller can see, for linking DataZone nodes. */
  entityIndex: LineageEntityIndex;
  /** QuickSight dashboards and their tables (empty when QuickSight is not configured). */
  dashboards: DashboardTables[];
  warnings?: string[];
  now?: Date;
}

const iso = (date: Date | undefined) =>
  date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;

function entityTitle(entity: Entity): string {
  return entity.metadata.title ?? entity.metadata.name;
}

function refTitle(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/**
 * Assembles the lineage graph:
 *
 * - DataZone dataset nodes become `dataset` nodes, keyed by their catalog
 *   entity when there is one (so two DataZone nodes of one table merge, and
 *   the node links to the entity page), else by the DataZone node id;
 * - job runs fold into their job (one node per job, with its newest run);
 * - datasets at the start or downstream of it get their consumers
 *   (`apiConsumedBy`) and the dashboards reading their tables, one level
 *   further, within `depth`;
 * - column-level edges come from the datasets' `columnLineage` facets.
 */
export function buildLineageGraph(input: BuildLineageGraphInput): LineageGraph {
  const { walk, entityIndex, depth } = input;
  const nodes = new Map<string, LineageGraphNode>();
  const edges = new Map<string, LineageGraphEdge>();
  const addEdge = (edge: LineageGraphEdge) => {
    if (edge.from === edge.to || !nodes.has(edge.from) || !nodes.has(edge.to))
      return;
    edges.set(`${edge.from}\u0000${edge.to}\u0000${edge.kind}`, edge);
  };
  const rootRefs = new Set(input.rootEntities.map(e => stringifyEntityRef(e)));
  const entities = new Map<string, Entity>();
  const levelOfEntity = new Map<string, number>();

  const setNode = (node: LineageGraphNode) => {
    const existing = nodes.get(node.id);
    if (!existing) {
      nodes.set(node.id, node);
      return;
    }
    if (Math.abs(node.depth) < Math.abs(existing.depth))
      existing.depth = node.depth;
    existing.root = existing.root || node.root;
    if (
      node.lastEventAt &&
      (!existing.lastEventAt || node.lastEventAt > existing.lastEventAt)
    ) {
      existing.lastEventAt = node.lastEventAt;
    }
    existing.dataZoneNodeId ??= node.dataZoneNodeId;
    existing.sourceIdentifier ??= node.sourceIdentifier;
    existing.typeName ??= node.typeName;
  };

  for (const entity of input.rootEntities) {
    const ref = stringifyEntityRef(entity);
    entities.set(ref, entity);
    levelOfEntity.set(ref, 0);
    setNode({
      id: `entity:${ref}`,
      kind: 'dataset',
      title: entityTitle(entity),
      entityRef: ref,
      depth: 0,
      root: true,
    });
  }

  // DataZone node id → graph node id.
  const graphIdOf = new Map<string, string>();
  const dashboardNames = new Map(
    input.dashboards.map(d => [d.dashboardId, d.name]),
  );
  for (const [id, walked] of walk.nodes) {
    if (walked.role !== 'dataset') continue;
    const { record, level } = walked;
    // A producer may name a QuickSight dashboard as a run's output: it is the
    // same dashboard QuickSight's data sets lead to.
    const dashboardId = quickSightDashboardIdOf(record.sourceIdentifier);
    if (dashboardId) {
      const graphId = `dashboard:${dashboardId}`;
      graphIdOf.set(id, graphId);
      setNode({
        id: graphId,
        kind: 'dashboard',
        title: dashboardNames.get(dashboardId) ?? record.name ?? dashboardId,
        dashboardId,
        depth: level,
        dataZoneNodeId: id,
        sourceIdentifier: record.sourceIdentifier,
        typeName: record.typeName,
        lastEventAt: iso(record.eventTimestamp),
      });
      continue;
    }
    const entity = entityIndex.find(record);
    const ref = entity ? stringifyEntityRef(entity) : undefined;
    const graphId = ref ? `entity:${ref}` : `dz:${id}`;
    graphIdOf.set(id, graphId);
    if (entity && ref) {
      entities.set(ref, entity);
      const known = levelOfEntity.get(ref);
      if (known === undefined || Math.abs(level) < Math.abs(known))
        levelOfEntity.set(ref, level);
    }
    setNode({
      id: graphId,
      kind: 'dataset',
      title: entity
        ? entityTitle(entity)
        : record.name ?? record.sourceIdentifier ?? id,
      entityRef: ref,
      depth: level,
      root: ref ? rootRefs.has(ref) : undefined,
      dataZoneNodeId: id,
      sourceIdentifier: record.sourceIdentifier,
      typeName: record.typeName,
      lastEventAt: iso(record.eventTimestamp),
    });
  }

  // Jobs: a run becomes its job's node; a run with no job node stands alone.
  for (const [id, walked] of walk.nodes) {
    if (walked.role === 'dataset') continue;
    const jobId = walked.role === 'run' ? walk.jobOfRun.get(id) ?? id : id;
    const job = walk.nodes.get(jobId) ?? walked;
    const graphId = `dz:${jobId}`;
    graphIdOf.set(id, graphId);
    setNode({
      id: graphId,
      kind: 'job',
      title: job.record.name ?? job.record.sourceIdentifier ?? jobId,
      depth: walked.level,
      dataZoneNodeId: jobId,
      sourceIdentifier: job.record.sourceIdentifier,
      typeName: job.record.typeName,
      lastEventAt: iso(walked.record.eventTimestamp),
    });
    if (walked.role === 'run') {
      const node = nodes.get(graphId)!;
      const at = iso(walked.record.eventTimestamp);
      if (!node.lastRun || (at && (!node.lastRun.at || at > node.lastRun.at))) {
        node.lastRun = { id, name: walked.record.name, at };
      }
    }
  }

  for (const link of walk.links) {
    const from = graphIdOf.get(link.from);
    const to = graphIdOf.get(link.to);
    if (from && to) addEdge({ from, to, kind: 'lineage' });
  }

  // Catalog relations and dashboards, for datasets at or downstream of the start.
  const dashboardsByTable = new Map<string, DashboardTables[]>();
  for (const dashboard of input.dashboards) {
    for (const t of dashboard.tables) {
      const key = tableKey(t.database, t.table);
      dashboardsByTable.set(key, [
        ...(dashboardsByTable.get(key) ?? []),
        dashboard,
      ]);
    }
  }
  const tablesOfNode = new Map<string, string>();
  for (const node of nodes.values()) {
    if (node.kind !== 'dataset') continue;
    const entity = node.entityRef ? entities.get(node.entityRef) : undefined;
    const a = entity?.metadata.annotations ?? {};
    const fromArn = parseGlueTableArn(
      node.sourceIdentifier ?? a[ANNOTATION_AWS_ARN],
    );
    if (a[ANNOTATION_GLUE_DATABASE] && a[ANNOTATION_GLUE_TABLE]) {
      tablesOfNode.set(
        node.id,
        tableKey(a[ANNOTATION_GLUE_DATABASE], a[ANNOTATION_GLUE_TABLE]),
      );
    } else if (fromArn) {
      tablesOfNode.set(node.id, tableKey(fromArn.database, fromArn.table));
    }
  }
  for (const node of [...nodes.values()]) {
    if (
      node.kind !== 'dataset' ||
      node.depth < 0 ||
      node.depth + 1 > Math.max(depth, 1)
    )
      continue;
    const entity = node.entityRef ? entities.get(node.entityRef) : undefined;
    for (const relation of entity?.relations ?? []) {
      if (relation.type !== RELATION_API_CONSUMED_BY) continue;
      const id = `entity:${relation.targetRef}`;
      if (!nodes.has(id)) {
        setNode({
          id,
          kind: 'consumer',
          title: refTitle(relation.targetRef),
          entityRef: relation.targetRef,
          depth: node.depth + 1,
        });
      }
      addEdge({ from: node.id, to: id, kind: 'consumes' });
    }
    const key = tablesOfNode.get(node.id);
    for (const dashboard of key ? dashboardsByTable.get(key) ?? [] : []) {
      const id = `dashboard:${dashboard.dashboardId}`;
      if (!nodes.has(id)) {
        setNode({
          id,
          kind: 'dashboard',
          title: dashboard.name,
          dashboardId: dashboard.dashboardId,
          depth: node.depth + 1,
        });
      }
      addEdge({ from: node.id, to: id, kind: 'dashboard' });
    }
  }

  // Column-level edges: inputs named by OpenLineage namespace and name.
  const byOpenLineageName = new Map<string, string>();
  for (const [id, walked] of walk.nodes) {
    if (walked.role !== 'dataset') continue;
    const graphId = graphIdOf.get(id)!;
    for (const key of openLineageNamesOf(walked.record))
      byOpenLineageName.set(key, graphId);
    if (walked.record.sourceIdentifier)
      byOpenLineageName.set(
        `source\u0000${walked.record.sourceIdentifier}`,
        graphId,
      );
  }
  const jobsBetween = (from: string, to: string) =>
    [...edges.values()].find(
      e =>
        e.from === from &&
        e.kind === 'lineage' &&
        nodes.get(e.to)?.kind === 'job' &&
        edges.has(`${e.to}\u0000${to}\u0000lineage`),
    )?.to;
  const columnEdges = new Map<string, LineageColumnEdge>();
  for (const [id, walked] of walk.nodes) {
    if (walked.role !== 'dataset') continue;
    const to = graphIdOf.get(id)!;
    for (const { column, inputs } of columnLineageOf(walked.record)) {
      for (const field of inputs) {
        const from =
          byOpenLineageName.get(`${field.namespace}\u0000${field.name}`) ??
          byOpenLineageName.get(
            `source\u0000${openLineageSourceIdentifier(
              field.namespace,
              field.name,
            )}`,
          );
        if (!from || from === to) continue;
        const edge: LineageColumnEdge = {
          from,
          fromColumn: field.field,
          to,
          toColumn: column,
        };
        const via = jobsBetween(from, to);
        if (via) edge.via = via;
        if (field.transformation) edge.transformation = field.transformation;
        columnEdges.set(
          `${from}\u0000${field.field}\u0000${to}\u0000${column}`,
          edge,
        );
      }
    }
  }

  const order = (a: LineageGraphNode, b: LineageGraphNode) =>
    a.depth - b.depth ||
    a.kind.localeCompare(b.kind) ||
    a.title.localeCompare(b.title) ||
    a.id.localeCompare(b.id);
  return {
    entityRef: input.entityRef,
    depth,
    nodes: [...nodes.values()].sort(order),
    edges: [...edges.values()],
    columnEdges: [...columnEdges.values()],
    truncated: walk.truncated,
    warnings: input.warnings ?? [],
    generatedAt: (input.now ?? new Date()).toISOString(),
  };
}
