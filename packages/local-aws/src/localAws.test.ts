import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Ajv2019 from 'ajv/dist/2019';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import * as dz from '@aws-sdk/client-datazone';
import { GetTablesCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  GetBucketEncryptionCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from './testing';
import { assumeRole } from './seed/clients';
import {
  DATA_CONTRACT_FORM_TYPE_NAME,
  readDataContractFormContent,
} from './seed/formTypes';
import { PRODUCER_ROLE_ARN } from './accounts';
import {
  assertNoWireProblems,
  checkedDataZoneClient,
} from './datazone/testing/checkedClient';

jest.setTimeout(120_000);

const exec = promisify(execFile);
const repoRoot = resolve(__dirname, '..', '..', '..');
const odcsSchemaPath = resolve(
  repoRoot,
  '..',
  'shared',
  'data',
  'odcs',
  'odcs-json-schema-v3.1.0.json',
);

let local: LocalAws;
let dataDir: string;
let checked: ReturnType<typeof checkedDataZoneClient>;
let client: dz.DataZoneClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-aws-demo-'));
  local = await startLocalAws({ dataDir });
  checked = checkedDataZoneClient(local.clientConfig());
  client = checked.client;
});

afterAll(async () => {
  client.destroy();
  await local.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => assertNoWireProblems(checked));

async function allListings(domainId: string) {
  const items: dz.SearchResultItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new dz.SearchListingsCommand({
        domainIdentifier: domainId,
        maxResults: 50,
        nextToken,
        additionalAttributes: ['FORMS'],
      }),
    );
    items.push(...page.items!);
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}

