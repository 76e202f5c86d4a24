/**
 * @jest-environment @backstage/cli-module-test-jest/config/jest-environment-jsdom
 */

// This package is also used by the frontend: check the parts with the most
// runtime needs (BigInt hashing, Ajv code generation, YAML) in the jsdom
// environment @backstage/cli gives frontend packages.
import {
  buildDatasetContract,
  dataMeshEntityName,
  generateDataContract,
  parseDataContract,
} from './index';

describe('in a browser-like environment', () => {
  it('names entities exactly as in Node', () => {
    expect(typeof window).toBe('object');
    expect(
      dataMeshEntityName({
        kind: 'data-product',
        domainId: 'dzd_4p9n6sw4qt9xgn',
        id: 'dp_5bd1fvd3vtg6pz',
        name: 'Customer Orders (Curated)',
      }),
    ).toBe('customer-orders-curated-fe49ih547j');
  });

  it('parses, validates and splits contracts', () => {
    const generated = generateDataContract({
      id: 'a1',
      datasetName: 'orders',
      columns: [{ name: 'o_orderkey', type: 'bigint' }],
    });
    const parsed = parseDataContract(JSON.stringify(generated));
    expect(parsed.valid).toBe(true);
    expect(buildDatasetContract(generated, 'orders')?.schema).toHaveLength(1);
    expect(parseDataContract('id: [').valid).toBe(false);
  });
});
