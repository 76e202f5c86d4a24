import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_REGION,
  ANNOTATION_DATAZONE_DOMAIN_ID,
  ANNOTATION_DATAZONE_LISTING_ID,
  ANNOTATION_DATAZONE_PROJECT_ID,
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
  ANNOTATION_LAKE_FORMATION_PRINCIPAL_ROLE_ARN,
  AccessGrantTable,
  AccessRequestTargetKind,
  OdcsDataContract,
  isDataProductEntity,
  isDatasetEntity,
  parseDataContract,
} from '@data-mesh-portal/plugin-data-mesh-common';

/** A data product or dataset, with what granting access to it needs. */
export interface AccessTarget {
  entityRef: string;
  title?: string;
  kind: AccessRequestTargetKind;
  /** The data product (itself for a product). */
  productRef?: string;
  ownerRefs: string[];
  approverRefs: string[];
  /** The Glue tables behind it: one for a dataset, every dataset's for a product. */
  tables: AccessGrantTable[];
  domainId?: string;
  listingId?: string;
  region?: string;
  /** The data classifications in the contract(s) (for auto-approve rules). */
  classifications: string[];
}

/** A team access is requested for. */
export interface AccessTeam {
  teamRef: string;
  title?: string;
  lakeFormationRoleArn?: string;
  dataZoneProjectId?: string;
}

function refsOfRelation(entity: Entity, type: string, kind?: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .filter(ref => !kind || parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === kind);
}

function ownersOf(entity: Entity): string[] {
  const fromRelations = refsOfRelation(entity, RELATION_OWNED_BY);
  if (fromRelations.length > 0) {
    return fromRelations;
  }
  const owner = entity.spec?.owner;
  if (typeof owner === 'string' && owner) {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    ];
  }
  return [];
}

function contractOf(entity: Entity): OdcsDataContract | undefined {
  const definition = entity.spec?.definition;
  if (typeof definition !== 'string' || !definition.trim()) {
    return undefined;
  }
  const parsed = parseDataContract(definition);
  return parsed.valid ? parsed.contract : undefined;
}

function approversOf(contract: OdcsDataContract | undefined): string[] {
  const refs: string[] = [];
  for (const role of contract?.roles ?? []) {
    const approver = role.firstLevelApprovers?.trim();
    if (!approver) continue;
    try {
      refs.push(
        stringifyEntityRef(
          parseEntityRef(approver, { defaultKind: 'group', defaultNamespace: 'default' }),
        ),
      );
    } catch {
      // Not an entity ref (e.g. a person's name): it cannot confer review rights.
    }
  }
  return refs;
}

function classificationsOf(contract: OdcsDataContract | undefined): string[] {
  const found = new Set<string>();
  const visit = (element: { classification?: unknown; properties?: unknown }) => {
    if (typeof element.classification === 'string' && element.classification) {
      found.add(element.classification.toLocaleLowerCase('en-US'));
    }
    if (Array.isArray(element.properties)) {
      element.properties.forEach(visit);
    }
  };
  (contract?.schema ?? []).forEach(object => visit(object as { classification?: unknown }));
  return [...found];
}

function tableOf(entity: Entity): AccessGrantTable | undefined {
  const a = entity.metadata.annotations ?? {};
  const databaseName = a[ANNOTATION_GLUE_DATABASE];
  const tableName = a[ANNOTATION_GLUE_TABLE];
  const catalogId = a[ANNOTATION_AWS_ACCOUNT_ID];
  const region = a[ANNOTATION_AWS_REGION];
  if (!databaseName || !tableName || !catalogId || !region) {
    return undefined;
  }
  return { catalogId, region, databaseName, tableName };
}

function normalizeRef(ref: string, defaultKind?: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }));
  } catch (error) {
    throw new InputError(`'${ref}' is not a valid entity ref`);
  }
}

/**
 * Reads data products, datasets and teams from the catalog, always with the
 * credentials of whoever asks, so nobody learns of an entity they cannot see.
 */
export class AccessEntities {
  constructor(private readonly catalog: CatalogService) {}

