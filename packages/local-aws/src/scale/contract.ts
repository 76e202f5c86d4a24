import { stableUuid } from '../seed/contracts';

export interface ScaleColumn {
  name: string;
  type: string;
  logicalType: string;
}

/** A deterministic pool of columns; table `t` of product `p` takes a window of it. */
const COLUMN_POOL: ScaleColumn[] = [
  { name: 'id', type: 'bigint', logicalType: 'integer' },
  { name: 'customer_id', type: 'bigint', logicalType: 'integer' },
  { name: 'order_date', type: 'date', logicalType: 'date' },
  { name: 'amount', type: 'decimal(15,2)', logicalType: 'number' },
  { name: 'status', type: 'string', logicalType: 'string' },
  { name: 'region', type: 'varchar(25)', logicalType: 'string' },
  { name: 'quantity', type: 'int', logicalType: 'integer' },
  { name: 'updated_at', type: 'timestamp', logicalType: 'timestamp' },
  { name: 'channel', type: 'string', logicalType: 'string' },
  { name: 'discount', type: 'double', logicalType: 'number' },
  { name: 'is_active', type: 'boolean', logicalType: 'boolean' },
  { name: 'comment', type: 'varchar(117)', logicalType: 'string' },
];

export function scaleColumns(
  product: number,
  table: number,
  count: number,
): ScaleColumn[] {
  const columns = [COLUMN_POOL[0]];
  const offset = (product * 7 + table * 3) % (COLUMN_POOL.length - 1);
  for (let i = 0; columns.length < Math.min(count, COLUMN_POOL.length); i++)
    columns.push(COLUMN_POOL[1 + ((offset + i) % (COLUMN_POOL.length - 1))]);
  return columns;
}

export interface ScaleContractInput {
  key: string;
  name: string;
  description: string;
  group: string;
  ownerEmail: string;
  database: string;
  bucket: string;
  account: string;
  region: string;
  tables: { name: string; description: string; columns: ScaleColumn[] }[];
  status: 'active' | 'draft';
}

/** The ODCS v3.1.0 contract of a scale-seeded product (same shape as the demo's). */
export function scaleContractYaml(input: ScaleContractInput): string {
  const contract = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: stableUuid(`data-mesh-portal/scale/${input.key}`),
    name: input.name,
    version: '1.0.0',
    status: input.status,
    domain: input.group,
    dataProduct: input.name,
    description: {
      purpose: input.description,
      usage: 'Synthetic scale-test data product of the local AWS.',
    },
    tags: ['scale'],
    servers: [
      {
        server: 'glue',
        type: 'glue',
        account: input.account,
        database: input.database,
        location: `s3://${input.bucket}/${input.database}/`,
        format: 'parquet',
        environment: 'prod',
      },
    ],
    schema: input.tables.map(table => ({
      name: table.name,
      physicalType: 'table',
      description: table.description,
      properties: table.columns.map((column, i) => ({
        name: column.name,
        physicalType: column.type,
        logicalType: column.logicalType,
        ...(i === 0 ? { primaryKey: true, required: true } : {}),
      })),
    })),
    slaProperties: [
      { property: 'latency', value: 24, unit: 'h' },
      { property: 'frequency', value: 1, unit: 'd' },
      { property: 'retention', value: 3, unit: 'y' },
    ],
    team: {
      name: input.group,
      members: [{ username: input.ownerEmail, role: 'owner' }],
    },
    support: [
      {
        channel: input.group,
        tool: 'email',
        url: `mailto:${input.group}@scale.example`,
        scope: 'issues',
      },
    ],
    roles: [
      {
        role: `${input.database}_read`,
        access: 'read',
        firstLevelApprovers: `group:default/${input.group}`,
      },
    ],
    contractCreatedTs: '2026-01-05T09:00:00Z',
  };
  return toYaml(contract);
}

/**
 * Block-style YAML for plain JSON data, much faster than a general YAML library for the
 * thousands of contracts a scale seed writes. Strings are JSON-quoted, which YAML reads
 * as double-quoted scalars with the same escapes; numbers and booleans are plain.
 */
export function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]\n';
    let out = '';
    for (const item of value) {
      if (isBlock(item)) {
        const inner = toYaml(item, `${indent}  `);
        out += `${indent}- ${inner.slice(indent.length + 2)}`;
      } else out += `${indent}- ${scalar(item)}\n`;
    }
    return out;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}\n';
    let out = '';
    for (const [key, v] of entries) {
      if (isBlock(v))
        out += `${indent}${yamlKey(key)}:\n${toYaml(v, `${indent}  `)}`;
      else out += `${indent}${yamlKey(key)}: ${scalar(v)}\n`;
    }
    return out;
  }
  return `${scalar(value)}\n`;
}

function isBlock(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return !!v && typeof v === 'object' && Object.keys(v).length > 0;
}

function scalar(v: unknown): string {
  if (Array.isArray(v)) return '[]';
  if (v && typeof v === 'object') return '{}';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(String(v));
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n)$/i;

function yamlKey(key: string): string {
  return PLAIN_KEY.test(key) && !RESERVED.test(key) ? key : JSON.stringify(key);
}