describe('the seeded demo mesh', () => {
  it('has the demo people as user profiles, matched by email to catalog/demo-org.yaml', async () => {
    const org = parseAllDocuments(
      readFileSync(join(repoRoot, 'catalog', 'demo-org.yaml'), 'utf8'),
    ).map(d => d.toJSON());
    const users = org.filter(e => e.kind === 'User');
    for (const user of users) {
      const profile = await client.send(
        new dz.GetUserProfileCommand({
          domainIdentifier: local.domainId!,
          userIdentifier: user.spec.profile.email,
        }),
      );
      expect(profile.details?.sso?.username).toBe(user.spec.profile.email);
    }
    expect(users.map((u: any) => u.metadata.name).sort()).toEqual([
      'alice',
      'bob',
      'carol',
      'dan',
    ]);
  });

  it('has projects per team whose owners match the demo people', async () => {
    const demo = local.demo!;
    const owners = async (projectId: string) => {
      const members = await client.send(
        new dz.ListProjectMembershipsCommand({
          domainIdentifier: demo.domainId,
          projectIdentifier: projectId,
        }),
      );
      return members
        .members!.filter(m => m.designation === 'PROJECT_OWNER')
        .map(m => m.memberDetails!.user!.userId);
    };
    expect(await owners(demo.projects.sales.id)).toContain(
      demo.people.alice.userProfileId,
    );
    expect(await owners(demo.projects.supplyChain.id)).toContain(
      demo.people.dan.userProfileId,
    );
    expect(await owners(demo.projects.marketing.id)).toContain(
      demo.people.bob.userProfileId,
    );
    expect(await owners(demo.projects.platform.id)).toContain(
      demo.people.carol.userProfileId,
    );
    expect(await owners(demo.projects.sales.id)).not.toContain(
      demo.people.bob.userProfileId,
    );
    const units = await client.send(
      new dz.ListDomainUnitsForParentCommand({
        domainIdentifier: demo.domainId,
        parentDomainUnitIdentifier: demo.rootDomainUnitId,
      }),
    );
    expect(units.items!.map(u => u.name).sort()).toEqual([
      'Customer',
      'Marketing',
      'Sales',
      'Supply Chain',
    ]);
    const project = await client.send(
      new dz.GetProjectCommand({
        domainIdentifier: demo.domainId,
        identifier: demo.projects.supplyChain.id,
      }),
    );
    expect(project.domainUnitId).toBe(demo.domainUnits.supplyChain);
  });

  it('publishes products in different states with TPC-H and TPC-DS schemas', async () => {
    const demo = local.demo!;
    const states = Object.fromEntries(
      demo.dataProducts.map(p => [p.name, p.state]),
    );
    expect(states).toMatchObject({
      'Order history': 'published',
      'Catalog sales': 'deprecated',
      'Campaign effectiveness': 'unpublished',
    });
    const listings = await allListings(demo.domainId);
    const listedProducts = listings
      .filter(l => l.dataProductListing)
      .map(l => l.dataProductListing!.name);
    expect(listedProducts).toContain('Order history');
    expect(listedProducts).not.toContain('Catalog sales');
    expect(listedProducts).not.toContain('Campaign effectiveness');
    const orders = listings.find(l => l.assetListing?.name === 'orders')!
      .assetListing!;
    const forms = JSON.parse(orders.additionalAttributes!.forms!);
    expect(forms.GlueTableForm.columns.map((c: any) => c.columnName)).toEqual([
      'o_orderkey',
      'o_custkey',
      'o_orderstatus',
      'o_totalprice',
      'o_orderdate',
      'o_orderpriority',
      'o_clerk',
      'o_shippriority',
      'o_comment',
    ]);
    const storeSales = listings.find(
      l => l.assetListing?.name === 'store_sales',
    )!.assetListing!;
    expect(
      JSON.parse(storeSales.additionalAttributes!.forms!).GlueTableForm.columns,
    ).toHaveLength(23);
    // The unpublished product is still in its project's inventory.
    const inventory = await client.send(
      new dz.SearchCommand({
        domainIdentifier: demo.domainId,
        searchScope: 'DATA_PRODUCT',
        searchText: 'Campaign effectiveness',
      }),
    );
    expect(inventory.items!.map(i => i.dataProductItem?.name)).toEqual([
      'Campaign effectiveness',
    ]);
  });

  it('attaches a valid ODCS v3.1.0 contract to every data product', async () => {
    const ajv = new Ajv2019({
      strict: false,
      allErrors: true,
      validateFormats: false,
    });
    const validate = ajv.compile(
      JSON.parse(readFileSync(odcsSchemaPath, 'utf8')),
    );
    for (const product of local.demo!.dataProducts) {
      const got = await client.send(
        new dz.GetDataProductCommand({
          domainIdentifier: local.domainId!,
          identifier: product.id,
        }),
      );
      const form = got.formsOutput!.find(
        f => f.formName === DATA_CONTRACT_FORM_TYPE_NAME,
      )!;
      // Read the way the catalog provider reads it.
      const yaml = readDataContractFormContent(form.content);
      expect(yaml).toBeDefined();
      const contract = parseYaml(yaml!);
      expect({
        product: product.name,
        errors: validate(contract) ? [] : validate.errors,
      }).toEqual({ product: product.name, errors: [] });
      expect(contract.slaProperties.length).toBeGreaterThan(0);
      expect(contract.schema.map((s: any) => s.name)).toEqual(
        product.assets.map(a => a.table),
      );
      expect(contract.roles[0].firstLevelApprovers).toMatch(/^group:default\//);
      expect(contract.status).toBe(
        { published: 'active', unpublished: 'draft', deprecated: 'deprecated' }[
          product.state
        ],
      );
    }
  });

  it('keeps the product storage in the producer account: Glue tables with real columns, secure buckets', async () => {
    const producer = await assumeRole(
      local.endpoint,
      local.region,
      PRODUCER_ROLE_ARN,
      'test',
    );
    const glue = new GlueClient({
      ...local.clientConfig(),
      credentials: producer,
    });
    const s3 = new S3Client({ ...local.clientConfig(), credentials: producer });
    const product = local.demo!.dataProducts.find(p => p.key === 'inventory')!;
    const tables = await glue.send(
      new GetTablesCommand({ DatabaseName: product.database }),
    );
    const item = tables.TableList!.find(t => t.Name === 'item')!;
    expect(item.StorageDescriptor!.Columns!.length).toBe(22);
    expect(item.StorageDescriptor!.Location).toBe(
      `s3://${product.bucket}/${product.database}/item/`,
    );
    expect(
      (
        await s3.send(
          new GetBucketVersioningCommand({ Bucket: product.bucket }),
        )
      ).Status,
    ).toBe('Enabled');
    const enc = await s3.send(
      new GetBucketEncryptionCommand({ Bucket: product.bucket }),
    );
    expect(
      enc.ServerSideEncryptionConfiguration!.Rules![0]
        .ApplyServerSideEncryptionByDefault!.SSEAlgorithm,
    ).toBe('aws:kms');
    const pab = await s3.send(
      new GetPublicAccessBlockCommand({ Bucket: product.bucket }),
    );
    expect(pab.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicAcls: true,
      RestrictPublicBuckets: true,
    });
    // Not in the governance account.
    const central = new GlueClient(local.clientConfig());
    await expect(
      central.send(new GetTablesCommand({ DatabaseName: product.database })),
    ).rejects.toThrow(/not found/);
    [glue, s3, central].forEach(c => c.destroy());
  });
});

