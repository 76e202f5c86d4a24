/**
 * What one DataZone read produces: plain data, the input of the pure mapping
 * (`mapping/`). Fields keep DataZone's names; anything DataZone may leave out
 * is optional, so the mapping decides what is unusable.
 */

/** The domain itself (GetDomain). */
export interface DomainRecord {
  id: string;
  name?: string;
  arn?: string;
  portalUrl?: string;
  rootDomainUnitId?: string;
}

/** A domain unit (ListDomainUnitsForParent, walked from the root). */
export interface DomainUnitRecord {
  id: string;
  name?: string;
  /** Unset for the root unit. */
  parentId?: string;
}

/** A project (ListProjects). */
export interface ProjectRecord {
  id: string;
  name?: string;
  description?: string;
  domainUnitId?: string;
  status?: string;
}

/** A project member (ListProjectMemberships). */
export interface MembershipRecord {
  userId?: string;
  groupId?: string;
  designation?: string;
}

/** A user profile (SearchUserProfiles); `email` is the SSO user name when it is an email. */
export interface UserProfileRecord {
  id: string;
  email?: string;
}

/** A glossary term reference on a listing. */
export interface GlossaryTermRecord {
  id?: string;
  name?: string;
}

/** A published data product (SearchListings `dataProductListing`). */
export interface DataProductListingRecord {
  listingId?: string;
  listingRevision?: string;
  dataProductId?: string;
  name?: string;
  description?: string;
  owningProjectId?: string;
  glossaryTerms: GlossaryTermRecord[];
  /** Listing ids of the product's asset listings. */
  itemListingIds: string[];
  /** The listing's forms: form name → parsed content (the listing `forms` JSON string, parsed). */
  forms?: Record<string, unknown>;
  /** Set when the `forms` string was not JSON. */
  formsError?: string;
  /** `production` for listings, `experimental` for unpublished inventory. */
  lifecycle: 'production' | 'experimental';
}

/** A published asset (SearchListings `assetListing`), or an inventory asset (Search). */
export interface AssetListingRecord {
  listingId?: string;
  listingRevision?: string;
  assetId?: string;
  assetType?: string;
  name?: string;
  description?: string;
  owningProjectId?: string;
  glossaryTerms: GlossaryTermRecord[];
  forms?: Record<string, unknown>;
  formsError?: string;
  /** The asset's external identifier (e.g. the Glue table ARN), inventory only. */
  externalIdentifier?: string;
  lifecycle: 'production' | 'experimental';
}

/** An approved subscription (ListSubscriptions, status APPROVED). */
export interface SubscriptionRecord {
  id: string;
  listingId?: string;
  /** Set when the subscriber is a project. */
  projectId?: string;
}

/** Everything one sync reads from one domain. */
export interface DataZoneSnapshot {
  domain: DomainRecord;
  domainUnits: DomainUnitRecord[];
  projects: ProjectRecord[];
  /** Project id → members. */
  memberships: Record<string, MembershipRecord[]>;
  userProfiles: UserProfileRecord[];
  dataProducts: DataProductListingRecord[];
  assets: AssetListingRecord[];
  subscriptions: SubscriptionRecord[];
}
