import {
  DataZoneClient,
  GetDataProductCommand,
  GetDomainCommand,
  GetDomainUnitCommand,
  ListDomainUnitsForParentCommand,
  ListProjectMembershipsCommand,
  ListProjectsCommand,
  ListSubscriptionsCommand,
  SearchCommand,
  SearchListingsCommand,
  SearchUserProfilesCommand,
  type FilterClause,
  type SearchInventoryResultItem,
  type SearchResultItem,
} from '@aws-sdk/client-datazone';
import { mapAwsError } from '@data-mesh-portal/plugin-data-mesh-node';
import { mapLimit } from './mapLimit';
import {
  AssetListingRecord,
  DataProductListingRecord,
  DataZoneSnapshot,
  DomainRecord,
  DomainUnitRecord,
  GlossaryTermRecord,
  MembershipRecord,
  ProjectRecord,
  SubscriptionRecord,
  UserProfileRecord,
} from './types';

/** The part of the DataZone client the reader uses; tests may pass their own. */
export type DataZoneApi = Pick<DataZoneClient, 'send'>;

/** Page sizes: the largest DataZone accepts per operation. */
const PAGE_SIZE = 50;
const DOMAIN_UNIT_PAGE_SIZE = 25;
// A DataZone domain allows at most 5 levels of units; a deeper walk means a
// cycle in the data (or a stand-in bug), which must not loop forever.
const MAX_DOMAIN_UNIT_DEPTH = 10;

/** Options of a {@link DataZoneReader}. */
export interface DataZoneReaderOptions {
  domainId: string;
  /** Concurrent calls for the per-project and per-unit list calls. */
  concurrency: number;
  includeInventory: boolean;
  subscriptions: boolean;
  matchMembersByEmail: boolean;
}

/** Calls made by a reader, by operation (for logs and the benchmark). */
export type DataZoneCallCounts = Record<string, number>;

/**
 * An error of one DataZone read: names the domain and the operation, and
 * carries the mapped `@backstage/errors` error as its cause.
 */
export class DataZoneReadError extends Error {
  readonly operation: string;
  readonly domainId: string;

  constructor(domainId: string, operation: string, cause: unknown) {
    const mapped = mapAwsError(cause, {
      operation: `DataZone ${operation}`,
      resource: `domain ${domainId}`,
    });
    super(`DataZone ${operation} failed for domain ${domainId}: ${mapped.message}`, {
      cause: mapped,
    });
    this.name = 'DataZoneReadError';
    this.operation = operation;
    this.domainId = domainId;
  }
}

function parseForms(
  forms: string | undefined,
): { forms?: Record<string, unknown>; formsError?: string } {
  if (forms === undefined || forms === '') {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(forms);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return { forms: parsed as Record<string, unknown> };
    }
    return { formsError: 'the listing forms are not a JSON object' };
  } catch (error) {
    return { formsError: `the listing forms are not JSON: ${(error as Error).message}` };
  }
}

// Inventory (Search) returns forms as a list of { formName, content } whose
// content is itself a JSON string; listings (SearchListings) return one JSON
// object keyed by form name. Both end up as the latter.
function parseFormsOutput(
  forms: { formName?: string; content?: string }[] | undefined,
): { forms?: Record<string, unknown>; formsError?: string } {
  if (!forms) {
    return {};
  }
  const result: Record<string, unknown> = {};
  for (const form of forms) {
    if (!form.formName) {
      continue;
    }
    try {
      result[form.formName] = form.content ? JSON.parse(form.content) : {};
    } catch (error) {
      return { formsError: `form ${form.formName} is not JSON: ${(error as Error).message}` };
    }
  }
  return { forms: result };
}

function terms(
  glossaryTerms: { name?: string; shortDescription?: string }[] | string[] | undefined,
): GlossaryTermRecord[] {
  return (glossaryTerms ?? []).map(term =>
    typeof term === 'string' ? { id: term } : { name: term.name },
  );
}

function emailOf(username: string | undefined): string | undefined {
  return username && /^[^@\s]+@[^@\s]+$/.test(username) ? username.toLocaleLowerCase('en-US') : undefined;
}

/**
 * Reads one DataZone domain with paged calls only: GetDomain, the domain unit
 * tree, projects, memberships, SSO user profiles, every listing (with forms,
 * 50 per page), approved subscriptions per listing-owning project, and
 * optionally inventory. Any failed call fails the whole read: callers must
 * never apply a partial result.
 */
