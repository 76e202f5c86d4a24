import fs from 'fs';
import path from 'path';
import { stringifyDataContract as stringify } from './contractText';
import {
  formatDataContractErrors,
  parseDataContract,
  validateDataContract,
} from './validateDataContract';

// The upstream ODCS examples live in the shared reference data beside the
// repository (../shared/data/odcs).
const EXAMPLES_DIR = path.resolve(__dirname, '../../../../../shared/data/odcs');
const exampleFiles = fs.existsSync(EXAMPLES_DIR)
  ? fs.readdirSync(EXAMPLES_DIR).filter(file => file.endsWith('.odcs.yaml'))
  : [];

const minimalContract = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'orders-contract',
  version: '1.0.0',
  status: 'active',
};

function errorsOf(result: ReturnType<typeof validateDataContract>) {
  if (result.valid) {
    throw new Error('expected an invalid contract');
  }
  return result.errors;
}

describe('upstream ODCS examples', () => {
  it('are all present (so the loop below cannot pass vacuously)', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(10);
  });

  it.each(exampleFiles)('%s is valid', file => {
    const text = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
    const result = parseDataContract(text);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.valid && result.contract.kind).toBe('DataContract');
  });

  it('the full example keeps its typed sections', () => {
    const text = fs.readFileSync(
      path.join(EXAMPLES_DIR, 'full-example.odcs.yaml'),
      'utf8',
    );
    const result = parseDataContract(text);
    if (!result.valid) throw new Error('full example should be valid');
    expect(result.contract.schema?.map(object => object.name)).toEqual([
      'tbl',
      'receivers',
    ]);
    expect(result.contract.slaProperties?.[0]).toMatchObject({
      property: 'latency',
      value: 4,
      unit: 'd',
    });
    // YAML 1.2: dates stay strings, as the schema expects.
    expect(result.contract.contractCreatedTs).toBe('2022-11-15T02:59:43+00:00');
  });
});

describe('the bundled schema', () => {
  it('is the upstream ODCS v3.1.0 JSON Schema, unmodified', () => {
    const upstream = JSON.parse(
      fs.readFileSync(
        path.join(EXAMPLES_DIR, 'odcs-json-schema-v3.1.0.json'),
        'utf8',
      ),
    );
    const bundled = JSON.parse(
      fs.readFileSync(
        path.join(__dirname, 'schema/odcs-json-schema-v3.1.0.json'),
        'utf8',
      ),
    );
    expect(bundled).toEqual(upstream);
    expect(bundled.$schema).toBe(
      'https://json-schema.org/draft/2019-09/schema',
    );
  });
});

