import { validateDataContract } from '@data-mesh-portal/plugin-data-mesh-common';
import { buildProductContract, stableContractId } from './productContract';

describe('buildProductContract', () => {
  const base = {
    id: stableContractId('dzd_1', 'p1', 'Orders'),
    productName: 'Orders',
    description: 'Orders placed in stores and online.',
    domain: 'Sales',
    owner: 'group:default/sales-domain',
    approverGroup: 'group:default/sales-approvers',
    classification: 'internal',
    supportEmail: 'sales-data@retail.example',
    server: {
      accountId: '222222222222',
      region: 'us-east-1',
      database: 'sales_orders',
      location: 's3://b/sales_orders/',
      format: 'parquet',
    },
    datasets: [
      {
        name: 'orders',
        description: 'One row per order.',
        columns: [
          { name: 'order_id', type: 'bigint', description: 'Order key' },
          { name: 'total', type: 'decimal(12,2)' },
          { name: 'tags', type: 'array<string>' },
        ],
        partitionKeys: [{ name: 'order_date', type: 'date' }],
      },
    ],
    slos: {
      freshnessHours: 24,
      frequency: 'daily' as const,
      completenessPercent: 99.5,
      availabilityPercent: 99.9,
    },
  };

  it('is a valid ODCS v3.1.0 contract with schema, SLOs, team and approvers', () => {
    const contract = buildProductContract(base);
    expect(validateDataContract(contract)).toEqual(
      expect.objectContaining({ valid: true }),
    );
    expect(
      contract.schema?.[0].properties?.map(p => [
        p.name,
        p.logicalType,
        p.partitioned ?? false,
      ]),
    ).toEqual([
      ['order_id', 'integer', false],
      ['total', 'number', false],
      ['tags', 'array', false],
      ['order_date', 'date', true],
    ]);
    expect(contract.slaProperties).toEqual([
      { property: 'latency', value: 24, unit: 'h', element: 'orders' },
      { property: 'frequency', value: 1, unit: 'd', element: 'orders' },
      { property: 'availability', value: 99.9, unit: '%' },
    ]);
    expect(contract.roles?.[0].firstLevelApprovers).toBe(
      'group:default/sales-approvers',
    );
    expect(contract.schema?.[0].quality?.map(q => q.name)).toEqual([
      'orders_row_count',
      'orders_completeness',
    ]);
  });

  it('is valid without SLOs or optional fields, and the owner approves by default', () => {
    const contract = buildProductContract({
      id: 'c1',
      productName: 'Bare',
      owner: 'group:default/sales-domain',
      server: {
        accountId: '222222222222',
        region: 'us-east-1',
        database: 'bare',
      },
      datasets: [{ name: 'bare', columns: [{ name: 'x' }] }],
    });
    expect(validateDataContract(contract)).toEqual(
      expect.objectContaining({ valid: true }),
    );
    expect(contract.slaProperties).toBeUndefined();
    expect(contract.roles?.[0].firstLevelApprovers).toBe(
      'group:default/sales-domain',
    );
  });

  it('makes stable ids', () => {
    expect(stableContractId('a', 'b')).toBe(stableContractId('a', 'b'));
    expect(stableContractId('a', 'b')).not.toBe(stableContractId('ab', ''));
    expect(stableContractId('a')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
