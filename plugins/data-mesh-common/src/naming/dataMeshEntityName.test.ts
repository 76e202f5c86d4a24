import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import {
  DataMeshEntityNameInput,
  DataMeshObjectKind,
  dataMeshEntityName,
} from './dataMeshEntityName';
import { stableHash } from './stableHash';

// Deterministic pseudo-random generator (mulberry32) so failures reproduce.
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABETS = [
  'abcdefghijklmnopqrstuvwxyz',
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ' _-./:@#%&()[]{}!?\'"\\\t\n',
  'éèêëàâäôöûüçñßøåæœÉÀÇ',
  '注文顧客売上データ製品',
  'Данныепродукт',
  'ﾃﾞｰﾀＡＢＣ１２３',
  '😀🚀📦\u0301\u200b\ufeff',
];

function randomText(random: () => number, maxLength: number): string {
  const length = Math.floor(random() * maxLength);
  let text = '';
  for (let i = 0; i < length; i++) {
    const alphabet = Array.from(
      ALPHABETS[Math.floor(random() * ALPHABETS.length)],
    );
    text += alphabet[Math.floor(random() * alphabet.length)];
  }
  return text;
}

const KINDS: DataMeshObjectKind[] = [
  'domain',
  'domain-unit',
  'project',
  'data-product',
  'asset',
];

function isValidEntityName(name: string) {
  return KubernetesValidatorFunctions.isValidObjectName(name);
}

