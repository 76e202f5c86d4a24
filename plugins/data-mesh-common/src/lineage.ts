// Types of the lineage API (`GET /api/data-mesh/lineage/:kind/:namespace/:name`),
// shared by the backend that assembles the graph from DataZone lineage and
// catalog relations, and the frontend card that draws it.

/**
 * Levels walked upstream and downstream when the request names none.
 *
 * @public
 */
export const LINEAGE_DEFAULT_DEPTH = 3;

/**
 * Most levels a lineage request may ask for in each direction.
 *
 * @public
 */
export const LINEAGE_MAX_DEPTH = 5;

/**
 * What a lineage graph node stands for:
 *
 * - `dataset`: a DataZone lineage dataset node (a table), linked to its catalog
 *   entity when one exists;
 * - `job`: a job that read and wrote datasets (its runs are folded into it);
 * - `consumer`: a team or system holding granted access to a dataset (catalog
 *   relation `apiConsumedBy`);
 * - `dashboard`: a QuickSight dashboard whose data sets read a dataset's table.
 *
 * @public
 */
export type LineageNodeKind = 'dataset' | 'job' | 'consumer' | 'dashboard';

/**
 * One node of a lineage graph.
 *
 * @public
 */
export interface LineageGraphNode {
  /** Unique within the graph (e.g. `entity:api:default/orders`, `dz:<node id>`). */
  id: string;
  kind: LineageNodeKind;
  /** Human name: the entity's title, the DataZone node's name, the dashboard's name. */
  title: string;
  /** The catalog entity this node stands for, when there is one the caller can see. */
  entityRef?: string;
  /** Levels from the start: negative upstream, positive downstream, 0 for the entity itself. */
  depth: number;
  /** Whether this is (one of) the entity the graph was asked for. */
  root?: boolean;
  /** The DataZone lineage node id (datasets and jobs). */
  dataZoneNodeId?: string;
  /** The DataZone node's sourceIdentifier (a Glue table ARN, `namespace.job`, …). */
  sourceIdentifier?: string;
  /** The DataZone lineage node type name. */
  typeName?: string;
  /** Time of the newest lineage event that touched this node (ISO 8601). */
  lastEventAt?: string;
  /** Jobs: the newest run folded into the node. */
  lastRun?: { id?: string; name?: string; at?: string };
  /** Dashboards: the QuickSight dashboard id (what the embed URL endpoint takes). */
  dashboardId?: string;
}

/**
 * What an edge means.
 *
 * - `lineage`: data flows from `from` to `to` (dataset → job → dataset);
 * - `consumes`: `to` (a team or system) has granted access to dataset `from`;
 * - `dashboard`: dashboard `to` reads dataset `from`.
 *
 * @public
 */
export type LineageEdgeKind = 'lineage' | 'consumes' | 'dashboard';

/**
 * A directed edge between two nodes of a lineage graph (`from` is upstream).
 *
 * @public
 */
export interface LineageGraphEdge {
  from: string;
  to: string;
  kind: LineageEdgeKind;
}

/**
 * Column-level lineage: column `toColumn` of dataset `to` is derived from
 * column `fromColumn` of dataset `from` (from the OpenLineage
 * `columnLineage` facet, where DataZone carries it).
 *
 * @public
 */
export interface LineageColumnEdge {
  from: string;
  fromColumn: string;
  to: string;
  toColumn: string;
  /** The job node that made the derivation, when known. */
  via?: string;
  /** How (e.g. `IDENTITY`, `AGGREGATION`), as the facet says it. */
  transformation?: string;
}

/**
 * The lineage graph of a data product or dataset.
 *
 * @public
 */
export interface LineageGraph {
  /** The entity asked for. */
  entityRef: string;
  /** Levels walked each way. */
  depth: number;
  nodes: LineageGraphNode[];
  edges: LineageGraphEdge[];
  columnEdges: LineageColumnEdge[];
  /** Whether the walk stopped at the node limit before reaching `depth`. */
  truncated: boolean;
  /**
   * What could not be read (e.g. "QuickSight could not be reached"): the
   * graph is still shown, with these as notes.
   */
  warnings: string[];
  /** When the graph was assembled (ISO 8601). */
  generatedAt: string;
}