export class DataZoneReader {
  readonly calls: DataZoneCallCounts = {};

  constructor(
    private readonly client: DataZoneApi,
    private readonly options: DataZoneReaderOptions,
  ) {}

  async readAll(): Promise<DataZoneSnapshot> {
    const domain = await this.getDomain();
    const [domainUnits, projects, listings, userProfiles] = await Promise.all([
      this.readDomainUnits(domain),
      this.readProjects(),
      this.readListings(),
      this.options.matchMembersByEmail ? this.readUserProfiles() : Promise.resolve([]),
    ]);
    const inventory = this.options.includeInventory
      ? await this.readInventory(listings)
      : { dataProducts: [], assets: [] };
    const memberships = await this.readMemberships(projects.map(p => p.id));
    const listingOwners = new Set(
      [...listings.dataProducts, ...listings.assets]
        .map(listing => listing.owningProjectId)
        .filter((id): id is string => !!id),
    );
    const subscriptions = this.options.subscriptions
      ? await this.readSubscriptions([...listingOwners].sort())
      : [];
    return {
      domain,
      domainUnits,
      projects,
      memberships,
      userProfiles,
      dataProducts: [...listings.dataProducts, ...inventory.dataProducts],
      assets: [...listings.assets, ...inventory.assets],
      subscriptions,
    };
  }

  /**
   * Reads one data product for "sync product now": its project, that
   * project's listings, and the unit chain, without the rest of the domain.
   * Returns undefined when the product has no active listing.
   */
  async readDataProduct(dataProductId: string): Promise<DataZoneSnapshot> {
    const domain = await this.getDomain();
    const product = await this.call('GetDataProduct', () =>
      this.client.send(
        new GetDataProductCommand({
          domainIdentifier: this.options.domainId,
          identifier: dataProductId,
        }),
      ),
    );
    const projectId = product.owningProjectId!;
    // All projects (a few paged calls): consumers of the product's datasets
    // are named after their projects, exactly as in a full sync.
    const projects = await this.readProjects();
    const project = projects.find(p => p.id === projectId);
    if (!project) {
      throw new DataZoneReadError(
        this.options.domainId,
        'ListProjects',
        new Error(`project ${projectId} of data product ${dataProductId} was not listed`),
      );
    }
    const domainUnits: DomainUnitRecord[] = [];
    let unitId = project.domainUnitId;
    for (let depth = 0; unitId && depth < MAX_DOMAIN_UNIT_DEPTH; depth++) {
      const currentId: string = unitId;
      const unit = await this.call('GetDomainUnit', () =>
        this.client.send(
          new GetDomainUnitCommand({ domainIdentifier: this.options.domainId, identifier: currentId }),
        ),
      );
      domainUnits.unshift({ id: currentId, name: unit.name, parentId: unit.parentDomainUnitId });
      unitId = unit.parentDomainUnitId;
    }
    const filter: FilterClause = { filter: { attribute: 'owningProjectId', value: projectId } };
    const listings = await this.readListings(filter);
    const productListing = listings.dataProducts.find(l => l.dataProductId === dataProductId);
    const itemIds = new Set(productListing?.itemListingIds ?? []);
    const subscriptions = this.options.subscriptions
      ? await this.readSubscriptions([projectId])
      : [];
    return {
      domain,
      domainUnits,
      projects,
      memberships: {},
      userProfiles: [],
      dataProducts: productListing ? [productListing] : [],
      assets: listings.assets.filter(a => a.listingId && itemIds.has(a.listingId)),
      subscriptions,
    };
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    try {
      return await fn();
    } catch (error) {
      throw new DataZoneReadError(this.options.domainId, operation, error);
    }
  }

  private async pages<TPage extends { nextToken?: string }>(
    operation: string,
    fetch: (nextToken: string | undefined) => Promise<TPage>,
    onPage: (page: TPage) => void,
  ): Promise<void> {
    let nextToken: string | undefined;
    const seen = new Set<string>();
    do {
      const token = nextToken;
      const page = await this.call(operation, () => fetch(token));
      onPage(page);
      nextToken = page.nextToken || undefined;
      if (nextToken !== undefined) {
        // A repeated token would page forever; treat it as a failed read.
        if (seen.has(nextToken)) {
          throw new DataZoneReadError(
            this.options.domainId,
            operation,
            new Error('DataZone returned the same page token twice'),
          );
        }
        seen.add(nextToken);
      }
    } while (nextToken !== undefined);
  }

