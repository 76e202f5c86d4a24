import {
  OdcsDataContract,
  OdcsQualityRule,
  OdcsSlaProperty,
  logicalTypeOf,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { createHash } from 'node:crypto';

/** A dataset of the product as read from Glue. */
export interface ContractDataset {
  name: string;
  description?: string;
  columns: { name: string; type?: string; description?: string }[];
  partitionKeys?: { name: string; type?: string; description?: string }[];
  location?: string;
  format?: string;
}

/** Service-level objectives from the template's form. */
export interface ContractSlos {
  /** How old the newest data may be, in hours (ODCS `latency`). */
  freshnessHours?: number;
  /** How often the data is refreshed (ODCS `frequency`). */
  frequency?: 'hourly' | 'daily' | 'weekly' | 'monthly';
  /** Share of expected rows that must arrive, in percent (a completeness quality rule). */
  completenessPercent?: number;
  /** Share of time the data can be queried, in percent (ODCS `availability`). */
  availabilityPercent?: number;
}

export interface ProductContractInput {
  /** Stable contract id; {@link stableContractId} makes one. */
  id: string;
  productName: string;
  version?: string;
  status?: string;
  description?: string;
  /** The data mesh domain's name. */
  domain?: string;
  /** Owning group entity ref, e.g. group:default/sales-domain. */
  owner: string;
  /** Group entity ref whose members may approve access requests. */
  approverGroup?: string;
  classification?: string;
  supportEmail?: string;
  server: {
    accountId: string;
    region: string;
    database: string;
    location?: string;
    format?: string;
  };
  datasets: ContractDataset[];
  slos?: ContractSlos;
}

/** A UUID-shaped id that is the same for the same product in the same project and domain. */
export function stableContractId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

const FREQUENCY_UNITS = {
  hourly: 'h',
  daily: 'd',
  weekly: 'w',
  monthly: 'm',
} as const;

/**
 * The product's ODCS v3.1.0 contract (ARCHITECTURE.md "Data contracts"):
 * one schema object per dataset from its Glue columns, the SLOs as
 * `slaProperties` (completeness as a quality rule), the owning team, support
 * and the read role whose `firstLevelApprovers` is the approver group.
 */
export function buildProductContract(
  input: ProductContractInput,
): OdcsDataContract {
  const main = input.datasets[0]?.name;
  const slaProperties: OdcsSlaProperty[] = [];
  const slos = input.slos ?? {};
  if (slos.freshnessHours !== undefined) {
    slaProperties.push({
      property: 'latency',
      value: slos.freshnessHours,
      unit: 'h',
      ...(main ? { element: main } : {}),
    });
  }
  if (slos.frequency) {
    slaProperties.push({
      property: 'frequency',
      value: 1,
      unit: FREQUENCY_UNITS[slos.frequency],
      ...(main ? { element: main } : {}),
    });
  }
  if (slos.availabilityPercent !== undefined) {
    slaProperties.push({
      property: 'availability',
      value: slos.availabilityPercent,
      unit: '%',
    });
  }
  const quality = (dataset: string): OdcsQualityRule[] => {
    const rules: OdcsQualityRule[] = [
      {
        name: `${dataset}_row_count`,
        description: `${dataset} is never empty.`,
        type: 'library',
        metric: 'rowCount',
        mustBeGreaterThan: 0,
        dimension: 'completeness',
        severity: 'error',
      },
    ];
    if (slos.completenessPercent !== undefined && dataset === main) {
      rules.push({
        name: `${dataset}_completeness`,
        description: `At least ${slos.completenessPercent} % of each load's expected rows arrive.`,
        type: 'text',
        dimension: 'completeness',
        severity: 'error',
        customProperties: [
          { property: 'targetPercent', value: slos.completenessPercent },
        ],
      });
    }
    return rules;
  };
  const property =
    (partitioned: boolean) =>
    (
      column: { name: string; type?: string; description?: string },
      index: number,
    ) => ({
      name: column.name,
      physicalName: column.name,
      ...(column.type ? { physicalType: column.type } : {}),
      ...(logicalTypeOf(column.type)
        ? { logicalType: logicalTypeOf(column.type) }
        : {}),
      ...(column.description ? { description: column.description } : {}),
      ...(partitioned
        ? { partitioned: true, partitionKeyPosition: index + 1 }
        : {}),
      ...(input.classification ? { classification: input.classification } : {}),
    });
  const ownerName = input.owner.replace(/^group:(default\/)?/, '');
  const contract: OdcsDataContract = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: input.id,
    name: input.productName,
    version: input.version ?? '1.0.0',
    status: input.status ?? 'active',
    ...(input.domain ? { domain: input.domain } : {}),
    dataProduct: input.productName,
    description: {
      ...(input.description ? { purpose: input.description } : {}),
      usage:
        'Request access from the product page in the Data Mesh Portal; query through Athena once approved.',
    },
    ...(input.classification ? { tags: [input.classification] } : {}),
    servers: [
      {
        server: 'glue',
        type: 'glue',
        account: input.server.accountId,
        database: input.server.database,
        ...(input.server.location ? { location: input.server.location } : {}),
        ...(input.server.format ? { format: input.server.format } : {}),
        environment: 'prod',
        description: `Glue database ${input.server.database} in account ${input.server.accountId} (${input.server.region}).`,
      },
    ],
    schema: input.datasets.map(dataset => ({
      name: dataset.name,
      physicalName: dataset.name,
      physicalType: 'table',
      logicalType: 'object',
      ...(dataset.description ? { description: dataset.description } : {}),
      properties: [
        ...dataset.columns.map(property(false)),
        ...(dataset.partitionKeys ?? []).map(property(true)),
      ],
      quality: quality(dataset.name),
    })),
    ...(slaProperties.length ? { slaProperties } : {}),
    team: { name: ownerName, description: `Owned by ${input.owner}.` },
    ...(input.supportEmail
      ? {
          support: [
            {
              channel: ownerName,
              tool: 'email',
              url: `mailto:${input.supportEmail}`,
              scope: 'issues',
            },
          ],
        }
      : {}),
    roles: [
      {
        role: `${input.server.database}_read`,
        access: 'read',
        description: `SELECT and DESCRIBE on the tables of ${input.server.database}.`,
        firstLevelApprovers: input.approverGroup ?? input.owner,
      },
    ],
    contractCreatedTs: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  return contract;
}
