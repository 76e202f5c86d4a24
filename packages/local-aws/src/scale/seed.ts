import { LOCAL_AWS_ACCOUNTS, LOCAL_AWS_REGION } from '../accounts';
import { CallerRegistry } from '../callers';
import type { RequestContext } from '../datazone/context';
import type { DataZoneStore } from '../datazone/store';
import type { AssetRecord, DataProductRecord, Form } from '../datazone/state';
import { createDomain } from '../datazone/handlers/domains';
import { createDomainUnit } from '../datazone/handlers/domainUnits';
import { createUserProfile } from '../datazone/handlers/users';
import { createProject } from '../datazone/handlers/projects';
import { createFormType } from '../datazone/handlers/metadataTypes';
import { publish } from '../datazone/handlers/listings';
import {
  ASSET_COMMON_DETAILS_FORM_TYPE,
  GLUE_TABLE_ASSET_TYPE,
  GLUE_TABLE_FORM_TYPE,
} from '../datazone/handlers/managedTypes';
import {
  DATA_CONTRACT_FORM_TYPE_NAME,
  DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL,
  dataContractFormContent,
} from '../seed/formTypes';
import { scaleColumns, scaleContractYaml } from './contract';

/** What to seed: `products × assetsPerProduct` Glue-table assets, and the rest scaled to it. */
export interface ScaleSpec {
  products: number;
  assetsPerProduct: number;
  /** Default `Scale Data Mesh <products>x<assetsPerProduct>`. */
  domainName?: string;
  /** Data products per project (default 20); every project has one SSO owner. */
  productsPerProject?: number;
  /** Projects per domain unit under the root (default 5; at most 499 units). */
  projectsPerUnit?: number;
  /** Columns per table (default 6, at most 12). */
  columns?: number;
  /**
   * Leave every Nth product (and its assets) unpublished, as inventory only (default 0:
   * all published).
   */
  unpublishedEvery?: number;
}

/** The ids of a seeded scale mesh (samples, not all 50,000). */
export interface ScaleMesh {
  domainId: string;
  domainName: string;
  rootDomainUnitId: string;
  domainUnitIds: string[];
  projectIds: string[];
  userProfileIds: string[];
  dataContractFormType: { name: string; revision: string };
  products: number;
  assets: number;
  /** Active listings: published products plus their assets. */
  listings: number;
  /** The first product (or fewer), with their assets and listings. */
  sampleProducts: {
    id: string;
    name: string;
    projectId: string;
    listingId?: string;
    assetIds: string[];
  }[];
  /** Seeding time in the store (milliseconds; persisting it is not included). */
  durationMs: number;
}

export class ScaleSpecError extends Error {}

const MAX_ASSETS = 1_000_000; // DataZone's per-domain asset quota

function positiveInt(value: unknown, what: string, max: number): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > max
  )
    throw new ScaleSpecError(`${what} must be an integer from 1 to ${max}.`);
  return value;
}

export function parseScaleSpec(value: unknown): ScaleSpec {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ScaleSpecError(
      'Give { "products": N, "assetsPerProduct": M } as a JSON object.',
    );
  const v = value as Record<string, unknown>;
  const spec: ScaleSpec = {
    products: positiveInt(v.products, 'products', 500_000),
    assetsPerProduct: positiveInt(v.assetsPerProduct, 'assetsPerProduct', 1000),
  };
  if (spec.products * spec.assetsPerProduct > MAX_ASSETS)
    throw new ScaleSpecError(
      `products × assetsPerProduct must be at most ${MAX_ASSETS} (DataZone's asset quota per domain).`,
    );
  if (v.domainName !== undefined) {
    if (typeof v.domainName !== 'string' || !v.domainName.trim())
      throw new ScaleSpecError('domainName must be a non-empty string.');
    spec.domainName = v.domainName;
  }
  if (v.productsPerProject !== undefined)
    spec.productsPerProject = positiveInt(
      v.productsPerProject,
      'productsPerProject',
      100_000,
    );
  if (v.projectsPerUnit !== undefined)
    spec.projectsPerUnit = positiveInt(
      v.projectsPerUnit,
      'projectsPerUnit',
      100_000,
    );
  if (v.columns !== undefined)
    spec.columns = positiveInt(v.columns, 'columns', 12);
  if (v.unpublishedEvery !== undefined && v.unpublishedEvery !== 0)
    spec.unpublishedEvery = positiveInt(
      v.unpublishedEvery,
      'unpublishedEvery',
      500_000,
    );
  return spec;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Seeds a deterministic mesh of `products × assetsPerProduct` published Glue-table assets
 * straight into the stand-in's store: a domain with domain units, projects (each with an
 * SSO owner), the data-contract form type, and per product its assets (schema form and
 * common-details form), the product with its ODCS contract form, and the listings a
 * PUBLISH creates. Domains, units, people, projects and the form type go through the
 * stand-in's own handlers; the bulk (assets, products, listings) is written directly,
 * with the same records and the same publish code the API path uses. Ids come from the
 * store's creation sequence, so the same spec on the same starting state gives the same
 * ids. One `changed()` at the end: persistence writes the state once.
 */