describe('the AWS CLI as an independent client', () => {
  const cli = async (...args: string[]) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_CONFIG_FILE: join(dataDir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'aws-credentials'),
    };
    // Only the config files written by start may speak for the CLI.
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_ENDPOINT_URL',
    ])
      delete env[name];
    const { stdout } = await exec('aws', [...args, '--output', 'json'], {
      env,
      timeout: 60_000,
    });
    return JSON.parse(stdout);
  };

  it('finds the demo assets with search and search-listings, and the tables with glue get-tables', async () => {
    const assets = await cli(
      'datazone',
      'search',
      '--domain-identifier',
      local.domainId!,
      '--search-scope',
      'ASSET',
      '--max-results',
      '50',
    );
    const names = assets.items.map((i: any) => i.assetItem.name);
    expect(names).toEqual(
      expect.arrayContaining(['orders', 'lineitem', 'store_sales', 'customer']),
    );
    expect(assets.totalMatchCount).toBe(32);
    const listings = await cli(
      'datazone',
      'search-listings',
      '--domain-identifier',
      local.domainId!,
      '--additional-attributes',
      'FORMS',
    );
    const listed = listings.items.map(
      (i: any) => i.assetListing?.name ?? i.dataProductListing?.name,
    );
    expect(listed).toEqual(
      expect.arrayContaining(['orders', 'Order history', 'Customer 360']),
    );
    expect(listed).not.toContain('catalog_sales');
    const tables = await cli(
      '--profile',
      'producer',
      'glue',
      'get-tables',
      '--database-name',
      'sales_order_history',
    );
    expect(tables.TableList.map((t: any) => t.Name).sort()).toEqual([
      'lineitem',
      'orders',
    ]);
  });
});

describe('persistence', () => {
  it('keeps DataZone and moto state across a restart without re-seeding', async () => {
    const before = local.demo!;
    const env = readFileSync(join(dataDir, 'endpoint.env'), 'utf8');
    expect(env).toContain(`export AWS_ENDPOINT_URL=${local.endpoint}`);
    expect(env).toContain(`export DMP_DATAZONE_DOMAIN_ID=${before.domainId}`);
    expect(env).toContain('export DMP_PRODUCER_ACCOUNT_ID=222222222222');
    await local.stop();
    local = await startLocalAws({ dataDir });
    client.destroy();
    checked = checkedDataZoneClient(local.clientConfig());
    client = checked.client;
    expect(local.domainId).toBe(before.domainId);
    const domains = await client.send(new dz.ListDomainsCommand({}));
    expect(domains.items!.map(d => d.id)).toEqual([before.domainId]);
    const product = await client.send(
      new dz.GetDataProductCommand({
        domainIdentifier: before.domainId,
        identifier: before.dataProducts[0].id,
      }),
    );
    expect(product.name).toBe(before.dataProducts[0].name);
    const producer = await assumeRole(
      local.endpoint,
      local.region,
      PRODUCER_ROLE_ARN,
      'after-restart',
    );
    const glue = new GlueClient({
      ...local.clientConfig(),
      credentials: producer,
    });
    const tables = await glue.send(
      new GetTablesCommand({ DatabaseName: 'customer_360' }),
    );
    expect(tables.TableList!.map(t => t.Name)).toContain(
      'customer_demographics',
    );
    glue.destroy();
  });
});
