import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ARN,
  ANNOTATION_DATA_CONTRACT_SOURCE,
  ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS,
  ANNOTATION_DATAZONE_CONSUMERS,
  ANNOTATION_DATAZONE_STORAGE,
  DATA_CONTRACT_FORM_TYPE_NAME,
  dataMeshEntityName,
  parseDataContract,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { stringify } from 'yaml';
import { DataZoneSnapshot } from '../read/types';
import { mapSnapshotToEntities, MappingOptions } from './mapSnapshot';
import { MappingMemo } from './MappingMemo';

const D = 'dzd_test123';
const name = (kind: Parameters<typeof dataMeshEntityName>[0]['kind'], id: string, n?: string) =>
  dataMeshEntityName({ kind, id, name: n, domainId: D });

const productContract = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'c-1',
  name: 'Orders',
  version: '1.0.0',
  status: 'active',
  schema: [
    { name: 'orders', physicalName: 'orders', logicalType: 'object', properties: [{ name: 'id', logicalType: 'integer' }] },
    { name: 'lineitem', physicalName: 'lineitem', logicalType: 'object', properties: [{ name: 'qty', logicalType: 'integer' }] },
  ],
  slaProperties: [
    { property: 'latency', value: 4, unit: 'h', element: 'orders' },
    { property: 'latency', value: 8, unit: 'h', element: 'lineitem' },
  ],
};

function glueForms(table: string, db = 'sales_db') {
  return {
    GlueTableForm: {
      catalogId: '111122223333',
      region: 'eu-west-1',
      tableArn: `arn:aws:glue:eu-west-1:111122223333:table/${db}/${table}`,
      tableName: table,
      columns: [
        { columnName: 'id', dataType: 'bigint' },
        { columnName: 'amount', dataType: 'decimal(12,2)' },
      ],
    },
    AssetCommonDetailsForm: {
      customProperties: { databaseName: db, location: `s3://sales-bucket/${db}/${table}/` },
    },
  };
}

function snapshot(overrides: Partial<DataZoneSnapshot> = {}): DataZoneSnapshot {
  return {
    domain: {
      id: D,
      name: 'Retail Mesh',
      arn: `arn:aws:datazone:eu-west-1:111122223333:domain/${D}`,
      portalUrl: `https://${D}.datazone.eu-west-1.on.aws`,
      rootDomainUnitId: 'root',
    },
    domainUnits: [
      { id: 'root', name: 'Retail Mesh' },
      { id: 'u-sales', name: 'Sales', parentId: 'root' },
      { id: 'u-web', name: 'Web', parentId: 'u-sales' },
      { id: 'u-mkt', name: 'Marketing', parentId: 'root' },
    ],
    projects: [
      { id: 'p-sales', name: 'Sales team', domainUnitId: 'u-web', status: 'ACTIVE' },
      { id: 'p-mkt', name: 'Marketing team', domainUnitId: 'u-mkt', status: 'ACTIVE' },
    ],
    memberships: {
      'p-sales': [
        { userId: 'up-alice', designation: 'PROJECT_OWNER' },
        { userId: 'up-nobody', designation: 'PROJECT_CONTRIBUTOR' },
        { groupId: 'g-1', designation: 'PROJECT_CONTRIBUTOR' },
      ],
      'p-mkt': [{ userId: 'up-bob', designation: 'PROJECT_OWNER' }],
    },
    userProfiles: [
      { id: 'up-alice', email: 'alice@example.com' },
      { id: 'up-bob', email: 'bob@example.com' },
      { id: 'up-nobody', email: 'nobody@example.com' },
    ],
    dataProducts: [
      {
        listingId: 'l-prod',
        listingRevision: '1',
        dataProductId: 'dp-orders',
        name: 'Order history',
        description: 'Orders.',
        owningProjectId: 'p-sales',
        glossaryTerms: [{ name: 'Sales KPI' }],
        itemListingIds: ['l-orders', 'l-lineitem'],
        forms: { [DATA_CONTRACT_FORM_TYPE_NAME]: { contract: stringify(productContract) } },
        lifecycle: 'production',
      },
    ],
    assets: [
      {
        listingId: 'l-orders',
        listingRevision: '2',
        assetId: 'a-orders',
        assetType: 'amazon.datazone.GlueTableAssetType',
        name: 'orders',
        owningProjectId: 'p-sales',
        glossaryTerms: [],
        forms: glueForms('orders'),
        lifecycle: 'production',
      },
      {
        listingId: 'l-lineitem',
        listingRevision: '1',
        assetId: 'a-lineitem',
        assetType: 'amazon.datazone.GlueTableAssetType',
        name: 'lineitem',
        owningProjectId: 'p-sales',
        glossaryTerms: [],
        forms: glueForms('lineitem'),
        lifecycle: 'production',
      },
      {
        listingId: 'l-solo',
        listingRevision: '1',
        assetId: 'a-solo',
        assetType: 'amazon.datazone.GlueTableAssetType',
        name: 'campaigns',
        owningProjectId: 'p-mkt',
        glossaryTerms: [],
        forms: glueForms('campaigns', 'mkt_db'),
        lifecycle: 'production',
      },
    ],
    subscriptions: [
      { id: 's-1', listingId: 'l-prod', projectId: 'p-mkt' },
      { id: 's-2', listingId: 'l-orders', projectId: 'p-unknown' },
    ],
    ...overrides,
  };
}

