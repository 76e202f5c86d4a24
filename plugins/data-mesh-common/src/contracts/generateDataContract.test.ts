import {
  generateDataContract,
  isGeneratedDataContract,
  logicalTypeOf,
} from './generateDataContract';
import { validateDataContract } from './validateDataContract';

describe('generateDataContract', () => {
  const contract = generateDataContract({
    id: 'asset_123',
    datasetName: 'orders',
    domain: 'sales',
    columns: [
      { name: 'o_orderkey', type: 'bigint', description: 'Order key' },
      { name: 'o_totalprice', type: 'decimal(12,2)' },
      { name: 'o_orderdate', type: 'date' },
      { name: 'o_comment', type: 'varchar(79)' },
      { name: 'tags', type: 'array<string>' },
      { name: 'details', type: 'struct<a:int>' },
      { name: 'geometry', type: 'geography' },
      { name: 'no_type' },
      { name: '' },
      { name: 'region', type: 'string', partitioned: true },
      { name: 'day', type: 'string', partitioned: true },
    ],
  });

  it('is a valid ODCS contract without SLAs', () => {
    expect(validateDataContract(contract)).toMatchObject({ valid: true });
    expect(contract.slaProperties).toBeUndefined();
    expect(isGeneratedDataContract(contract)).toBe(true);
    expect(contract).toMatchObject({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'asset_123',
      name: 'orders',
      version: '1.0.0',
      status: 'active',
      domain: 'sales',
    });
  });

  it('describes the columns with logical and physical types', () => {
    const properties = contract.schema![0].properties!;
    expect(
      properties.map(p => [p.name, p.logicalType, p.physicalType]),
    ).toEqual([
      ['o_orderkey', 'integer', 'bigint'],
      ['o_totalprice', 'number', 'decimal(12,2)'],
      ['o_orderdate', 'date', 'date'],
      ['o_comment', 'string', 'varchar(79)'],
      ['tags', 'array', 'array<string>'],
      ['details', 'object', 'struct<a:int>'],
      ['geometry', undefined, 'geography'],
      ['no_type', undefined, undefined],
      ['region', 'string', 'string'],
      ['day', 'string', 'string'],
    ]);
    expect(properties[0].description).toBe('Order key');
    expect(
      properties.filter(p => p.partitioned).map(p => p.partitionKeyPosition),
    ).toEqual([1, 2]);
  });

  it('is valid for an asset with no columns too', () => {
    expect(
      validateDataContract(
        generateDataContract({ id: 'a', datasetName: 't', columns: [] }),
      ),
    ).toMatchObject({ valid: true });
  });

  it('does not mistake a product contract for a generated one', () => {
    expect(
      isGeneratedDataContract({ ...contract, customProperties: undefined }),
    ).toBe(false);
  });
});

describe('logicalTypeOf', () => {
  it.each([
    ['INT', 'integer'],
    ['timestamp with time zone', 'timestamp'],
    ['time', 'time'],
    ['double precision', 'number'],
    ['boolean', 'boolean'],
    ['map<string,int>', 'object'],
    ['interval', undefined],
    [undefined, undefined],
  ])('%s → %s', (physical, logical) => {
    expect(logicalTypeOf(physical)).toBe(logical);
  });
});