describe('dataMeshEntityName', () => {
  it('puts a slug of the human name first and a short hash last', () => {
    const name = dataMeshEntityName({
      kind: 'data-product',
      domainId: 'dzd_4p9n6sw4qt9xgn',
      id: 'dp_5bd1fvd3vtg6pz',
      name: 'Customer Orders (Curated)',
    });
    // Pinned: a change here renames every entity in every installed catalog.
    expect(name).toBe('customer-orders-curated-fe49ih547j');
  });

  it('folds accents and compatibility characters into ASCII', () => {
    const name = dataMeshEntityName({
      kind: 'project',
      domainId: 'dzd_1',
      id: 'prj_1',
      name: 'Données Clients ＡＢＣ',
    });
    expect(name.startsWith('donnees-clients-abc-')).toBe(true);
  });

  it('falls back to the id, then the kind, when the name has no usable characters', () => {
    expect(
      dataMeshEntityName({
        kind: 'asset',
        domainId: 'dzd_1',
        id: 'asset_7X',
        name: '注文',
      }),
    ).toMatch(/^asset-7x-[0-9a-v]{10}$/);
    expect(
      dataMeshEntityName({
        kind: 'asset',
        domainId: 'dzd_1',
        id: '注文',
        name: '😀',
      }),
    ).toMatch(/^asset-[0-9a-v]{10}$/);
  });

  it('gives the same human name different entity names in different domains, kinds and accounts', () => {
    const base = { id: 'orders', name: 'Orders' };
    const names = new Set([
      dataMeshEntityName({ ...base, kind: 'data-product', domainId: 'dzd_a' }),
      dataMeshEntityName({ ...base, kind: 'data-product', domainId: 'dzd_b' }),
      dataMeshEntityName({ ...base, kind: 'asset', domainId: 'dzd_a' }),
      dataMeshEntityName({
        ...base,
        kind: 'glue-database',
        accountId: '111111111111',
        region: 'eu-west-1',
      }),
      dataMeshEntityName({
        ...base,
        kind: 'glue-database',
        accountId: '222222222222',
        region: 'eu-west-1',
      }),
      dataMeshEntityName({
        ...base,
        kind: 'glue-database',
        accountId: '111111111111',
        region: 'us-east-1',
      }),
      dataMeshEntityName({ ...base, kind: 's3-bucket' }),
    ]);
    expect(names.size).toBe(7);
  });

  it('keeps the hash apart from the human name, so a rename changes only the slug', () => {
    const before = dataMeshEntityName({
      kind: 'data-product',
      domainId: 'dzd_1',
      id: 'dp_1',
      name: 'Orders',
    });
    const after = dataMeshEntityName({
      kind: 'data-product',
      domainId: 'dzd_1',
      id: 'dp_1',
      name: 'Orders v2',
    });
    expect(before.slice(-10)).toBe(after.slice(-10));
    expect(before).not.toBe(after);
  });

  it('does not let field boundaries shift identities', () => {
    expect(
      dataMeshEntityName({
        kind: 'asset',
        domainId: 'dzd_a',
        id: 'bc',
        name: 'x',
      }),
    ).not.toBe(
      dataMeshEntityName({
        kind: 'asset',
        domainId: 'dzd_ab',
        id: 'c',
        name: 'x',
      }),
    );
  });

  it('rejects input that has no identity', () => {
    expect(() =>
      dataMeshEntityName({ kind: 'asset', domainId: 'dzd_1', id: '' }),
    ).toThrow(/non-empty id/);
    expect(() =>
      dataMeshEntityName({ kind: 'data-product', id: 'dp_1' }),
    ).toThrow(/domain id/);
  });

  it('truncates long names to 63 characters and stays unique when the readable part is equal', () => {
    const longName =
      'Quarterly Revenue By Region And Sales Channel Including Returns And Adjustments';
    const first = dataMeshEntityName({
      kind: 'asset',
      domainId: 'dzd_1',
      id: 'a1',
      name: `${longName} A`,
    });
    const second = dataMeshEntityName({
      kind: 'asset',
      domainId: 'dzd_1',
      id: 'a2',
      name: `${longName} B`,
    });
    expect(first.length).toBeLessThanOrEqual(63);
    expect(first.slice(0, -11)).toBe(second.slice(0, -11));
    expect(first).not.toBe(second);
    expect(isValidEntityName(first)).toBe(true);
  });

  it('property: random, unicode and long names always give valid, deterministic, distinct names', () => {
    const random = seededRandom(20261121);
    const identityByName = new Map<string, string>();
    const identities = new Set<string>();
    const commonNames = ['Orders', 'orders', 'ORDERS ', 'Customer', ''];

    for (let i = 0; i < 20000; i++) {
      const kind = KINDS[Math.floor(random() * KINDS.length)];
      const input: DataMeshEntityNameInput = {
        kind,
        // Few domains and ids drawn from a small space, so equal ids recur
        // across domains and kinds.
        domainId: `dzd_${Math.floor(random() * 5)}`,
        id:
          random() < 0.5
            ? `id_${Math.floor(random() * 3000)}`
            : randomText(random, 40).trim() || 'x',
        // Often a very common human name, to force equal readable parts.
        name:
          random() < 0.4
            ? commonNames[Math.floor(random() * commonNames.length)]
            : randomText(random, 120),
      };

      const name = dataMeshEntityName(input);
      expect(isValidEntityName(name)).toBe(true);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toBe(name.toLowerCase());
      expect(dataMeshEntityName({ ...input })).toBe(name);

      // Equal entity names only ever come from the same DataZone object.
      const identity = JSON.stringify([input.kind, input.domainId, input.id]);
      identities.add(identity);
      const earlier = identityByName.get(name);
      if (earlier !== undefined && earlier !== identity) {
        throw new Error(`${name} names both ${earlier} and ${identity}`);
      }
      identityByName.set(name, identity);
    }
    // The generator really did produce many distinct objects and shared names.
    expect(identities.size).toBeGreaterThan(10000);
    const slugs = new Set([...identityByName.keys()].map(n => n.slice(0, -11)));
    expect(slugs.size).toBeLessThan(identityByName.size);
  });
});

describe('stableHash', () => {
  it('is deterministic and fixed across releases', () => {
    // A pinned value: changing the hash renames every entity in every catalog.
    expect(
      stableHash('data-product\u0000dzd_1\u0000\u0000\u0000dp_1', 10),
    ).toBe('b57mg1i98g');
    // Hashes UTF-8 like TextEncoder: a lone surrogate counts as U+FFFD.
    expect(stableHash('a\ud800b', 12)).toBe(stableHash('a\ufffdb', 12));
    expect(stableHash('注文 😀', 12)).not.toBe(stableHash('注文 😁', 12));
    expect(stableHash('', 10)).toMatch(/^[0-9a-v]{10}$/);
  });

  it('spreads inputs that differ only in their last character', () => {
    const hashes = new Set(
      Array.from({ length: 1000 }, (_, i) => stableHash(`prod_${i}`, 4)),
    );
    // 1000 values in 32^4 (about a million) buckets: a good hash gives almost
    // no collisions even at 4 characters.
    expect(hashes.size).toBeGreaterThan(990);
  });

  it('rejects lengths it cannot produce', () => {
    expect(() => stableHash('x', 0)).toThrow(RangeError);
    expect(() => stableHash('x', 13)).toThrow(RangeError);
  });
});