export function seedScaleMesh(store: DataZoneStore, input: unknown): ScaleMesh {
  const started = performance.now();
  const spec = parseScaleSpec(input);
  const productsPerProject = spec.productsPerProject ?? 20;
  const projectsPerUnit = spec.projectsPerUnit ?? 5;
  const columnCount = spec.columns ?? 6;
  const projectCount = Math.ceil(spec.products / productsPerProject);
  const unitCount = Math.min(499, Math.ceil(projectCount / projectsPerUnit));
  const domainName =
    spec.domainName ??
    `Scale Data Mesh ${spec.products}x${spec.assetsPerProduct}`;
  const region = LOCAL_AWS_REGION;
  const account = LOCAL_AWS_ACCOUNTS.producer;
  // Cast: later issues add members (AWS effects) the handlers used here never read.
  const ctx = {
    operation: 'ScaleSeed',
    caller: new CallerRegistry().resolve(undefined),
    requestId: 'scale-seed',
    region,
  } as RequestContext;

  if (
    Object.values(store.state.domains).some(
      d => d.name === domainName && d.managedAccountId === ctx.caller.accountId,
    )
  ) {
    throw new ScaleSpecError(
      `A domain named "${domainName}" exists already: reset the state or give another domainName.`,
    );
  }
  const domain = createDomain(
    {
      name: domainName,
      description: `A synthetic mesh of ${spec.products} data products × ${spec.assetsPerProduct} assets, for benchmarks.`,
      domainExecutionRole: `arn:aws:iam::${ctx.caller.accountId}:role/service-role/AmazonDataZoneDomainExecution`,
    },
    ctx,
    store,
  ) as { id: string; rootDomainUnitId: string };
  const domainId = domain.id;

  const unitIds: string[] = [];
  for (let u = 0; u < unitCount; u++) {
    const unit = createDomainUnit(
      {
        domainIdentifier: domainId,
        parentDomainUnitIdentifier: domain.rootDomainUnitId,
        name: `Scale unit ${pad(u + 1, 3)}`,
        description: `Domain unit ${u + 1} of the scale mesh.`,
      },
      ctx,
      store,
    ) as { id: string };
    unitIds.push(unit.id);
  }

  const projects: {
    id: string;
    group: string;
    email: string;
    userId: string;
  }[] = [];
  for (let p = 0; p < projectCount; p++) {
    const n = pad(p + 1, 4);
    const email = `scale-owner-${n}@scale.example`;
    const user = createUserProfile(
      {
        domainIdentifier: domainId,
        userIdentifier: email,
        userType: 'SSO_USER',
      },
      ctx,
      store,
    ) as { id: string };
    const project = createProject(
      {
        domainIdentifier: domainId,
        name: `Scale team ${n}`,
        description: `Producer team ${p + 1} of the scale mesh.`,
        domainUnitId: unitIds[p % unitIds.length],
        membershipAssignments: [
          {
            member: { userIdentifier: user.id },
            designation: 'PROJECT_OWNER',
          },
        ],
      },
      ctx,
      store,
    ) as { id: string };
    projects.push({
      id: project.id,
      group: `scale-team-${n}`,
      email,
      userId: user.id,
    });
  }

  const formType = createFormType(
    {
      domainIdentifier: domainId,
      name: DATA_CONTRACT_FORM_TYPE_NAME,
      description: 'The data contract (ODCS v3 YAML) of a data product.',
      owningProjectIdentifier: projects[0].id,
      model: { smithy: DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL },
      status: 'ENABLED',
    },
    ctx,
    store,
  ) as { revision: string };

  const creatorId = store.callerUserId(domainId, ctx.caller);
  const now = store.now();
  const productWidth = Math.max(5, String(spec.products).length);
  const sampleProducts: ScaleMesh['sampleProducts'] = [];
  let assets = 0;
  let listings = 0;
  for (let p = 0; p < spec.products; p++) {
    const project = projects[Math.floor(p / productsPerProject)];
    const key = pad(p + 1, productWidth);
    const database = `scale_db_${key}`;
    const bucket = `scale-data-products-${account}`;
    const productName = `Scale product ${key}`;
    const tables: Parameters<typeof scaleContractYaml>[0]['tables'] = [];
    const assetRecords: AssetRecord[] = [];
    for (let t = 0; t < spec.assetsPerProduct; t++) {
      const tableName = `${database}_t${pad(t + 1, 3)}`;
      const description = `Table ${t + 1} of ${productName}.`;
      const columns = scaleColumns(p, t, columnCount);
      tables.push({ name: tableName, description, columns });
      const tableArn = `arn:aws:glue:${region}:${account}:table/${database}/${tableName}`;
      const forms: Form[] = [
        {
          formName: 'GlueTableForm',
          typeName: GLUE_TABLE_FORM_TYPE,
          typeRevision: '1',
          content: JSON.stringify({
            catalogId: account,
            region,
            tableArn,
            tableName,
            tableDescription: description,
            sourceClassification: 'parquet',
            columns: columns.map(c => ({
              columnName: c.name,
              dataType: c.type,
            })),
          }),
        },
        {
          formName: 'AssetCommonDetailsForm',
          typeName: ASSET_COMMON_DETAILS_FORM_TYPE,
          typeRevision: '1',
          content: JSON.stringify({
            customProperties: {
              databaseName: database,
              location: `s3://${bucket}/${database}/${tableName}/`,
            },
          }),
        },
      ];
      const seq = store.nextSeq();
      const asset: AssetRecord = {
        seq,
        id: store.newId('asset', seq),
        domainId,
        owningProjectId: project.id,
        externalIdentifier: tableArn,
        firstRevisionCreatedAt: now,
        firstRevisionCreatedBy: creatorId,
        revisions: [
          {
            revision: '1',
            name: tableName,
            description,
            typeIdentifier: GLUE_TABLE_ASSET_TYPE,
            typeRevision: '1',
            forms,
            createdAt: now,
            createdBy: creatorId,
          },
        ],
        updatedAt: now,
      };
      store.state.assets[asset.id] = asset;
      assetRecords.push(asset);
    }
    assets += assetRecords.length;
    const published = !(
      spec.unpublishedEvery && (p + 1) % spec.unpublishedEvery === 0
    );
    const contract = scaleContractYaml({
      key: `${domainName}/${key}`,
      name: productName,
      description: `Synthetic data product ${p + 1} of the scale mesh.`,
      group: project.group,
      ownerEmail: project.email,
      database,
      bucket,
      account,
      region,
      tables,
      status: published ? 'active' : 'draft',
    });
    const seq = store.nextSeq();
    const product: DataProductRecord = {
      seq,
      id: store.newId('data-product', seq),
      domainId,
      owningProjectId: project.id,
      status: 'CREATED',
      firstRevisionCreatedAt: now,
      firstRevisionCreatedBy: creatorId,
      revisions: [
        {
          revision: '1',
          name: productName,
          description: `Synthetic data product ${p + 1} of the scale mesh.`,
          items: assetRecords.map(a => ({
            itemType: 'ASSET',
            identifier: a.id,
            revision: '1',
          })),
          forms: [
            {
              formName: DATA_CONTRACT_FORM_TYPE_NAME,
              typeName: DATA_CONTRACT_FORM_TYPE_NAME,
              typeRevision: formType.revision,
              content: dataContractFormContent(contract),
            },
          ],
          createdAt: now,
          createdBy: creatorId,
        },
      ],
      updatedAt: now,
    };
    store.state.dataProducts[product.id] = product;
    let listingId: string | undefined;
    if (published) {
      // The same publish the API's CreateListingChangeSet runs: asset listings first.
      listingId = publish(
        store,
        { kind: 'DATA_PRODUCT', record: product },
        undefined,
        creatorId,
      ).listing.id;
      listings += 1 + assetRecords.length;
    }
    if (sampleProducts.length < 3) {
      sampleProducts.push({
        id: product.id,
        name: productName,
        projectId: project.id,
        listingId,
        assetIds: assetRecords.map(a => a.id),
      });
    }
  }
  store.changed();
  return {
    domainId,
    domainName,
    rootDomainUnitId: domain.rootDomainUnitId,
    domainUnitIds: unitIds,
    projectIds: projects.map(p => p.id),
    userProfileIds: projects.map(p => p.userId),
    dataContractFormType: {
      name: DATA_CONTRACT_FORM_TYPE_NAME,
      revision: formType.revision,
    },
    products: spec.products,
    assets,
    listings,
    sampleProducts,
    durationMs: Math.round(performance.now() - started),
  };
}
