import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_ARN,
  ANNOTATION_AWS_REGION,
  ANNOTATION_DATA_CONTRACT_SOURCE,
  ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS,
  ANNOTATION_DATAZONE_ASSET_ID,
  ANNOTATION_DATAZONE_ASSET_TYPE,
  ANNOTATION_DATAZONE_CONSUMERS,
  ANNOTATION_DATAZONE_DATA_PRODUCT_ID,
  ANNOTATION_DATAZONE_DOMAIN_ID,
  ANNOTATION_DATAZONE_DOMAIN_UNIT_ID,
  ANNOTATION_DATAZONE_LISTING_ID,
  ANNOTATION_DATAZONE_LISTING_REVISION,
  ANNOTATION_DATAZONE_OWNING_PROJECT_ID,
  ANNOTATION_DATAZONE_PORTAL_URL,
  ANNOTATION_DATAZONE_PROJECT_ID,
  ANNOTATION_DATAZONE_STORAGE,
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
  ANNOTATION_S3_BUCKET,
  buildDatasetContract,
  DATA_CONTRACT_SOURCE_GENERATED,
  DATA_CONTRACT_SOURCE_PRODUCT,
  DATA_PRODUCT_SYSTEM_TYPE,
  DATA_TEAM_GROUP_TYPE,
  DATASET_API_TYPE,
  dataMeshEntityName,
  DataMeshObjectKind,
  formatDataContractErrors,
  generateDataContract,
  GLUE_DATABASE_RESOURCE_TYPE,
  loadContractDocument,
  OdcsDataContract,
  S3_BUCKET_RESOURCE_TYPE,
  stringifyDataContract,
  validateDataContract,
} from '@data-mesh-portal/plugin-data-mesh-common';
import {
  AssetListingRecord,
  DataZoneSnapshot,
  DomainUnitRecord,
  GlossaryTermRecord,
  ProjectRecord,
} from '../read/types';
import { readAssetStorage, readContractText } from './forms';
import { listingKey, MappingMemo } from './MappingMemo';

/** The DataZone asset types synced without configuration. */
export const BUILT_IN_ASSET_TYPES: readonly string[] = [
  'amazon.datazone.GlueTableAssetType',
  'amazon.datazone.GlueViewAssetType',
  'amazon.datazone.RedshiftTableAssetType',
  'amazon.datazone.RedshiftViewAssetType',
  'amazon.datazone.S3ObjectCollectionAssetType',
];

/** Settings of {@link mapSnapshotToEntities}. */
export interface MappingOptions {
  /** Where the entities come from: `backstage.io/managed-by-location` and origin. */
  location: string;
  region: string;
  /** Account of the domain, for AWS resources whose forms do not say. */
  accountId?: string;
  /** Project id or name → owner entity ref (no data-team group for those projects). */
  projectOwners?: Record<string, string>;
  /** Domain unit id or name → owner entity ref. */
  domainUnitOwners?: Record<string, string>;
  defaultOwner: string;
  /** Lower-cased email → catalog user ref. */
  usersByEmail?: ReadonlyMap<string, string>;
  filters?: { domainUnits?: string[]; projects?: string[]; glossaryTerms?: string[] };
  additionalAssetTypes?: readonly string[];
  dataContractFormName: string;
  /**
   * Only data products, their datasets and storage ("sync product now"):
   * no domains or groups, whose full data the partial read does not have.
   */
  productsOnly?: boolean;
  /** Keeps contract parsing and dataset mapping between runs (keyed by listing revision). */
  memo?: MappingMemo;
}

/** An item that could not become an entity, and why. */
export interface SkippedItem {
  kind: 'domain-unit' | 'project' | 'data-product' | 'asset' | 'subscription';
  id: string;
  name?: string;
  reason: string;
}

/** What {@link mapSnapshotToEntities} returns. */
export interface MappingResult {
  /** Sorted by entity ref; keys sorted, no timestamps: identical input gives identical output. */
  entities: Entity[];
  skipped: SkippedItem[];
  /** Items left out on purpose by the configured filters. */
  filteredOut: number;
}

const API_VERSION = 'backstage.io/v1alpha1';
const PROJECT_GONE = new Set(['DELETING', 'DELETED', 'MOVING']);

function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(sortKeysDeep) as unknown as T;
  }
  if (value && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(source)
        .sort()
        .filter(key => source[key] !== undefined)
        .map(key => [key, sortKeysDeep(source[key])]),
    ) as T;
  }
  return value;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function tagOf(term: string): string | undefined {
  const tag = term
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9:+#]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return tag || undefined;
}

