import fs from 'fs';
import path from 'path';
import { buildDatasetContract, findSchemaObject } from './datasetContract';
import { OdcsDataContract } from './types';
import {
  parseDataContract,
  validateDataContract,
} from './validateDataContract';

const productContract: OdcsDataContract = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'retail-orders',
  name: 'Retail orders',
  version: '2.0.0',
  status: 'active',
  domain: 'sales',
  team: { name: 'group:default/orders-team', members: [{ username: 'alice' }] },
  support: [{ channel: '#orders', tool: 'slack' }],
  roles: [
    {
      role: 'reader',
      access: 'read',
      firstLevelApprovers: 'group:default/orders-approvers',
    },
  ],
  servers: [
    {
      server: 'lake',
      type: 'glue',
      account: '111122223333',
      database: 'orders_db',
      location: 's3://orders/',
    },
  ],
  slaDefaultElement: 'orders.o_orderdate',
  slaProperties: [
    { property: 'frequency', value: 1, unit: 'd' },
    { property: 'latency', value: 4, unit: 'h', element: 'orders.o_orderdate' },
    {
      property: 'latency',
      value: 1,
      unit: 'd',
      element: 'lineitem.l_shipdate',
    },
    {
      property: 'retention',
      value: 3,
      unit: 'y',
      element: 'archive.created_at',
    },
  ],
  schema: [
    {
      name: 'Orders',
      physicalName: 'orders',
      properties: [{ name: 'o_orderkey', logicalType: 'integer' }],
      quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }],
    },
    {
      name: 'Line items',
      physicalName: 'lineitem',
      properties: [{ name: 'l_orderkey', logicalType: 'integer' }],
    },
  ],
};

describe('buildDatasetContract', () => {
  it("keeps the product's common sections and only the dataset's schema entry", () => {
    const contract = buildDatasetContract(productContract, 'lineitem')!;
    expect(contract.schema).toEqual([productContract.schema![1]]);
    for (const section of [
      'id',
      'name',
      'version',
      'status',
      'domain',
      'team',
      'support',
      'roles',
      'servers',
    ] as const) {
      expect(contract[section]).toEqual(productContract[section]);
    }
    expect(validateDataContract(contract).valid).toBe(true);
  });

  it('leaves out SLAs that concern only other datasets of the product', () => {
    const lineitem = buildDatasetContract(productContract, 'lineitem')!;
    expect(lineitem.slaProperties).toEqual([
      { property: 'frequency', value: 1, unit: 'd' },
      {
        property: 'latency',
        value: 1,
        unit: 'd',
        element: 'lineitem.l_shipdate',
      },
      {
        property: 'retention',
        value: 3,
        unit: 'y',
        element: 'archive.created_at',
      },
    ]);
    expect(lineitem.slaDefaultElement).toBeUndefined();

    const orders = buildDatasetContract(productContract, 'ORDERS')!;
    expect(orders.slaProperties?.map(sla => sla.element)).toEqual([
      undefined,
      'orders.o_orderdate',
      'archive.created_at',
    ]);
    expect(orders.slaDefaultElement).toBe('orders.o_orderdate');
    expect(orders.schema?.[0].quality).toEqual(
      productContract.schema![0].quality,
    );
  });

  it('finds the dataset by physical name, then name, then id', () => {
    expect(findSchemaObject(productContract, 'orders')?.name).toBe('Orders');
    expect(findSchemaObject(productContract, 'line items')?.physicalName).toBe(
      'lineitem',
    );
    expect(
      findSchemaObject(
        { ...productContract, schema: [{ id: 'obj_1', name: 'x' }] },
        'obj_1',
      )?.name,
    ).toBe('x');
  });

  it('returns undefined when the product contract has no entry for the dataset', () => {
    expect(buildDatasetContract(productContract, 'customer')).toBeUndefined();
    expect(
      buildDatasetContract({ ...productContract, schema: undefined }, 'orders'),
    ).toBeUndefined();
  });

  it('does not modify the product contract', () => {
    const before = JSON.stringify(productContract);
    const contract = buildDatasetContract(productContract, 'orders')!;
    contract.schema![0].properties!.push({ name: 'added' });
    contract.team = undefined;
    expect(JSON.stringify(productContract)).toBe(before);
  });

  it('gives a valid contract for every dataset of the upstream full example', () => {
    const text = fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../../../shared/data/odcs/full-example.odcs.yaml',
      ),
      'utf8',
    );
    const parsed = parseDataContract(text);
    if (!parsed.valid) throw new Error('full example should be valid');
    for (const object of parsed.contract.schema!) {
      const contract = buildDatasetContract(
        parsed.contract,
        object.physicalName ?? object.name,
      )!;
      expect(contract.schema).toHaveLength(1);
      expect(validateDataContract(contract)).toMatchObject({ valid: true });
    }
  });
});