  private async getDomain(): Promise<DomainRecord> {
    const domain = await this.call('GetDomain', () =>
      this.client.send(new GetDomainCommand({ identifier: this.options.domainId })),
    );
    return {
      id: domain.id ?? this.options.domainId,
      name: domain.name,
      arn: domain.arn,
      portalUrl: domain.portalUrl,
      rootDomainUnitId: domain.rootDomainUnitId,
    };
  }

  private async readDomainUnits(domain: DomainRecord): Promise<DomainUnitRecord[]> {
    if (!domain.rootDomainUnitId) {
      return [];
    }
    const units: DomainUnitRecord[] = [{ id: domain.rootDomainUnitId, name: domain.name }];
    const visited = new Set([domain.rootDomainUnitId]);
    let level = [domain.rootDomainUnitId];
    for (let depth = 0; level.length > 0; depth++) {
      if (depth >= MAX_DOMAIN_UNIT_DEPTH) {
        throw new DataZoneReadError(
          this.options.domainId,
          'ListDomainUnitsForParent',
          new Error(`domain units nest deeper than ${MAX_DOMAIN_UNIT_DEPTH} levels`),
        );
      }
      const children = await mapLimit(level, this.options.concurrency, async parentId => {
        const found: DomainUnitRecord[] = [];
        await this.pages(
          'ListDomainUnitsForParent',
          nextToken =>
            this.client.send(
              new ListDomainUnitsForParentCommand({
                domainIdentifier: this.options.domainId,
                parentDomainUnitIdentifier: parentId,
                maxResults: DOMAIN_UNIT_PAGE_SIZE,
                nextToken,
              }),
            ),
          page => {
            for (const item of page.items ?? []) {
              if (item.id && !visited.has(item.id)) {
                visited.add(item.id);
                found.push({ id: item.id, name: item.name, parentId });
              }
            }
          },
        );
        return found;
      });
      const next = children.flat();
      units.push(...next);
      level = next.map(unit => unit.id);
    }
    return units;
  }

  private async readProjects(): Promise<ProjectRecord[]> {
    const projects: ProjectRecord[] = [];
    await this.pages(
      'ListProjects',
      nextToken =>
        this.client.send(
          new ListProjectsCommand({
            domainIdentifier: this.options.domainId,
            maxResults: PAGE_SIZE,
            nextToken,
          }),
        ),
      page => {
        for (const item of page.items ?? []) {
          if (item.id) {
            projects.push({
              id: item.id,
              name: item.name,
              description: item.description,
              domainUnitId: item.domainUnitId,
              status: item.projectStatus,
            });
          }
        }
      },
    );
    return projects;
  }

  private async readMemberships(
    projectIds: string[],
  ): Promise<Record<string, MembershipRecord[]>> {
    if (!this.options.matchMembersByEmail) {
      return {};
    }
    const lists = await mapLimit(projectIds, this.options.concurrency, async projectId => {
      const members: MembershipRecord[] = [];
      await this.pages(
        'ListProjectMemberships',
        nextToken =>
          this.client.send(
            new ListProjectMembershipsCommand({
              domainIdentifier: this.options.domainId,
              projectIdentifier: projectId,
              maxResults: PAGE_SIZE,
              nextToken,
            }),
          ),
        page => {
          for (const member of page.members ?? []) {
            members.push({
              userId: member.memberDetails?.user?.userId,
              groupId: member.memberDetails?.group?.groupId,
              designation: member.designation,
            });
          }
        },
      );
      return [projectId, members] as const;
    });
    return Object.fromEntries(lists);
  }

  private async readUserProfiles(): Promise<UserProfileRecord[]> {
    const profiles: UserProfileRecord[] = [];
    await this.pages(
      'SearchUserProfiles',
      nextToken =>
        this.client.send(
          new SearchUserProfilesCommand({
            domainIdentifier: this.options.domainId,
            userType: 'DATAZONE_SSO_USER',
            maxResults: PAGE_SIZE,
            nextToken,
          }),
        ),
      page => {
        for (const item of page.items ?? []) {
          if (item.id) {
            profiles.push({ id: item.id, email: emailOf(item.details?.sso?.username) });
          }
        }
      },
    );
    return profiles;
  }

