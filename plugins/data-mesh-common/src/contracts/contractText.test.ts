import { loadContractDocument, stringifyDataContract } from './contractText';

describe('stringifyDataContract', () => {
  it('writes text that reads back as the same data, quoting strings that look like other types', () => {
    const contract = {
      apiVersion: 'v3.1.0',
      id: '0123',
      version: '1.0',
      servers: [
        { server: 'glue', account: '222222222222', environment: 'null' },
      ],
      description: {
        purpose: 'Line one.\nLine two: with a colon.',
        usage: 'true',
      },
      contractCreatedTs: '2024-01-01',
      slaProperties: [{ property: 'latency', value: 24, unit: 'h' }],
      tags: ['#sales', 'yes', '- dash', ''],
    };
    const text = stringifyDataContract(contract);
    expect(loadContractDocument(text)).toEqual({
      ok: true,
      document: contract,
    });
    expect(text).toContain("account: '222222222222'");
    expect(text).toContain('value: 24\n');
  });

  it('never writes anchors for repeated objects', () => {
    const shared = { name: 'id' };
    expect(stringifyDataContract({ a: shared, b: shared })).not.toMatch(/[&*]/);
  });
});

describe('loadContractDocument', () => {
  it('keeps dates as strings (YAML 1.2 core schema)', () => {
    expect(loadContractDocument('contractCreatedTs: 2024-01-01\n')).toEqual({
      ok: true,
      document: { contractCreatedTs: '2024-01-01' },
    });
  });

  it('reports syntax errors, duplicate keys and several documents with a line number', () => {
    for (const text of ['a: [oops\n', 'a: 1\na: 2\n', 'a: 1\n---\na: 2\n']) {
      const result = loadContractDocument(text);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(/^not valid YAML or JSON: /);
    }
    const duplicate = loadContractDocument('kind: DataContract\nkind: Other\n');
    expect(!duplicate.ok && duplicate.message).toMatch(
      /duplicated mapping key \(2:1\)/,
    );
  });

  it('refuses documents whose aliases expand beyond a million values', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 7; i++) {
      const previous = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      levels.push(
        `${next}: &${next} [${Array(10).fill(`*${previous}`).join(', ')}]`,
      );
    }
    // g alone expands to 10^7 x's.
    const result = loadContractDocument(levels.join('\n'));
    expect(result).toEqual({
      ok: false,
      message:
        'not valid YAML or JSON: its aliases expand to more than 1,000,000 values',
    });
    // A few aliases are fine.
    expect(loadContractDocument(levels.slice(0, 3).join('\n')).ok).toBe(true);
  });
});
