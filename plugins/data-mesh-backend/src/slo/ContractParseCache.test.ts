import { stringify } from 'yaml';
import { ContractParseCache } from './SloService';

const contract = (id: string) =>
  stringify({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id,
    version: '1.0.0',
    status: 'active',
    slaProperties: [{ property: 'latency', value: 4, unit: 'h' }],
  });

describe('ContractParseCache', () => {
  it('parses a definition once and returns the same result for the same text', () => {
    const cache = new ContractParseCache();
    const first = cache.parse(contract('a'));
    expect(first.valid).toBe(true);
    expect(cache.parse(contract('a'))).toBe(first);
    expect(cache.parse(contract('b'))).not.toBe(first);
    expect(cache.size).toBe(2);
  });

  it('keeps invalid results too, with their messages', () => {
    const cache = new ContractParseCache();
    const invalid = cache.parse('kind: DataContract\n');
    expect(invalid.valid).toBe(false);
    expect(cache.parse('kind: DataContract\n')).toBe(invalid);
  });

  it('is bounded: the oldest entry goes first', () => {
    const cache = new ContractParseCache(2);
    const a = cache.parse(contract('a'));
    cache.parse(contract('b'));
    cache.parse(contract('c'));
    expect(cache.size).toBe(2);
    expect(cache.parse(contract('a'))).not.toBe(a);
  });
});
