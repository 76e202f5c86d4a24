import type * as dz from '@aws-sdk/client-datazone';
import { conflict, notFound, validation } from '../errors';
import { requireRevision, type DataZoneStore } from '../store';
import type {
  AssetRecord,
  AssetRevision,
  AssetTypeRevision,
  Form,
} from '../state';
import type { RequestContext } from '../context';
import { op } from './types';
import {
  date,
  ensureCallerProfile,
  formsOutput,
  latest,
  parseFormContent,
} from './util';

/**
 * Resolves `formsInput` against the asset type (a form may omit its type when the asset
 * type declares the form name) and checks every content is a JSON object. Throws before
 * anything is stored.
 */
export function resolveForms(
  store: DataZoneStore,
  domainId: string,
  formsInput: dz.FormInput[] | undefined,
  assetType: AssetTypeRevision | undefined,
  previous: Form[] = [],
): Form[] {
  const byName = new Map(previous.map(f => [f.formName, f]));
  const seen = new Set<string>();
  for (const input of formsInput ?? []) {
    const formName = input.formName!;
    if (seen.has(formName))
      throw validation(`Form ${formName} is given more than once.`);
    seen.add(formName);
    const declared = assetType?.forms[formName];
    const typeName = input.typeIdentifier ?? declared?.typeName;
    if (!typeName)
      throw validation(
        `Form ${formName} needs a typeIdentifier: the type does not declare it.`,
      );
    const formTypes = store.state.formTypes[`${domainId}/${typeName}`];
    if (!formTypes) throw notFound(`Form type ${typeName} not found.`);
    const typeRevision =
      input.typeRevision ??
      declared?.typeRevision ??
      latest(formTypes).revision;
    if (!formTypes.some(r => r.revision === typeRevision)) {
      throw notFound(
        `Form type ${typeName} revision ${typeRevision} not found.`,
      );
    }
    byName.set(formName, {
      formName,
      typeName,
      typeRevision,
      content: parseFormContent(formName, input.content),
    });
  }
  for (const [formName, entry] of Object.entries(assetType?.forms ?? {})) {
    if (entry.required && !byName.has(formName))
      throw validation(
        `Form ${formName} is required by asset type ${assetType!.name}.`,
      );
  }
  return [...byName.values()];
}

export function assetOutput(asset: AssetRecord, rev: AssetRevision) {
  return {
    id: asset.id,
    name: rev.name,
    typeIdentifier: rev.typeIdentifier,
    typeRevision: rev.typeRevision,
    revision: rev.revision,
    owningProjectId: asset.owningProjectId,
    domainId: asset.domainId,
    formsOutput: formsOutput(rev.forms),
    readOnlyFormsOutput: [],
    externalIdentifier: asset.externalIdentifier,
    description: rev.description,
    createdAt: date(rev.createdAt),
    createdBy: rev.createdBy,
    firstRevisionCreatedAt: date(asset.firstRevisionCreatedAt),
    firstRevisionCreatedBy: asset.firstRevisionCreatedBy,
    glossaryTerms: rev.glossaryTerms,
    listing: asset.listing,
  };
}

export const createAsset = op(
  (input: dz.CreateAssetInput, ctx: RequestContext, store: DataZoneStore) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const project = store.project(domainId, input.owningProjectIdentifier!);
    const assetType = store.assetType(
      domainId,
      input.typeIdentifier!,
      input.typeRevision,
    );
    if (
      input.externalIdentifier &&
      Object.values(store.state.assets).some(
        a =>
          a.domainId === domainId &&
          a.owningProjectId === project.id &&
          a.externalIdentifier === input.externalIdentifier,
      )
    ) {
      throw conflict(
        `An asset with externalIdentifier ${input.externalIdentifier} already exists in project ${project.id}.`,
      );
    }
    const forms = resolveForms(store, domainId, input.formsInput, assetType);
    const creator = ensureCallerProfile(store, domainId, ctx);
    const seq = store.nextSeq();
    const now = store.now();
    const revision: AssetRevision = {
      revision: '1',
      name: input.name!,
      description: input.description,
      typeIdentifier: assetType.name,
      typeRevision: assetType.revision,
      glossaryTerms: input.glossaryTerms,
      forms,
      createdAt: now,
      createdBy: creator.id,
    };
    const asset: AssetRecord = {
      seq,
      id: store.newId('asset', seq),
      domainId,
      owningProjectId: project.id,
      externalIdentifier: input.externalIdentifier,
      firstRevisionCreatedAt: now,
      firstRevisionCreatedBy: creator.id,
      revisions: [revision],
      updatedAt: now,
    };
    store.state.assets[asset.id] = asset;
    store.changed();
    return assetOutput(asset, revision);
  },
);

export const getAsset = op(
  (input: dz.GetAssetInput, _ctx: RequestContext, store: DataZoneStore) => {
    const asset = store.asset(
      store.domain(input.domainIdentifier!).id,
      input.identifier!,
    );
    return assetOutput(
      asset,
      requireRevision(asset.revisions, input.revision, `Asset ${asset.id}`),
    );
  },
);

/** A new revision keeps the forms it does not name, and replaces the ones it does. */
export const createAssetRevision = op(
  (
    input: dz.CreateAssetRevisionInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const asset = store.asset(domainId, input.identifier!);
    const current = latest(asset.revisions);
    const assetType = store.assetType(
      domainId,
      current.typeIdentifier,
      input.typeRevision ?? current.typeRevision,
    );
    const forms = resolveForms(
      store,
      domainId,
      input.formsInput,
      assetType,
      current.forms,
    );
    const creator = ensureCallerProfile(store, domainId, ctx);
    const now = store.now();
    const revision: AssetRevision = {
      revision: String(asset.revisions.length + 1),
      name: input.name!,
      description: input.description ?? current.description,
      typeIdentifier: assetType.name,
      typeRevision: assetType.revision,
      glossaryTerms: input.glossaryTerms ?? current.glossaryTerms,
      forms,
      createdAt: now,
      createdBy: creator.id,
    };
    asset.revisions.push(revision);
    asset.updatedAt = now;
    store.changed();
    return assetOutput(asset, revision);
  },
);