const options: MappingOptions = {
  location: `datazone:eu-west-1/${D}`,
  region: 'eu-west-1',
  defaultOwner: 'group:default/platform',
  usersByEmail: new Map([
    ['alice@example.com', 'user:default/alice'],
    ['bob@example.com', 'user:default/bob'],
  ]),
  dataContractFormName: DATA_CONTRACT_FORM_TYPE_NAME,
};

function byRef(entities: Entity[]) {
  return new Map(entities.map(e => [stringifyEntityRef(e), e]));
}

describe('mapSnapshotToEntities', () => {
  it('maps the domain, units, projects, products, datasets and storage per the entity model', () => {
    const { entities, skipped } = mapSnapshotToEntities(snapshot(), options);
    const refs = byRef(entities);
    const domain = `domain:default/${name('domain', D, 'Retail Mesh')}`;
    const sales = `domain:default/${name('domain-unit', 'u-sales', 'Sales')}`;
    const web = `domain:default/${name('domain-unit', 'u-web', 'Web')}`;
    const salesTeam = `group:default/${name('project', 'p-sales', 'Sales team')}`;
    const mktTeam = `group:default/${name('project', 'p-mkt', 'Marketing team')}`;
    const system = `system:default/${name('data-product', 'dp-orders', 'Order history')}`;
    const orders = `api:default/${name('asset', 'a-orders', 'orders')}`;

    expect(refs.get(domain)?.spec).toEqual({ owner: 'group:default/platform' });
    expect(refs.get(sales)?.spec).toEqual({ owner: 'group:default/platform', subdomainOf: domain });
    expect(refs.get(web)?.spec?.subdomainOf).toBe(sales);

    expect(refs.get(salesTeam)?.spec).toEqual({
      type: 'data-team',
      profile: { displayName: 'Sales team' },
      children: [],
      members: ['user:default/alice'],
    });
    expect(refs.get(system)?.spec).toEqual({ type: 'data-product', owner: salesTeam, domain: web });
    expect(refs.get(system)?.metadata.tags).toEqual(['sales-kpi']);

    const api = refs.get(orders)!;
    expect(api.spec).toMatchObject({ type: 'dataset', lifecycle: 'production', owner: salesTeam, system });
    expect(api.metadata.annotations![ANNOTATION_AWS_ARN]).toBe(
      'arn:aws:glue:eu-west-1:111122223333:table/sales_db/orders',
    );
    expect(api.metadata.annotations![ANNOTATION_DATA_CONTRACT_SOURCE]).toBe('data-product');
    // The dataset's part of the product contract: its schema entry and its SLAs only.
    const contract = parseDataContract(api.spec!.definition as string);
    expect(contract.valid).toBe(true);
    expect(contract.valid && contract.contract.schema?.map(s => s.name)).toEqual(['orders']);
    expect(contract.valid && contract.contract.slaProperties).toEqual([
      { property: 'latency', value: 4, unit: 'h', element: 'orders' },
    ]);
    // The product subscription makes marketing a consumer of every dataset of the product.
    expect(api.metadata.annotations![ANNOTATION_DATAZONE_CONSUMERS]).toBe(mktTeam);
    const storage = api.metadata.annotations![ANNOTATION_DATAZONE_STORAGE].split(',');
    expect(storage).toHaveLength(2);
    for (const ref of storage) {
      expect(refs.get(ref)?.kind).toBe('Resource');
    }
    expect(entities.filter(e => e.kind === 'Resource').map(e => e.spec?.type).sort()).toEqual([
      'glue-database',
      'glue-database',
      's3-bucket',
    ]);
    for (const entity of entities) {
      expect(entity.metadata.annotations!['backstage.io/managed-by-location']).toBe(options.location);
      expect(entity.metadata.annotations!['data-mesh-portal.io/datazone-domain-id']).toBe(D);
    }
    expect(skipped).toEqual([
      { kind: 'subscription', id: 's-2', reason: 'subscribing project p-unknown is not in the catalog' },
    ]);
  });

  it('gives identical output for identical input, whatever the order DataZone returned', () => {
    const first = mapSnapshotToEntities(snapshot(), options);
    const s = snapshot();
    const shuffled = {
      ...s,
      assets: [...s.assets].reverse(),
      projects: [...s.projects].reverse(),
      userProfiles: [...s.userProfiles].reverse(),
    };
    const second = mapSnapshotToEntities(shuffled, options);
    expect(JSON.stringify(second.entities)).toBe(JSON.stringify(first.entities));
    expect(JSON.stringify(first.entities)).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('maps an unchanged mesh from memory, and a new listing revision afresh', () => {
    const memo = new MappingMemo();
    const plain = JSON.stringify(mapSnapshotToEntities(snapshot(), options).entities);

    const first = mapSnapshotToEntities(snapshot(), { ...options, memo });
    expect(memo.endRun()).toEqual({ hits: 0, misses: 4 }); // 1 product contract, 3 datasets
    const second = mapSnapshotToEntities(snapshot(), { ...options, memo });
    expect(memo.endRun()).toEqual({ hits: 4, misses: 0 });
    expect(JSON.stringify(first.entities)).toBe(plain);
    expect(JSON.stringify(second.entities)).toBe(plain);

    // The product republished with another contract: its datasets are mapped
    // again, the unrelated dataset still comes from memory.
    const changed = snapshot();
    changed.dataProducts[0].listingRevision = '2';
    changed.dataProducts[0].forms = {
      [DATA_CONTRACT_FORM_TYPE_NAME]: {
        contract: stringify({ ...productContract, version: '2.0.0' }),
      },
    };
    const third = mapSnapshotToEntities(changed, { ...options, memo });
    expect(memo.endRun()).toEqual({ hits: 1, misses: 3 });
    expect(JSON.stringify(third.entities)).toBe(
      JSON.stringify(mapSnapshotToEntities(changed, options).entities),
    );
    const orders = byRef(third.entities).get(`api:default/${name('asset', 'a-orders', 'orders')}`)!;
    expect(orders.spec!.definition).toContain("version: 2.0.0");
  });

  it('generates a contract from the schema form when the product has none', () => {
    const s = snapshot();
    s.dataProducts[0].forms = {};
    const { entities } = mapSnapshotToEntities(s, options);
    const api = byRef(entities).get(`api:default/${name('asset', 'a-orders', 'orders')}`)!;
    expect(api.metadata.annotations![ANNOTATION_DATA_CONTRACT_SOURCE]).toBe('generated');
    const contract = parseDataContract(api.spec!.definition as string);
    expect(contract.valid && contract.contract.schema?.[0].properties?.map(p => p.name)).toEqual(['id', 'amount']);
    expect(contract.valid && contract.contract.slaProperties).toBeUndefined();
  });

  it('keeps an invalid product contract with its validation message', () => {
    const s = snapshot();
    const broken = { ...productContract, status: undefined, kind: 'Contract' };
    s.dataProducts[0].forms = { [DATA_CONTRACT_FORM_TYPE_NAME]: { contract: stringify(broken) } };
    const { entities } = mapSnapshotToEntities(s, options);
    const api = byRef(entities).get(`api:default/${name('asset', 'a-orders', 'orders')}`)!;
    expect(api.spec!.definition).toContain('orders');
    expect(api.metadata.annotations![ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS]).toMatch(/status: is required/);
    expect(api.metadata.annotations![ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS]).toMatch(/kind/);

    s.dataProducts[0].forms = { [DATA_CONTRACT_FORM_TYPE_NAME]: { contract: 'a: [unclosed' } };
    const notYaml = byRef(mapSnapshotToEntities(s, options).entities).get(
      `api:default/${name('asset', 'a-orders', 'orders')}`,
    )!;
    expect(notYaml.spec!.definition).toBe('a: [unclosed');
    expect(notYaml.metadata.annotations![ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS]).toMatch(/not valid YAML/);
  });

  it('skips malformed items with a reason naming them, and keeps the rest', () => {
    const s = snapshot();
    s.assets.push(
      { assetId: 'a-noname', listingId: 'l-x', assetType: 'amazon.datazone.GlueTableAssetType', glossaryTerms: [], lifecycle: 'production' },
      { assetId: 'a-weird', listingId: 'l-y', name: 'weird', assetType: 'acme.CustomType', owningProjectId: 'p-sales', glossaryTerms: [], lifecycle: 'production' },
      { assetId: 'a-orphan', listingId: 'l-z', name: 'orphan', assetType: 'amazon.datazone.GlueTableAssetType', owningProjectId: 'p-gone', glossaryTerms: [], lifecycle: 'production' },
      { assetId: 'a-badforms', listingId: 'l-w', name: 'bad', assetType: 'amazon.datazone.GlueTableAssetType', owningProjectId: 'p-sales', glossaryTerms: [], formsError: 'the listing forms are not JSON: x', lifecycle: 'production' },
      { assetId: 'a-Ünïcode', listingId: 'l-u', name: '  Ünïcode / Table!! ', assetType: 'amazon.datazone.GlueTableAssetType', owningProjectId: 'p-sales', glossaryTerms: [], lifecycle: 'production' },
    );
    const { entities, skipped } = mapSnapshotToEntities(s, options);
    expect(skipped.filter(i => i.kind === 'asset')).toEqual([
      { kind: 'asset', id: 'a-badforms', name: 'bad', reason: 'the listing forms are not JSON: x' },
      { kind: 'asset', id: 'a-noname', name: undefined, reason: 'the listing lacks its asset id, listing id or name' },
      { kind: 'asset', id: 'a-orphan', name: 'orphan', reason: 'owning project p-gone not found' },
      { kind: 'asset', id: 'a-weird', name: 'weird', reason: 'asset type acme.CustomType is not synced (see additionalAssetTypes)' },
    ]);
    // A name that is not a valid entity name is turned into one; the title keeps it.
    const odd = entities.find(e => e.metadata.title === '  Ünïcode / Table!! ')!;
    expect(odd.metadata.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(mapSnapshotToEntities(s, { ...options, additionalAssetTypes: ['acme.CustomType'] }).entities.some(e => e.metadata.title === 'weird')).toBe(true);
  });

  it('maps a project onto an existing group by config, without a data-team group', () => {
    const { entities } = mapSnapshotToEntities(snapshot(), {
      ...options,
      projectOwners: { 'Sales team': 'group:default/sales' },
    });
    expect(entities.some(e => e.metadata.title === 'Sales team')).toBe(false);
    const system = entities.find(e => e.kind === 'System')!;
    expect(system.spec?.owner).toBe('group:default/sales');
  });

  it('applies the domain unit, project and glossary term filters', () => {
    const byUnit = mapSnapshotToEntities(snapshot(), { ...options, filters: { domainUnits: ['sales'] } });
    expect(byUnit.entities.map(e => e.metadata.title).sort()).toEqual(
      ['Order history', 'Retail Mesh', 'Sales', 'Sales team', 'Web', 'lineitem', 'orders', 'mkt_db', 'sales-bucket', 'sales_db'].filter(t => t !== 'mkt_db').sort(),
    );
    const byProject = mapSnapshotToEntities(snapshot(), { ...options, filters: { projects: ['p-mkt'] } });
    expect(byProject.entities.filter(e => e.kind === 'API').map(e => e.metadata.title)).toEqual(['campaigns']);
    const byTerm = mapSnapshotToEntities(snapshot(), { ...options, filters: { glossaryTerms: ['sales kpi'] } });
    expect(byTerm.entities.filter(e => e.kind === 'API').map(e => e.metadata.title).sort()).toEqual(['lineitem', 'orders']);
  });

  it('emits only products, datasets and storage for a product sync', () => {
    const { entities } = mapSnapshotToEntities(snapshot(), { ...options, productsOnly: true });
    expect([...new Set(entities.map(e => e.kind))].sort()).toEqual(['API', 'Resource', 'System']);
  });
});