  private async readListings(
    filters?: FilterClause,
  ): Promise<{ dataProducts: DataProductListingRecord[]; assets: AssetListingRecord[] }> {
    const dataProducts: DataProductListingRecord[] = [];
    const assets: AssetListingRecord[] = [];
    await this.pages(
      'SearchListings',
      nextToken =>
        this.client.send(
          new SearchListingsCommand({
            domainIdentifier: this.options.domainId,
            maxResults: PAGE_SIZE,
            additionalAttributes: ['FORMS'],
            filters,
            nextToken,
          }),
        ),
      page => {
        for (const item of (page.items ?? []) as SearchResultItem[]) {
          if (item.dataProductListing) {
            const listing = item.dataProductListing;
            dataProducts.push({
              listingId: listing.listingId,
              listingRevision: listing.listingRevision,
              dataProductId: listing.entityId,
              name: listing.name,
              description: listing.description,
              owningProjectId: listing.owningProjectId,
              glossaryTerms: terms(listing.glossaryTerms),
              itemListingIds: (listing.items ?? [])
                .map(i => i.listingId)
                .filter((id): id is string => !!id),
              ...parseForms(listing.additionalAttributes?.forms),
              lifecycle: 'production',
            });
          } else if (item.assetListing) {
            const listing = item.assetListing;
            assets.push({
              listingId: listing.listingId,
              listingRevision: listing.listingRevision,
              assetId: listing.entityId,
              assetType: listing.entityType,
              name: listing.name,
              description: listing.description,
              owningProjectId: listing.owningProjectId,
              glossaryTerms: terms(listing.glossaryTerms),
              ...parseForms(listing.additionalAttributes?.forms),
              lifecycle: 'production',
            });
          }
        }
      },
    );
    return { dataProducts, assets };
  }

  private async readInventory(listings: {
    dataProducts: DataProductListingRecord[];
    assets: AssetListingRecord[];
  }): Promise<{ dataProducts: DataProductListingRecord[]; assets: AssetListingRecord[] }> {
    const publishedProducts = new Set(listings.dataProducts.map(p => p.dataProductId));
    const publishedAssets = new Set(listings.assets.map(a => a.assetId));
    const dataProducts: DataProductListingRecord[] = [];
    const assets: AssetListingRecord[] = [];
    for (const scope of ['DATA_PRODUCT', 'ASSET'] as const) {
      await this.pages(
        'Search',
        nextToken =>
          this.client.send(
            new SearchCommand({
              domainIdentifier: this.options.domainId,
              searchScope: scope,
              maxResults: PAGE_SIZE,
              additionalAttributes: ['FORMS'],
              nextToken,
            }),
          ),
        page => {
          for (const item of (page.items ?? []) as SearchInventoryResultItem[]) {
            const product = item.dataProductItem;
            if (product?.id && !publishedProducts.has(product.id)) {
              dataProducts.push({
                dataProductId: product.id,
                name: product.name,
                description: product.description,
                owningProjectId: product.owningProjectId,
                glossaryTerms: terms(product.glossaryTerms),
                itemListingIds: [],
                lifecycle: 'experimental',
              });
            }
            const asset = item.assetItem;
            if (asset?.identifier && !publishedAssets.has(asset.identifier)) {
              assets.push({
                assetId: asset.identifier,
                assetType: asset.typeIdentifier,
                name: asset.name,
                description: asset.description,
                owningProjectId: asset.owningProjectId,
                glossaryTerms: terms(asset.glossaryTerms),
                externalIdentifier: asset.externalIdentifier,
                ...parseFormsOutput(asset.additionalAttributes?.formsOutput),
                lifecycle: 'experimental',
              });
            }
          }
        },
      );
    }
    return { dataProducts, assets };
  }

  private async readSubscriptions(projectIds: string[]): Promise<SubscriptionRecord[]> {
    const lists = await mapLimit(projectIds, this.options.concurrency, async projectId => {
      const subscriptions: SubscriptionRecord[] = [];
      await this.pages(
        'ListSubscriptions',
        nextToken =>
          this.client.send(
            new ListSubscriptionsCommand({
              domainIdentifier: this.options.domainId,
              approverProjectId: projectId,
              status: 'APPROVED',
              maxResults: PAGE_SIZE,
              nextToken,
            }),
          ),
        page => {
          for (const item of page.items ?? []) {
            if (item.id && item.status === 'APPROVED') {
              subscriptions.push({
                id: item.id,
                listingId: item.subscribedListing?.id,
                projectId: item.subscribedPrincipal?.project?.id,
              });
            }
          }
        },
      );
      return subscriptions;
    });
    return lists.flat();
  }
}