function tagsOf(terms: GlossaryTermRecord[]): string[] | undefined {
  const tags = sortedUnique(
    terms.map(term => tagOf(term.name ?? '')).filter((tag): tag is string => !!tag),
  );
  return tags.length > 0 ? tags : undefined;
}

function matchesAny(values: (string | undefined)[], wanted: string[] | undefined): boolean {
  if (!wanted) {
    return true;
  }
  const lowered = new Set(wanted.map(w => w.toLocaleLowerCase('en-US')));
  return values.some(v => v !== undefined && lowered.has(v.toLocaleLowerCase('en-US')));
}

function lookup(map: Record<string, string> | undefined, id: string, name?: string) {
  if (!map) {
    return undefined;
  }
  return map[id] ?? (name !== undefined ? map[name] : undefined);
}

function portalLink(portalUrl: string | undefined, path: string): string | undefined {
  return portalUrl ? `${portalUrl.replace(/\/+$/, '')}${path}` : undefined;
}

function linksFor(url: string | undefined) {
  return url ? [{ url, title: 'Open in Amazon DataZone', icon: 'catalog' }] : undefined;
}

interface ProductContract {
  /** The parsed document, valid or not (undefined when the text is not YAML). */
  document?: OdcsDataContract;
  text: string;
  /** Valid against the ODCS schema: so is every dataset's part of it. */
  valid?: boolean;
  errors?: string;
}

function memoized<T>(memo: MappingMemo | undefined, key: string | undefined, compute: () => T): T {
  return memo ? memo.get(key, compute) : compute();
}

function readProductContract(text: string | undefined): ProductContract | undefined {
  if (!text) {
    return undefined;
  }
  const loaded = loadContractDocument(text);
  if (!loaded.ok) {
    return { text, errors: loaded.message };
  }
  const result = validateDataContract(loaded.document);
  if (result.valid) {
    return { document: result.contract, text, valid: true };
  }
  const document = loaded.document;
  return {
    document:
      document && typeof document === 'object' && !Array.isArray(document)
        ? (document as OdcsDataContract)
        : undefined,
    text,
    errors: formatDataContractErrors(result.errors),
  };
}

/**
 * Maps one DataZone read to catalog entities, per the decided entity model:
 * domain and domain units → `Domain` (`subdomainOf`), projects → `Group`
 * (`data-team`), data product listings → `System` (`data-product`), asset
 * listings → `API` (`dataset`, the ODCS contract in `spec.definition`),
 * S3 buckets and Glue databases → `Resource`. Pure: no I/O, no clock.
 *
 * Items that cannot become valid entities are skipped and reported in
 * `skipped`; they never fail the mapping.
 */
