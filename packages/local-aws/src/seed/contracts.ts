import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { DEMO_PEOPLE, DEMO_PROJECTS, type DemoProduct } from './demo';
import type { ColumnDef } from './schema';

const logicalType = (glueType: string) => {
  if (/^(int|bigint|smallint|tinyint)$/.test(glueType)) return 'integer';
  if (/^(decimal|double|float)/.test(glueType)) return 'number';
  if (glueType === 'date') return 'date';
  if (glueType === 'timestamp') return 'timestamp';
  if (glueType === 'boolean') return 'boolean';
  return 'string';
};

/** A stable UUID-shaped id from a name, so re-seeding yields the same contract ids. */
export function stableUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

const FREQUENCY_UNIT: Record<string, string> = { hourly: 'h', weekly: 'w' };

const statusOf = {
  published: 'active',
  unpublished: 'draft',
  deprecated: 'deprecated',
} as const;

/**
 * The ODCS v3.1.0 contract of a demo data product: schema of each table, SLOs, quality
 * rules, the owning team, support channels and the consumer role whose approvers are the
 * owning Backstage group.
 */
export function buildContract(
  product: DemoProduct,
  location: { account: string; region: string; bucket: string },
) {
  const project = DEMO_PROJECTS[product.project];
  const owner = DEMO_PEOPLE[project.owner];
  const mainTable = product.tables[0];
  const contract = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: stableUuid(`data-mesh-portal/demo/${product.key}`),
    name: product.name,
    version: '1.0.0',
    status: statusOf[product.state],
    domain: project.group,
    dataProduct: product.name,
    tenant: 'retail',
    description: {
      purpose: product.description,
      usage:
        'Analytics and reporting inside Retail Co. Query through Athena after your access request is approved.',
      limitations:
        'Synthetic data derived from the TPC benchmarks; not real customers or sales.',
    },
    tags: ['demo', project.group, mainTable.source.toLowerCase()],
    servers: [
      {
        server: 'glue',
        type: 'glue',
        account: location.account,
        database: product.database,
        location: `s3://${location.bucket}/${product.database}/`,
        format: 'parquet',
        environment: 'prod',
        description: `Glue database ${product.database} in account ${location.account} (${location.region}).`,
      },
    ],
    schema: product.tables.map(table => ({
      name: table.name,
      physicalName: table.name,
      physicalType: 'table',
      logicalType: 'object',
      description: table.description,
      properties: table.columns.map(column =>
        property(column, table.primaryKey ?? []),
      ),
      quality: [
        {
          name: `${table.name}_row_count`,
          description: `${table.name} is never empty.`,
          type: 'library',
          metric: 'rowCount',
          mustBeGreaterThan: 0,
          dimension: 'completeness',
          severity: 'error',
          businessImpact: 'operational',
        },
      ],
    })),
    slaProperties: [
      {
        property: 'latency',
        value: product.sla.latencyHours,
        unit: 'h',
        element: `${mainTable.name}`,
      },
      {
        property: 'frequency',
        value: 1,
        unit: FREQUENCY_UNIT[product.sla.frequency] ?? 'd',
        element: `${mainTable.name}`,
      },
      { property: 'retention', value: product.sla.retentionYears, unit: 'y' },
      {
        property: 'timeOfAvailability',
        value: product.sla.availableBy,
        driver: 'analytics',
      },
    ],
    team: {
      name: project.group,
      description: project.description,
      members: [{ username: owner.email, name: owner.name, role: 'owner' }],
    },
    support: [
      {
        channel: project.group,
        tool: 'email',
        url: `mailto:${project.group}@retail.example`,
        scope: 'issues',
      },
      { channel: `#${project.group}`, tool: 'slack', scope: 'interactive' },
    ],
    roles: [
      {
        role: `${product.database}_read`,
        access: 'read',
        description: `SELECT and DESCRIBE on the tables of ${product.database}.`,
        firstLevelApprovers: `group:default/${project.group}`,
      },
    ],
    contractCreatedTs: '2026-01-05T09:00:00Z',
  };
  return { contract, yaml: stringify(contract) };
}

function property(column: ColumnDef, primaryKey: string[]) {
  const position = primaryKey.indexOf(column.name);
  return {
    name: column.name,
    physicalName: column.name,
    physicalType: column.type,
    logicalType: logicalType(column.type),
    required: column.required ?? false,
    ...(position >= 0
      ? { primaryKey: true, primaryKeyPosition: position + 1 }
      : {}),
    ...(position >= 0 && primaryKey.length === 1 ? { unique: true } : {}),
  };
}
