// Which Glue tables a QuickSight data set reads, and which dashboards read an
// entity's tables. Pure: no I/O.

import type { PhysicalTable } from '@aws-sdk/client-quicksight';
import {
  DashboardTableRef,
  DataMeshDashboard,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { tableKey } from '../lineage/graph';

/** A Glue table as a data set names it. */
export interface GlueTableName {
  database: string;
  table: string;
}

const unquote = (part: string) => part.replace(/^[`"[]|[`"\]]$/g, '');

// `FROM db.table` / `JOIN "catalog"."db"."table"` in a data set's custom SQL.
const SQL_TABLE =
  /\b(?:from|join)\s+((?:[`"[]?[\w-]+[`"\]]?\.){1,2}[`"[]?[\w-]+[`"\]]?)/gi;

/**
 * The Glue tables of a data set's physical tables: relational tables of an
 * Athena (or Glue-catalog) data source name them as `Schema` (database) and
 * `Name` (table); custom SQL names them in `FROM` / `JOIN` clauses as
 * `database.table` or `catalog.database.table`. S3 and SaaS sources read no
 * Glue table.
 */
export function glueTablesOfDataSet(
  physicalTableMap: Record<string, PhysicalTable> | undefined,
): GlueTableName[] {
  const found = new Map<string, GlueTableName>();
  const add = (database: string | undefined, table: string | undefined) => {
    if (!database || !table) return;
    found.set(tableKey(database, table), { database, table });
  };
  for (const physical of Object.values(physicalTableMap ?? {})) {
    if (physical.RelationalTable) {
      add(physical.RelationalTable.Schema, physical.RelationalTable.Name);
    } else if (physical.CustomSql?.SqlQuery) {
      for (const match of physical.CustomSql.SqlQuery.matchAll(SQL_TABLE)) {
        const parts = match[1].split('.').map(unquote);
        add(parts[parts.length - 2], parts[parts.length - 1]);
      }
    }
  }
  return [...found.values()];
}

/** A dashboard with the Glue tables of all its data sets. */
export interface IndexedDashboard {
  dashboardId: string;
  name: string;
  arn: string;
  lastUpdatedAt?: string;
  lastPublishedAt?: string;
  dataSets: Array<{
    dataSetId: string;
    name?: string;
    tables: GlueTableName[];
  }>;
}

/** The Glue tables of an entity, each with the dataset entity it belongs to. */
export interface EntityTable extends GlueTableName {
  entityRef: string;
}

/**
 * The dashboards whose data sets read any of `tables`, with only the data
 * sets and tables that do; most recently updated first. Owners are filled in
 * later (they cost a call per dashboard).
 */
export function dashboardsReading(
  index: IndexedDashboard[],
  tables: EntityTable[],
): Array<Omit<DataMeshDashboard, 'owners'>> {
  const wanted = new Map(tables.map(t => [tableKey(t.database, t.table), t]));
  const result: Array<Omit<DataMeshDashboard, 'owners'>> = [];
  for (const dashboard of index) {
    const dataSets: DataMeshDashboard['dataSets'] = [];
    const matched = new Map<string, DashboardTableRef>();
    for (const dataSet of dashboard.dataSets) {
      const hits = dataSet.tables.filter(t =>
        wanted.has(tableKey(t.database, t.table)),
      );
      if (hits.length === 0) continue;
      dataSets.push({ dataSetId: dataSet.dataSetId, name: dataSet.name });
      for (const hit of hits) {
        const own = wanted.get(tableKey(hit.database, hit.table))!;
        matched.set(tableKey(hit.database, hit.table), {
          database: own.database,
          table: own.table,
          entityRef: own.entityRef,
        });
      }
    }
    if (dataSets.length === 0) continue;
    result.push({
      dashboardId: dashboard.dashboardId,
      name: dashboard.name,
      arn: dashboard.arn,
      lastUpdatedAt: dashboard.lastUpdatedAt,
      lastPublishedAt: dashboard.lastPublishedAt,
      dataSets,
      tables: [...matched.values()],
    });
  }
  return result.sort(
    (a, b) =>
      (b.lastUpdatedAt ?? '').localeCompare(a.lastUpdatedAt ?? '') ||
      a.name.localeCompare(b.name),
  );
}

/** The data set id in a data set ARN (`arn:aws:quicksight:<region>:<account>:dataset/<id>`). */
export function dataSetIdOfArn(arn: string): string | undefined {
  const match = /:dataset\/(.+)$/.exec(arn);
  return match?.[1];
}

/** The user name in a QuickSight user ARN (`…:user/<namespace>/<name>`). */
export function userNameOfArn(arn: string): string | undefined {
  const match = /:user\/[^/]+\/(.+)$/.exec(arn);
  return match?.[1];
}
