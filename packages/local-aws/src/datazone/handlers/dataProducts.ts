import type * as dz from '@aws-sdk/client-datazone';
import { conflict, validation } from '../errors';
import { requireRevision, type DataZoneStore } from '../store';
import type { DataProductRecord, DataProductRevision } from '../state';
import type { RequestContext } from '../context';
import { op } from './types';
import { date, ensureCallerProfile, formsOutput, latest } from './util';
import { resolveForms } from './assets';

export function dataProductOutput(
  product: DataProductRecord,
  rev: DataProductRevision,
) {
  return {
    domainId: product.domainId,
    id: product.id,
    revision: rev.revision,
    owningProjectId: product.owningProjectId,
    name: rev.name,
    status: product.status,
    description: rev.description,
    glossaryTerms: rev.glossaryTerms,
    items: rev.items,
    formsOutput: formsOutput(rev.forms),
    createdAt: date(rev.createdAt),
    createdBy: rev.createdBy,
    firstRevisionCreatedAt: date(product.firstRevisionCreatedAt),
    firstRevisionCreatedBy: product.firstRevisionCreatedBy,
  };
}

/** Product names are unique per project. */
function refuseTakenName(
  store: DataZoneStore,
  domainId: string,
  projectId: string,
  name: string,
  exceptId?: string,
) {
  const taken = Object.values(store.state.dataProducts).some(
    p =>
      p.domainId === domainId &&
      p.owningProjectId === projectId &&
      p.id !== exceptId &&
      latest(p.revisions).name === name,
  );
  if (taken) {
    throw conflict(
      `A data product named ${name} already exists in project ${projectId}.`,
    );
  }
}

/** A product's items: assets of its own project, at the revision given or their latest. */
function resolveItems(
  store: DataZoneStore,
  domainId: string,
  projectId: string,
  items: dz.DataProductItem[] | undefined,
) {
  return (items ?? []).map(item => {
    if (item.itemType !== 'ASSET')
      throw validation(`Unsupported data product item type ${item.itemType}.`);
    const asset = store.asset(domainId, item.identifier!);
    if (asset.owningProjectId !== projectId) {
      throw validation(
        `Asset ${asset.id} is not owned by project ${projectId}.`,
      );
    }
    const revision = requireRevision(
      asset.revisions,
      item.revision,
      `Asset ${asset.id}`,
    ).revision;
    return {
      itemType: 'ASSET' as const,
      identifier: asset.id,
      revision,
      glossaryTerms: item.glossaryTerms,
    };
  });
}

export const createDataProduct = op(
  (
    input: dz.CreateDataProductInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const project = store.project(domainId, input.owningProjectIdentifier!);
    refuseTakenName(store, domainId, project.id, input.name!);
    const items = resolveItems(store, domainId, project.id, input.items);
    const forms = resolveForms(store, domainId, input.formsInput, undefined);
    const creator = ensureCallerProfile(store, domainId, ctx);
    const seq = store.nextSeq();
    const now = store.now();
    const revision: DataProductRevision = {
      revision: '1',
      name: input.name!,
      description: input.description,
      glossaryTerms: input.glossaryTerms,
      items,
      forms,
      createdAt: now,
      createdBy: creator.id,
    };
    const product: DataProductRecord = {
      seq,
      id: store.newId('data-product', seq),
      domainId,
      owningProjectId: project.id,
      status: 'CREATED',
      firstRevisionCreatedAt: now,
      firstRevisionCreatedBy: creator.id,
      revisions: [revision],
      updatedAt: now,
    };
    store.state.dataProducts[product.id] = product;
    store.changed();
    return dataProductOutput(product, revision);
  },
);

export const getDataProduct = op(
  (
    input: dz.GetDataProductInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const product = store.dataProduct(
      store.domain(input.domainIdentifier!).id,
      input.identifier!,
    );
    return dataProductOutput(
      product,
      requireRevision(
        product.revisions,
        input.revision,
        `Data product ${product.id}`,
      ),
    );
  },
);

/**
 * A new revision: the name it gives, and the items, glossary terms and
 * description it gives or the current ones; forms it names replace the
 * current ones, the others are kept (as CreateAssetRevision does). A listed
 * product stays on its listed revision until it is published again.
 */
export const createDataProductRevision = op(
  (
    input: dz.CreateDataProductRevisionInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const product = store.dataProduct(domainId, input.identifier!);
    const current = latest(product.revisions);
    refuseTakenName(
      store,
      domainId,
      product.owningProjectId,
      input.name!,
      product.id,
    );
    const creator = ensureCallerProfile(store, domainId, ctx);
    const now = store.now();
    const revision: DataProductRevision = {
      revision: String(product.revisions.length + 1),
      name: input.name!,
      description: input.description ?? current.description,
      glossaryTerms: input.glossaryTerms ?? current.glossaryTerms,
      items: input.items
        ? resolveItems(store, domainId, product.owningProjectId, input.items)
        : current.items,
      forms: resolveForms(
        store,
        domainId,
        input.formsInput,
        undefined,
        current.forms,
      ),
      createdAt: now,
      createdBy: creator.id,
    };
    product.revisions.push(revision);
    product.updatedAt = now;
    store.changed();
    return dataProductOutput(product, revision);
  },
);
