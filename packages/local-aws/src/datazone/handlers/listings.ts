import type * as dz from '@aws-sdk/client-datazone';
import { notFound } from '../errors';
import { requireRevision, type DataZoneStore } from '../store';
import type {
  AssetRecord,
  DataProductRecord,
  ListingRecord,
  ListingRevision,
} from '../state';
import type { RequestContext } from '../context';
import { op } from './types';
import { date, ensureCallerProfile, latest, listingForms } from './util';

type Entity =
  | { kind: 'ASSET'; record: AssetRecord }
  | { kind: 'DATA_PRODUCT'; record: DataProductRecord };

/**
 * Publishes one revision of an asset or data product: the first publish creates the
 * listing, later ones add a listing revision; publishing the revision that is already
 * the active listing changes nothing. A data product publishes its member assets first
 * and lists their listings as its items.
 */
export function publish(
  store: DataZoneStore,
  entity: Entity,
  entityRevision: string | undefined,
  userId: string,
) {
  const now = store.now();
  let revisionFields: Omit<
    ListingRevision,
    | 'listingRevision'
    | 'createdAt'
    | 'createdBy'
    | 'updatedAt'
    | 'updatedBy'
    | 'status'
  >;
  if (entity.kind === 'ASSET') {
    const rev = requireRevision(
      entity.record.revisions,
      entityRevision,
      `Asset ${entity.record.id}`,
    );
    revisionFields = {
      entityRevision: rev.revision,
      name: rev.name,
      description: rev.description,
      owningProjectId: entity.record.owningProjectId,
      glossaryTerms: rev.glossaryTerms,
      assetType: rev.typeIdentifier,
      forms: listingForms(rev.forms),
    };
  } else {
    const rev = requireRevision(
      entity.record.revisions,
      entityRevision,
      `Data product ${entity.record.id}`,
    );
    const items = rev.items.map(item => {
      const asset = store.asset(entity.record.domainId, item.identifier);
      const { listing, revision } = publish(
        store,
        { kind: 'ASSET', record: asset },
        item.revision,
        userId,
      );
      return {
        listingId: listing.id,
        listingRevision: revision.listingRevision,
      };
    });
    revisionFields = {
      entityRevision: rev.revision,
      name: rev.name,
      description: rev.description,
      owningProjectId: entity.record.owningProjectId,
      glossaryTerms: rev.glossaryTerms,
      items,
      forms: listingForms(rev.forms),
    };
  }

  let listing = entity.record.listing
    ? store.state.listings[entity.record.listing.listingId]
    : undefined;
  if (listing) {
    const current = latest(listing.revisions);
    if (
      current.status === 'ACTIVE' &&
      current.entityRevision === revisionFields.entityRevision &&
      JSON.stringify(current.items) === JSON.stringify(revisionFields.items)
    ) {
      return { listing, revision: current };
    }
  } else {
    const seq = store.nextSeq();
    listing = {
      seq,
      id: store.newId('listing', seq),
      domainId: entity.record.domainId,
      entityId: entity.record.id,
      entityType: entity.kind,
      createdAt: now,
      createdBy: userId,
      revisions: [],
      updatedAt: now,
    } satisfies ListingRecord;
    store.state.listings[listing.id] = listing;
  }
  const revision: ListingRevision = {
    ...revisionFields,
    listingRevision: String(listing.revisions.length + 1),
    status: 'ACTIVE',
    createdAt: now,
    createdBy: userId,
    updatedAt: now,
    updatedBy: userId,
  };
  listing.revisions.push(revision);
  listing.updatedAt = now;
  entity.record.listing = { listingId: listing.id, listingStatus: 'ACTIVE' };
  entity.record.updatedAt = now;
  return { listing, revision };
}

function unpublish(store: DataZoneStore, entity: Entity, userId: string) {
  const ref = entity.record.listing;
  if (!ref)
    throw notFound(
      `${entity.kind === 'ASSET' ? 'Asset' : 'Data product'} ${
        entity.record.id
      } has no listing.`,
    );
  const listing = store.state.listings[ref.listingId];
  const current = latest(listing.revisions);
  if (current.status !== 'INACTIVE') {
    const now = store.now();
    current.status = 'INACTIVE';
    current.updatedAt = now;
    current.updatedBy = userId;
    listing.updatedAt = now;
    entity.record.listing = {
      listingId: listing.id,
      listingStatus: 'INACTIVE',
    };
    entity.record.updatedAt = now;
  }
  return { listing, revision: current };
}

export const createListingChangeSet = op(
  (
    input: dz.CreateListingChangeSetInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const entity: Entity =
      input.entityType === 'ASSET'
        ? {
            kind: 'ASSET',
            record: store.asset(domainId, input.entityIdentifier!),
          }
        : {
            kind: 'DATA_PRODUCT',
            record: store.dataProduct(domainId, input.entityIdentifier!),
          };
    // Check the revision before anything changes.
    requireRevision<{ revision: string }>(
      entity.record.revisions,
      input.entityRevision,
      `${input.entityType} ${input.entityIdentifier}`,
    );
    const userId = ensureCallerProfile(store, domainId, ctx).id;
    const { listing, revision } =
      input.action === 'PUBLISH'
        ? publish(store, entity, input.entityRevision, userId)
        : unpublish(store, entity, userId);
    store.changed();
    return {
      listingId: listing.id,
      listingRevision: revision.listingRevision,
      status: revision.status,
    };
  },
);

export function listingItem(listing: ListingRecord, rev: ListingRevision) {
  const glossaryTerms = rev.glossaryTerms?.map(name => ({ name }));
  return listing.entityType === 'ASSET'
    ? {
        assetListing: {
          assetId: listing.entityId,
          assetRevision: rev.entityRevision,
          assetType: rev.assetType,
          createdAt: date(rev.createdAt),
          forms: rev.forms,
          glossaryTerms,
          owningProjectId: rev.owningProjectId,
        },
      }
    : {
        dataProductListing: {
          dataProductId: listing.entityId,
          dataProductRevision: rev.entityRevision,
          createdAt: date(rev.createdAt),
          forms: rev.forms,
          glossaryTerms,
          owningProjectId: rev.owningProjectId,
          items: rev.items,
        },
      };
}

export const getListing = op(
  (input: dz.GetListingInput, _ctx: RequestContext, store: DataZoneStore) => {
    const listing = store.listing(
      store.domain(input.domainIdentifier!).id,
      input.identifier!,
    );
    const rev = input.listingRevision
      ? listing.revisions.find(r => r.listingRevision === input.listingRevision)
      : latest(listing.revisions);
    if (!rev)
      throw notFound(
        `Listing ${listing.id} revision ${input.listingRevision} not found.`,
      );
    return {
      domainId: listing.domainId,
      id: listing.id,
      listingRevision: rev.listingRevision,
      createdAt: date(rev.createdAt),
      updatedAt: date(rev.updatedAt),
      createdBy: rev.createdBy,
      updatedBy: rev.updatedBy,
      item: listingItem(listing, rev),
      name: rev.name,
      description: rev.description,
      status: rev.status,
    };
  },
);
