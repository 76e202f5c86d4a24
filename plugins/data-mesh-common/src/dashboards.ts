// Types of the dashboards API: `GET /api/data-mesh/dashboards/:kind/:namespace/:name`
// (the QuickSight dashboards built on a data product's tables) and
// `POST /api/data-mesh/dashboards/embed-url` (a fresh per-user embed URL).

/**
 * A Glue table a dashboard reads (through a QuickSight data set).
 *
 * @public
 */
export interface DashboardTableRef {
  database: string;
  table: string;
  /** The dataset entity the table belongs to, when it is this entity's. */
  entityRef?: string;
}

/**
 * A QuickSight dashboard built on a data product's or dataset's tables.
 *
 * @public
 */
export interface DataMeshDashboard {
  dashboardId: string;
  name: string;
  arn: string;
  /** ISO 8601. */
  lastUpdatedAt?: string;
  /** ISO 8601. */
  lastPublishedAt?: string;
  /** QuickSight user names allowed to manage the dashboard (its owners). */
  owners: string[];
  /** The QuickSight data sets of the dashboard that read this entity's tables. */
  dataSets: Array<{ dataSetId: string; name?: string }>;
  /** This entity's tables the dashboard reads. */
  tables: DashboardTableRef[];
}

/**
 * Answer of `GET /api/data-mesh/dashboards/:kind/:namespace/:name`.
 *
 * @public
 */
export interface DashboardsResponse {
  entityRef: string;
  /** False when the backend has no QuickSight account configured. */
  configured: boolean;
  dashboards: DataMeshDashboard[];
}

/**
 * Body of `POST /api/data-mesh/dashboards/embed-url`. The entity is the
 * permission resource (`data-mesh.dashboard.embed`); the dashboard must be one
 * of the entity's.
 *
 * @public
 */
export interface DashboardEmbedRequest {
  entityRef: string;
  dashboardId: string;
}

/**
 * Answer of `POST /api/data-mesh/dashboards/embed-url`: a single-use URL
 * (valid for five minutes) for the signed-in user. Never cache it.
 *
 * @public
 */
export interface DashboardEmbedResponse {
  embedUrl: string;
  /** Minutes the embedded session lasts once opened. */
  sessionLifetimeMinutes: number;
}

/**
 * `error.name` of the 404 answer of the embed URL endpoint when the signed-in
 * user has no QuickSight user (matched by email): the card tells them so.
 *
 * @public
 */
export const QUICKSIGHT_USER_NOT_FOUND_ERROR = 'QuickSightUserNotFoundError';
