import type * as dz from '@aws-sdk/client-datazone';
import { conflict } from '../errors';
import type { DataZoneStore } from '../store';
import type { DomainUnitRecord } from '../state';
import type { RequestContext } from '../context';
import { paginate } from '../paging';
import { op } from './types';
import { date, ensureCallerProfile } from './util';

function ancestors(store: DataZoneStore, unit: DomainUnitRecord): string[] {
  const ids: string[] = [];
  let parent = unit.parentDomainUnitId;
  while (parent) {
    ids.push(parent);
    parent = store.state.domainUnits[parent]?.parentDomainUnitId;
  }
  return ids;
}

function unitOutput(u: DomainUnitRecord) {
  return {
    id: u.id,
    domainId: u.domainId,
    name: u.name,
    description: u.description,
    parentDomainUnitId: u.parentDomainUnitId,
    owners: u.owners,
    createdAt: date(u.createdAt),
    lastUpdatedAt: date(u.lastUpdatedAt),
    createdBy: u.createdBy,
    lastUpdatedBy: u.lastUpdatedBy,
  };
}

export const createDomainUnit = op(
  (
    input: dz.CreateDomainUnitInput,
    ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const parent = store.domainUnit(
      domainId,
      input.parentDomainUnitIdentifier!,
    );
    const siblings = Object.values(store.state.domainUnits).filter(
      u => u.parentDomainUnitId === parent.id,
    );
    if (siblings.some(u => u.name === input.name)) {
      throw conflict(
        `A domain unit named ${input.name} already exists under ${parent.id}.`,
      );
    }
    const creator = ensureCallerProfile(store, domainId, ctx);
    const seq = store.nextSeq();
    const now = store.now();
    const unit: DomainUnitRecord = {
      seq,
      id: store.newId('domain-unit', seq),
      domainId,
      name: input.name!,
      description: input.description,
      parentDomainUnitId: parent.id,
      owners: [{ user: { userId: creator.id } }],
      createdAt: now,
      lastUpdatedAt: now,
      createdBy: creator.id,
      lastUpdatedBy: creator.id,
    };
    store.state.domainUnits[unit.id] = unit;
    store.changed();
    const {
      lastUpdatedAt: _l,
      lastUpdatedBy: _b,
      ...output
    } = unitOutput(unit);
    return { ...output, ancestorDomainUnitIds: ancestors(store, unit) };
  },
);

export const getDomainUnit = op(
  (input: dz.GetDomainUnitInput, _ctx: RequestContext, store: DataZoneStore) =>
    unitOutput(
      store.domainUnit(
        store.domain(input.domainIdentifier!).id,
        input.identifier!,
      ),
    ),
);

// ListDomainUnitsForParent models no ResourceNotFoundException: an unknown parent lists nothing.
export const listDomainUnitsForParent = op(
  (
    input: dz.ListDomainUnitsForParentInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const items = Object.values(store.state.domainUnits).filter(
      u =>
        u.domainId === domainId &&
        u.parentDomainUnitId === input.parentDomainUnitIdentifier,
    );
    const { page, nextToken } = paginate({
      items,
      key: u => [u.seq],
      maxResults: input.maxResults,
      limit: 25,
      nextToken: input.nextToken,
      query: [
        'ListDomainUnitsForParent',
        domainId,
        input.parentDomainUnitIdentifier,
      ],
    });
    return { items: page.map(u => ({ id: u.id, name: u.name })), nextToken };
  },
);
