import type * as dz from '@aws-sdk/client-datazone';
import { conflict, validation } from '../errors';
import type { DataZoneStore } from '../store';
import type { AssetTypeRevision, FormTypeRevision } from '../state';
import type { RequestContext } from '../context';
import { paginate } from '../paging';
import { op } from './types';
import { date, ensureCallerProfile, latest } from './util';
import {
  matchesFilter,
  matchesText,
  sortKey,
  type Searchable,
} from './filters';

function formTypeOutput(f: FormTypeRevision) {
  return {
    domainId: f.domainId,
    name: f.name,
    revision: f.revision,
    model: { smithy: f.smithy },
    owningProjectId: f.owningProjectId,
    originDomainId: f.domainId,
    originProjectId: f.owningProjectId,
    status: f.status,
    createdAt: date(f.createdAt),
    createdBy: f.createdBy,
    description: f.description,
  };
}

function assetTypeOutput(a: AssetTypeRevision) {
  return {
    domainId: a.domainId,
    name: a.name,
    revision: a.revision,
    formsOutput: a.forms,
    owningProjectId: a.owningProjectId,
    description: a.description,
    originDomainId: a.domainId,
    originProjectId: a.owningProjectId,
    createdAt: date(a.createdAt),
    createdBy: a.createdBy,
    updatedAt: date(a.createdAt),
    updatedBy: a.createdBy,
  };
}

/** The project must exist; these operations model no ResourceNotFoundException. */
function owningProject(store: DataZoneStore, domainId: string, id: string) {
  const project = store.state.projects[id];
  if (!project || project.domainId !== domainId)
    throw validation(`Project ${id} does not exist in domain ${domainId}.`);
  return project;
}

// Creating a form type under an existing name adds a revision when the model changed,
// and returns the current revision when it did not.
export const createFormType = op(
  (
    input: dz.CreateFormTypeInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const name = input.name!;
    if (name.startsWith('amazon.datazone.'))
      throw validation(
        'Form type names starting with amazon.datazone. are reserved.',
      );
    const smithy = input.model?.smithy;
    if (!smithy || !/\bstructure\s+\w+\s*\{/.test(smithy)) {
      throw validation('model.smithy must define a Smithy structure.');
    }
    const project = owningProject(
      store,
      domainId,
      input.owningProjectIdentifier!,
    );
    const key = `${domainId}/${name}`;
    const revisions = store.state.formTypes[key] ?? [];
    const current = revisions.length ? latest(revisions) : undefined;
    if (current && current.owningProjectId !== project.id) {
      throw conflict(`Form type ${name} is owned by another project.`);
    }
    let result = current;
    if (
      !current ||
      current.smithy !== smithy ||
      current.status !== (input.status ?? 'ENABLED')
    ) {
      const creator = ensureCallerProfile(store, domainId, ctx);
      result = {
        seq: store.nextSeq(),
        domainId,
        name,
        revision: String(revisions.length + 1),
        smithy,
        status: (input.status as 'ENABLED' | 'DISABLED') ?? 'ENABLED',
        description: input.description,
        owningProjectId: project.id,
        managed: false,
        createdAt: store.now(),
        createdBy: creator.id,
      };
      store.state.formTypes[key] = [...revisions, result];
      store.changed();
    }
    return {
      domainId,
      name,
      revision: result!.revision,
      description: result!.description,
      owningProjectId: result!.owningProjectId,
      originDomainId: domainId,
      originProjectId: result!.owningProjectId,
    };
  },
);

export const getFormType = op(
  (input: dz.GetFormTypeInput, _ctx: RequestContext, store: DataZoneStore) =>
    formTypeOutput(
      store.formType(
        store.domain(input.domainIdentifier!).id,
        input.formTypeIdentifier!,
        input.revision,
      ),
    ),
);

export const createAssetType = op(
  (
    input: dz.CreateAssetTypeInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const name = input.name!;
    if (name.startsWith('amazon.datazone.'))
      throw validation(
        'Asset type names starting with amazon.datazone. are reserved.',
      );
    const project = owningProject(
      store,
      domainId,
      input.owningProjectIdentifier!,
    );
    if (store.state.assetTypes[`${domainId}/${name}`])
      throw conflict(`Asset type ${name} already exists.`);
    const forms: AssetTypeRevision['forms'] = {};
    for (const [formName, entry] of Object.entries(input.formsInput ?? {})) {
      const formType = store.state.formTypes[
        `${domainId}/${entry.typeIdentifier}`
      ]?.find(r => r.revision === entry.typeRevision);
      if (!formType)
        throw validation(
          `Form type ${entry.typeIdentifier} revision ${entry.typeRevision} does not exist.`,
        );
      forms[formName] = {
        typeName: formType.name,
        typeRevision: formType.revision,
        required: entry.required ?? false,
      };
    }
    const creator = ensureCallerProfile(store, domainId, ctx);
    const record: AssetTypeRevision = {
      seq: store.nextSeq(),
      domainId,
      name,
      revision: '1',
      description: input.description,
      owningProjectId: project.id,
      managed: false,
      forms,
      createdAt: store.now(),
      createdBy: creator.id,
    };
    store.state.assetTypes[`${domainId}/${name}`] = [record];
    store.changed();
    return assetTypeOutput(record);
  },
);

export const getAssetType = op(
  (input: dz.GetAssetTypeInput, _ctx: RequestContext, store: DataZoneStore) =>
    assetTypeOutput(
      store.assetType(
        store.domain(input.domainIdentifier!).id,
        input.identifier!,
        input.revision,
      ),
    ),
);

export const searchTypes = op(
  (input: dz.SearchTypesInput, _ctx: RequestContext, store: DataZoneStore) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    type Entry = Searchable & { item: unknown };
    let entries: Entry[] = [];
    const prefix = `${domainId}/`;
    if (input.searchScope === 'FORM_TYPE') {
      entries = Object.entries(store.state.formTypes)
        .filter(([k]) => k.startsWith(prefix))
        .map(([, revs]) => latest(revs))
        .filter(f => f.managed === input.managed)
        .map(f => ({
          seq: f.seq,
          createdAt: f.createdAt,
          updatedAt: f.createdAt,
          attributes: {
            name: [f.name],
            description: f.description ? [f.description] : [],
            owningProjectId: [f.owningProjectId],
            typeName: [f.name],
          },
          item: { formTypeItem: formTypeOutput(f) },
        }));
    } else if (input.searchScope === 'ASSET_TYPE') {
      entries = Object.entries(store.state.assetTypes)
        .filter(([k]) => k.startsWith(prefix))
        .map(([, revs]) => latest(revs))
        .filter(a => a.managed === input.managed)
        .map(a => ({
          seq: a.seq,
          createdAt: a.createdAt,
          updatedAt: a.createdAt,
          attributes: {
            name: [a.name],
            description: a.description ? [a.description] : [],
            owningProjectId: [a.owningProjectId],
            typeName: [a.name],
          },
          item: { assetTypeItem: assetTypeOutput(a) },
        }));
    }
    const matches = entries.filter(
      e =>
        matchesText(e, input.searchText, input.searchIn) &&
        matchesFilter(e, input.filters),
    );
    const { page, nextToken } = paginate({
      items: matches,
      key: e => sortKey(e, input.sort),
      descending: input.sort?.order === 'DESCENDING',
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: [
        'SearchTypes',
        domainId,
        input.searchScope,
        input.managed,
        input.searchText,
        input.searchIn,
        input.filters,
        input.sort,
      ],
    });
    return {
      items: page.map(e => e.item),
      nextToken,
      totalMatchCount: matches.length,
    };
  },
);