export function mapSnapshotToEntities(
  snapshot: DataZoneSnapshot,
  options: MappingOptions,
): MappingResult {
  const domainId = snapshot.domain.id;
  const portalUrl = snapshot.domain.portalUrl;
  const skipped: SkippedItem[] = [];
  let filteredOut = 0;
  const entities = new Map<string, Entity>();

  const baseAnnotations = (extra: Record<string, string | undefined>) => ({
    [ANNOTATION_LOCATION]: options.location,
    [ANNOTATION_ORIGIN_LOCATION]: options.location,
    [ANNOTATION_DATAZONE_DOMAIN_ID]: domainId,
    ...extra,
  });
  const nameOf = (kind: DataMeshObjectKind, id: string, name?: string) =>
    dataMeshEntityName({ kind, id, name, domainId });

  // Domains: the domain itself stands for its root unit.
  const units = new Map<string, DomainUnitRecord>(snapshot.domainUnits.map(u => [u.id, u]));
  const rootUnitId = snapshot.domain.rootDomainUnitId;
  const domainEntityName = nameOf('domain', domainId, snapshot.domain.name);
  const domainRefOfUnit = (unitId: string | undefined): string => {
    if (!unitId || unitId === rootUnitId || !units.has(unitId)) {
      return `domain:default/${domainEntityName}`;
    }
    return `domain:default/${nameOf('domain-unit', unitId, units.get(unitId)!.name)}`;
  };
  const parentOf = (unitId: string) => units.get(unitId)?.parentId;

  // Units selected by the filter, with their sub-units.
  const unitFilter = options.filters?.domainUnits;
  const inSelectedUnit = (unitId: string | undefined): boolean => {
    if (!unitFilter) {
      return true;
    }
    const seen = new Set<string>();
    for (let id = unitId; id && !seen.has(id); id = parentOf(id)) {
      seen.add(id);
      if (matchesAny([id, units.get(id)?.name], unitFilter)) {
        return true;
      }
    }
    return false;
  };

  const projects = new Map<string, ProjectRecord>(
    snapshot.projects
      .filter(p => !PROJECT_GONE.has(p.status ?? ''))
      .map(p => [p.id, p]),
  );
  const projectIncluded = (project: ProjectRecord) =>
    inSelectedUnit(project.domainUnitId ?? rootUnitId) &&
    matchesAny([project.id, project.name], options.filters?.projects);
  const ownerOfProject = (projectId: string | undefined): string | undefined => {
    const project = projectId ? projects.get(projectId) : undefined;
    if (!project) {
      return undefined;
    }
    return (
      lookup(options.projectOwners, project.id, project.name) ??
      `group:default/${nameOf('project', project.id, project.name)}`
    );
  };

  const add = (entity: Entity) => {
    const ref = stringifyEntityRef(entity);
    if (!entities.has(ref)) {
      entities.set(ref, entity);
      return true;
    }
    return false;
  };

  if (!options.productsOnly) {
    // Which units to emit: with a unit filter, the selected subtrees plus
    // their ancestors (so `subdomainOf` resolves).
    const emittedUnits = new Set<string>();
    for (const unit of snapshot.domainUnits) {
      if (inSelectedUnit(unit.id)) {
        for (let id: string | undefined = unit.id; id && !emittedUnits.has(id); id = parentOf(id)) {
          emittedUnits.add(id);
        }
      } else {
        filteredOut += 1;
      }
    }
    add({
      apiVersion: API_VERSION,
      kind: 'Domain',
      metadata: {
        name: domainEntityName,
        title: snapshot.domain.name ?? domainId,
        description: `Amazon DataZone domain ${snapshot.domain.name ?? domainId}.`,
        annotations: baseAnnotations({
          [ANNOTATION_DATAZONE_DOMAIN_UNIT_ID]: rootUnitId,
          [ANNOTATION_AWS_ARN]: snapshot.domain.arn,
          [ANNOTATION_DATAZONE_PORTAL_URL]: portalUrl,
          [ANNOTATION_AWS_REGION]: options.region,
        }),
        links: linksFor(portalUrl),
      },
      spec: {
        owner:
          lookup(options.domainUnitOwners, rootUnitId ?? domainId, snapshot.domain.name) ??
          options.defaultOwner,
      },
    });
    for (const unit of snapshot.domainUnits) {
      if (unit.id === rootUnitId || !emittedUnits.has(unit.id)) {
        continue;
      }
      const url = portalLink(portalUrl, `/domain-units/${encodeURIComponent(unit.id)}`);
      add({
        apiVersion: API_VERSION,
        kind: 'Domain',
        metadata: {
          name: nameOf('domain-unit', unit.id, unit.name),
          title: unit.name ?? unit.id,
          annotations: baseAnnotations({
            [ANNOTATION_DATAZONE_DOMAIN_UNIT_ID]: unit.id,
            [ANNOTATION_DATAZONE_PORTAL_URL]: url,
          }),
          links: linksFor(url),
        },
        spec: {
          owner: lookup(options.domainUnitOwners, unit.id, unit.name) ?? options.defaultOwner,
          subdomainOf: domainRefOfUnit(unit.parentId),
        },
      });
    }

    // Groups: one data-team per project not mapped onto an existing group.
    const profiles = new Map(snapshot.userProfiles.map(p => [p.id, p.email]));
    for (const project of snapshot.projects) {
      if (!projects.has(project.id)) {
        skipped.push({ kind: 'project', id: project.id, name: project.name, reason: `project status ${project.status}` });
        continue;
      }
      if (!projectIncluded(project)) {
        filteredOut += 1;
        continue;
      }
      if (lookup(options.projectOwners, project.id, project.name)) {
        continue;
      }
      const members = sortedUnique(
        (snapshot.memberships[project.id] ?? []).flatMap(member => {
          const email = member.userId ? profiles.get(member.userId) : undefined;
          const user = email ? options.usersByEmail?.get(email) : undefined;
          return user ? [user] : [];
        }),
      );
      const url = portalLink(portalUrl, `/projects/${encodeURIComponent(project.id)}/overview`);
      add({
        apiVersion: API_VERSION,
        kind: 'Group',
        metadata: {
          name: nameOf('project', project.id, project.name),
          title: project.name ?? project.id,
          description: project.description,
          annotations: baseAnnotations({
            [ANNOTATION_DATAZONE_PROJECT_ID]: project.id,
            [ANNOTATION_DATAZONE_DOMAIN_UNIT_ID]: project.domainUnitId,
            [ANNOTATION_DATAZONE_PORTAL_URL]: url,
          }),
          links: linksFor(url),
        },
        spec: {
          type: DATA_TEAM_GROUP_TYPE,
          profile: { displayName: project.name ?? project.id },
          children: [],
          members,
        },
      });
    }
  }

  // Consumers per listing, from approved subscriptions.
  const consumersByListing = new Map<string, Set<string>>();
  for (const subscription of snapshot.subscriptions) {
    const consumer = ownerOfProject(subscription.projectId);
    if (!subscription.listingId || !consumer) {
      skipped.push({
        kind: 'subscription',
        id: subscription.id,
        reason: subscription.projectId
          ? `subscribing project ${subscription.projectId} is not in the catalog`
          : 'the subscriber is not a project',
      });
      continue;
    }
    const set = consumersByListing.get(subscription.listingId) ?? new Set<string>();
    set.add(consumer);
    consumersByListing.set(subscription.listingId, set);
  }

  const listingIncluded = (owningProjectId: string | undefined, terms: GlossaryTermRecord[]) => {
    const project = owningProjectId ? projects.get(owningProjectId) : undefined;
    return (
      (!project || projectIncluded(project)) &&
      matchesAny(terms.flatMap(t => [t.id, t.name]), options.filters?.glossaryTerms)
    );
  };

  // Systems: data products.
  interface ProductInfo {
    ref: string;
    owner: string;
    listingId?: string;
    /** Memo key of the product listing's revision (its contract). */
    listingKey?: string;
    dataProductId: string;
    contract?: ProductContract;
  }
  const productByItemListing = new Map<string, ProductInfo>();
  const sortedProducts = [...snapshot.dataProducts].sort((a, b) =>
    (a.dataProductId ?? '').localeCompare(b.dataProductId ?? ''),
  );
  for (const product of sortedProducts) {
    const id = product.dataProductId;
    if (!id || !product.name || (product.lifecycle === 'production' && !product.listingId)) {
      skipped.push({
        kind: 'data-product',
        id: id ?? product.listingId ?? '(no id)',
        name: product.name,
        reason: 'the listing lacks its data product id, listing id or name',
      });
      continue;
    }
    const owner = ownerOfProject(product.owningProjectId);
    if (!owner) {
      skipped.push({
        kind: 'data-product',
        id,
        name: product.name,
        reason: `owning project ${product.owningProjectId ?? '(none)'} not found`,
      });
      continue;
    }
    if (!listingIncluded(product.owningProjectId, product.glossaryTerms)) {
      filteredOut += 1;
      continue;
    }
    if (product.formsError) {
      skipped.push({ kind: 'data-product', id, name: product.name, reason: product.formsError });
      continue;
    }
    const project = projects.get(product.owningProjectId!)!;
    const entityName = nameOf('data-product', id, product.name);
    const url = portalLink(portalUrl, `/data-products/${encodeURIComponent(id)}`);
    const system: Entity = {
      apiVersion: API_VERSION,
      kind: 'System',
      metadata: {
        name: entityName,
        title: product.name,
        description: product.description,
        tags: tagsOf(product.glossaryTerms),
        annotations: baseAnnotations({
          [ANNOTATION_DATAZONE_DATA_PRODUCT_ID]: id,
          [ANNOTATION_DATAZONE_LISTING_ID]: product.listingId,
          [ANNOTATION_DATAZONE_LISTING_REVISION]: product.listingRevision,
          [ANNOTATION_DATAZONE_OWNING_PROJECT_ID]: product.owningProjectId,
          [ANNOTATION_DATAZONE_DOMAIN_UNIT_ID]: project.domainUnitId,
          [ANNOTATION_DATAZONE_PORTAL_URL]: url,
        }),
        links: linksFor(url),
      },
      spec: {
        type: DATA_PRODUCT_SYSTEM_TYPE,
        owner,
        domain: domainRefOfUnit(project.domainUnitId),
      },
    };
    if (!add(system)) {
      skipped.push({ kind: 'data-product', id, name: product.name, reason: `duplicate of ${entityName}` });
      continue;
    }
    const productKey = listingKey('product', product.listingId, product.listingRevision);
    const info: ProductInfo = {
      ref: `system:default/${entityName}`,
      owner,
      listingId: product.listingId,
      listingKey: productKey,
      dataProductId: id,
      contract: memoized(options.memo, productKey, () =>
        readProductContract(readContractText(product.forms, options.dataContractFormName)),
      ),
    };
    for (const itemListingId of product.itemListingIds) {
      productByItemListing.set(itemListingId, info);
    }
  }

  // APIs: datasets; Resources: their storage.
  const allowedTypes = new Set([...BUILT_IN_ASSET_TYPES, ...(options.additionalAssetTypes ?? [])]);
  const resources = new Map<string, Entity>();
  const sortedAssets = [...snapshot.assets].sort((a, b) =>
    (a.assetId ?? '').localeCompare(b.assetId ?? ''),
  );
  for (const asset of sortedAssets) {
    const id = asset.assetId;
    const skip = (reason: string) =>
      skipped.push({ kind: 'asset', id: id ?? asset.listingId ?? '(no id)', name: asset.name, reason });
    if (!id || !asset.name || (asset.lifecycle === 'production' && !asset.listingId)) {
      skip('the listing lacks its asset id, listing id or name');
      continue;
    }
    if (!asset.assetType || !allowedTypes.has(asset.assetType)) {
      skip(`asset type ${asset.assetType ?? '(none)'} is not synced (see additionalAssetTypes)`);
      continue;
    }
    if (asset.formsError) {
      skip(asset.formsError);
      continue;
    }
    const product = asset.listingId ? productByItemListing.get(asset.listingId) : undefined;
    const owner = product?.owner ?? ownerOfProject(asset.owningProjectId);
    if (!owner) {
      skip(`owning project ${asset.owningProjectId ?? '(none)'} not found`);
      continue;
    }
    if (!product && !listingIncluded(asset.owningProjectId, asset.glossaryTerms)) {
      filteredOut += 1;
      continue;
    }
    // A dataset's mapping depends on its own listing and its product's contract.
    const assetKey = listingKey('asset', asset.listingId, asset.listingRevision);
    const datasetKey =
      assetKey && (!product || product.listingKey)
        ? `${assetKey}|${product?.listingKey ?? ''}`
        : undefined;
    const dataset = memoized(options.memo, datasetKey, () => mapDataset(asset, id, product));
    const storage = dataset.storage;
    const storageRefs: string[] = [];
    const accountId = storage.accountId ?? options.accountId;
    const region = storage.region ?? options.region;
    if (storage.glueDatabase) {
      const name = dataMeshEntityName({
        kind: 'glue-database',
        id: storage.glueDatabase,
        accountId,
        region,
      });
      storageRefs.push(`resource:default/${name}`);
      if (!resources.has(name)) {
        resources.set(name, {
            apiVersion: API_VERSION,
            kind: 'Resource',
            metadata: {
              name,
              title: storage.glueDatabase,
              description: `AWS Glue database ${storage.glueDatabase}.`,
              annotations: baseAnnotations({
                [ANNOTATION_GLUE_DATABASE]: storage.glueDatabase,
                [ANNOTATION_AWS_ACCOUNT_ID]: accountId,
                [ANNOTATION_AWS_REGION]: region,
                [ANNOTATION_AWS_ARN]: accountId
                  ? `arn:aws:glue:${region}:${accountId}:database/${storage.glueDatabase}`
                  : undefined,
              }),
            },
          spec: { type: GLUE_DATABASE_RESOURCE_TYPE, owner },
        });
      }
    }
    if (storage.s3Bucket) {
      const name = dataMeshEntityName({ kind: 's3-bucket', id: storage.s3Bucket });
      storageRefs.push(`resource:default/${name}`);
      if (!resources.has(name)) {
        resources.set(name, {
            apiVersion: API_VERSION,
            kind: 'Resource',
            metadata: {
              name,
              title: storage.s3Bucket,
              description: `Amazon S3 bucket ${storage.s3Bucket}.`,
              annotations: baseAnnotations({
                [ANNOTATION_S3_BUCKET]: storage.s3Bucket,
                [ANNOTATION_AWS_ACCOUNT_ID]: accountId,
                [ANNOTATION_AWS_ARN]: `arn:aws:s3:::${storage.s3Bucket}`,
              }),
            },
          spec: { type: S3_BUCKET_RESOURCE_TYPE, owner },
        });
      }
    }

    const consumers = new Set<string>();
    for (const listingId of [asset.listingId, product?.listingId]) {
      for (const consumer of listingId ? consumersByListing.get(listingId) ?? [] : []) {
        consumers.add(consumer);
      }
    }
    const entityName = nameOf('asset', id, asset.name);
    const url = portalLink(
      portalUrl,
      `/assets/${encodeURIComponent(id)}${asset.listingId ? `?listingId=${encodeURIComponent(asset.listingId)}` : ''}`,
    );
    const api: Entity = {
      apiVersion: API_VERSION,
      kind: 'API',
      metadata: {
        name: entityName,
        title: asset.name,
        description: asset.description,
        tags: tagsOf(asset.glossaryTerms),
        annotations: baseAnnotations({
          [ANNOTATION_DATAZONE_ASSET_ID]: id,
          [ANNOTATION_DATAZONE_ASSET_TYPE]: asset.assetType,
          [ANNOTATION_DATAZONE_LISTING_ID]: asset.listingId,
          [ANNOTATION_DATAZONE_LISTING_REVISION]: asset.listingRevision,
          [ANNOTATION_DATAZONE_OWNING_PROJECT_ID]: asset.owningProjectId,
          [ANNOTATION_DATAZONE_DATA_PRODUCT_ID]: product?.dataProductId,
          [ANNOTATION_DATAZONE_PORTAL_URL]: url,
          [ANNOTATION_AWS_ARN]: storage.arn,
          [ANNOTATION_AWS_ACCOUNT_ID]: storage.accountId,
          [ANNOTATION_AWS_REGION]: storage.region,
          [ANNOTATION_GLUE_DATABASE]: storage.glueDatabase,
          [ANNOTATION_GLUE_TABLE]: storage.tableName,
          [ANNOTATION_S3_BUCKET]: storage.s3Bucket,
          [ANNOTATION_DATAZONE_STORAGE]: storageRefs.length > 0 ? sortedUnique(storageRefs).join(',') : undefined,
          [ANNOTATION_DATAZONE_CONSUMERS]: consumers.size > 0 ? sortedUnique(consumers).join(',') : undefined,
          [ANNOTATION_DATA_CONTRACT_SOURCE]: dataset.contractSource,
          [ANNOTATION_DATA_CONTRACT_VALIDATION_ERRORS]: dataset.contractErrors,
        }),
        links: linksFor(url),
      },
      spec: {
        type: DATASET_API_TYPE,
        lifecycle: asset.lifecycle,
        owner,
        system: product?.ref,
        definition: dataset.definition,
      },
    };
    if (!add(api)) {
      skip(`duplicate of ${entityName}`);
    }
  }
  for (const resource of resources.values()) {
    add(resource);
  }

  const sorted = [...entities.keys()].sort().map(ref => sortKeysDeep(entities.get(ref)!));
  return { entities: sorted, skipped, filteredOut };
}