describe('validateDataContract', () => {
  it('accepts the minimal fundamentals', () => {
    expect(validateDataContract(minimalContract)).toEqual({
      valid: true,
      contract: minimalContract,
    });
  });

  it('names each missing required field', () => {
    const { id, status, ...withoutIdAndStatus } = minimalContract;
    expect(errorsOf(validateDataContract(withoutIdAndStatus))).toEqual([
      { path: 'id', message: 'is required' },
      { path: 'status', message: 'is required' },
    ]);
  });

  it('points into nested schema objects and properties', () => {
    const errors = errorsOf(
      validateDataContract({
        ...minimalContract,
        schema: [
          {
            name: 'orders',
            properties: [
              { name: 'o_orderkey', logicalType: 'int' },
              { physicalType: 'varchar' },
            ],
          },
        ],
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        {
          path: 'schema[0].properties[0].logicalType',
          message: expect.stringMatching(
            /^must be one of: "string", .*"integer"/,
          ),
        },
        { path: 'schema[0].properties[1].name', message: 'is required' },
      ]),
    );
  });

  it('reports unknown fields where ODCS forbids them', () => {
    expect(
      errorsOf(validateDataContract({ ...minimalContract, owner: 'me' })),
    ).toEqual([
      { path: 'owner', message: 'is not a field ODCS v3.1.0 allows here' },
    ]);
    expect(
      errorsOf(
        validateDataContract({
          ...minimalContract,
          schema: [{ name: 'orders', columns: [] }],
        }),
      ),
    ).toEqual([
      {
        path: 'schema[0].columns',
        message: 'is not a field ODCS v3.1.0 allows here',
      },
    ]);
  });

  it('checks SLA properties, enums and formats', () => {
    const errors = errorsOf(
      validateDataContract({
        ...minimalContract,
        kind: 'Contract',
        slaProperties: [{ property: 'latency' }],
        team: { members: [{ username: 'a', dateIn: 'yesterday' }] },
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'kind', message: 'must be one of: "DataContract"' },
        { path: 'slaProperties[0].value', message: 'is required' },
        {
          path: 'team.members[0].dateIn',
          message: 'must match format "date"',
        },
      ]),
    );
  });

  it('summarises alternatives instead of listing every failed branch', () => {
    const errors = errorsOf(
      validateDataContract({
        ...minimalContract,
        team: 'data-platform',
        schema: [
          {
            name: 'orders',
            quality: [
              { metric: 'rowCount', mustBeGreaterThan: 'many' },
              { type: 'sql', query: 'select count(*) from orders' },
            ],
          },
        ],
      }),
    );
    expect(errors).toEqual([
      {
        path: 'schema[0].quality[0].mustBeGreaterThan',
        message: 'must be number',
      },
      {
        path: 'schema[0].quality[1]',
        message: expect.stringMatching(
          /^needs one of: mustBe, mustNotBe, mustBeGreaterThan/,
        ),
      },
      { path: 'team', message: 'must be object or array' },
    ]);
  });

  it('never throws on values that are not contracts', () => {
    for (const value of [
      undefined,
      null,
      42,
      'text',
      [],
      [minimalContract],
      true,
    ]) {
      const result = validateDataContract(value);
      expect(result.valid).toBe(false);
      expect(errorsOf(result).length).toBeGreaterThan(0);
      expect(errorsOf(result)[0].path).toBe('(root)');
    }
  });
});

describe('parseDataContract', () => {
  it('reads YAML and JSON alike', () => {
    expect(parseDataContract(stringify(minimalContract)).valid).toBe(true);
    expect(parseDataContract(JSON.stringify(minimalContract)).valid).toBe(true);
  });

  it('reports syntax errors instead of throwing', () => {
    const errors = errorsOf(
      parseDataContract('kind: DataContract\n  id: [oops'),
    );
    expect(errors[0].path).toBe('(root)');
    expect(errors[0].message).toMatch(/^not valid YAML or JSON: /);
  });

  it('reports empty text, several documents and non-text input', () => {
    expect(errorsOf(parseDataContract(''))[0].message).toBe(
      'the data contract is empty',
    );
    expect(
      errorsOf(
        parseDataContract(
          `${stringify(minimalContract)}---\n${stringify(minimalContract)}`,
        ),
      )[0].message,
    ).toMatch(/not valid YAML or JSON/);
    expect(
      errorsOf(parseDataContract(42 as unknown as string))[0].message,
    ).toBe('the data contract must be text');
  });

  it('refuses alias bombs without hanging', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 9 }, (_, i) => {
        const previous = String.fromCharCode(97 + i);
        const next = String.fromCharCode(98 + i);
        return `${next}: &${next} [*${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}]`;
      }),
    ].join('\n');
    const result = parseDataContract(bomb);
    expect(result.valid).toBe(false);
  });

  it('keeps a YAML number where the schema wants text, and says so', () => {
    const errors = errorsOf(
      parseDataContract(stringify({ ...minimalContract, version: 1.1 })),
    );
    expect(errors).toEqual([{ path: 'version', message: 'must be string' }]);
  });
});

describe('formatDataContractErrors', () => {
  it('gives one line per problem', () => {
    expect(
      formatDataContractErrors([
        { path: 'id', message: 'is required' },
        { path: 'schema[0].name', message: 'is required' },
      ]),
    ).toBe('id: is required\nschema[0].name: is required');
  });
});