  async getTarget(entityRef: string, credentials: BackstageCredentials): Promise<AccessTarget> {
    const ref = normalizeRef(entityRef);
    const entity = await this.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(`No data product or dataset ${ref} in the catalog`);
    }
    return this.describe(entity, credentials);
  }

  /** Like {@link getTarget}, but undefined for a missing or unsuitable entity. */
  async findTarget(entityRef: string, credentials: BackstageCredentials): Promise<AccessTarget | undefined> {
    try {
      return await this.getTarget(entityRef, credentials);
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof InputError) {
        return undefined;
      }
      throw error;
    }
  }

  /** The entity carrying a DataZone listing id (requests made in the DataZone portal). */
  async findTargetByListing(listingId: string, credentials: BackstageCredentials): Promise<AccessTarget | undefined> {
    const { items } = await this.catalog.getEntities(
      { filter: { [`metadata.annotations.${ANNOTATION_DATAZONE_LISTING_ID}`]: listingId } },
      { credentials },
    );
    const entity = items.find(e => isDataProductEntity(e) || isDatasetEntity(e));
    return entity ? this.describe(entity, credentials) : undefined;
  }

  async getTeam(teamRef: string, credentials: BackstageCredentials): Promise<AccessTeam> {
    const ref = normalizeRef(teamRef, 'group');
    if (parseEntityRef(ref).kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new InputError(`teamRef must be a group, got ${ref}`);
    }
    const entity = await this.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(`No team ${ref} in the catalog`);
    }
    const a = entity.metadata.annotations ?? {};
    return {
      teamRef: ref,
      title: entity.metadata.title,
      lakeFormationRoleArn: a[ANNOTATION_LAKE_FORMATION_PRINCIPAL_ROLE_ARN],
      dataZoneProjectId: a[ANNOTATION_DATAZONE_PROJECT_ID],
    };
  }

  /** The team whose Group carries the DataZone project id. */
  async findTeamByProject(projectId: string, credentials: BackstageCredentials): Promise<AccessTeam | undefined> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: 'Group',
          [`metadata.annotations.${ANNOTATION_DATAZONE_PROJECT_ID}`]: projectId,
        },
      },
      { credentials },
    );
    return items[0] ? this.getTeam(stringifyEntityRef(items[0]), credentials) : undefined;
  }

  private async describe(entity: Entity, credentials: BackstageCredentials): Promise<AccessTarget> {
    const entityRef = stringifyEntityRef(entity);
    const a = entity.metadata.annotations ?? {};
    if (isDatasetEntity(entity)) {
      const contract = contractOf(entity);
      const table = tableOf(entity);
      const productRef = refsOfRelation(entity, RELATION_PART_OF, 'system')[0];
      return {
        entityRef,
        title: entity.metadata.title ?? entity.metadata.name,
        kind: 'dataset',
        productRef,
        ownerRefs: ownersOf(entity),
        approverRefs: approversOf(contract),
        tables: table ? [table] : [],
        domainId: a[ANNOTATION_DATAZONE_DOMAIN_ID],
        listingId: a[ANNOTATION_DATAZONE_LISTING_ID],
        region: a[ANNOTATION_AWS_REGION],
        classifications: classificationsOf(contract),
      };
    }
    if (isDataProductEntity(entity)) {
      // A product's contract reaches the catalog through its datasets, which
      // carry the product document's common sections (roles included).
      const datasetRefs = refsOfRelation(entity, RELATION_HAS_PART, 'api');
      const { items } = datasetRefs.length
        ? await this.catalog.getEntitiesByRefs({ entityRefs: datasetRefs }, { credentials })
        : { items: [] };
      const datasets = items.filter((e): e is Entity => !!e && isDatasetEntity(e));
      const contracts = datasets.map(contractOf);
      return {
        entityRef,
        title: entity.metadata.title ?? entity.metadata.name,
        kind: 'data-product',
        productRef: entityRef,
        ownerRefs: ownersOf(entity),
        approverRefs: [...new Set(contracts.flatMap(approversOf))],
        tables: datasets.map(tableOf).filter((t): t is AccessGrantTable => !!t),
        domainId: a[ANNOTATION_DATAZONE_DOMAIN_ID],
        listingId: a[ANNOTATION_DATAZONE_LISTING_ID],
        region: a[ANNOTATION_AWS_REGION] ?? datasets.map(tableOf).find(Boolean)?.region,
        classifications: [...new Set(contracts.flatMap(classificationsOf))],
      };
    }
    throw new InputError(
      `${entityRef} is neither a data product (System of type data-product) nor a dataset (API of type dataset)`,
    );
  }
}