interface DatasetResult {
  definition: string;
  contractSource: string;
  contractErrors?: string;
  storage: ReturnType<typeof readAssetStorage>;
}

function mapDataset(
  asset: AssetListingRecord,
  assetId: string,
  product: { contract?: ProductContract } | undefined,
): DatasetResult {
  const storage = readAssetStorage(asset.forms, asset.externalIdentifier);
  const datasetName = storage.tableName ?? asset.name!;
  const productContract = product?.contract;

  if (productContract && !productContract.document) {
    // Not even YAML: keep the text as it is, with the reason.
    return {
      definition: productContract.text,
      contractSource: DATA_CONTRACT_SOURCE_PRODUCT,
      contractErrors: productContract.errors,
      storage,
    };
  }
  const fromProduct = productContract?.document
    ? buildDatasetContract(productContract.document, datasetName) ??
      buildDatasetContract(productContract.document, asset.name!)
    : undefined;
  if (fromProduct) {
    // A valid product contract's datasets are valid by construction (the
    // schema has no lower bound on the lists buildDatasetContract shortens),
    // so only the parts of an invalid one are checked, for their own errors.
    const validation = productContract!.valid ? undefined : validateDataContract(fromProduct);
    return {
      definition: stringifyDataContract(fromProduct),
      contractSource: DATA_CONTRACT_SOURCE_PRODUCT,
      contractErrors:
        validation && !validation.valid ? formatDataContractErrors(validation.errors) : undefined,
      storage,
    };
  }
  const generated = generateDataContract({
    id: assetId,
    datasetName,
    name: asset.name,
    columns: storage.columns,
    description: asset.description,
  });
  return {
    definition: stringifyDataContract(generated),
    contractSource: DATA_CONTRACT_SOURCE_GENERATED,
    storage,
    contractErrors: undefined,
  };
}
