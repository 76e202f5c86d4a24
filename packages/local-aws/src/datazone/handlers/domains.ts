import type * as dz from '@aws-sdk/client-datazone';
import { conflict, validation } from '../errors';
import type { DataZoneStore } from '../store';
import type { DomainRecord, DomainUnitRecord } from '../state';
import type { RequestContext } from '../context';
import { op } from './types';
import { date, ensureCallerProfile } from './util';
import { paginate } from '../paging';
import { installManagedTypes } from './managedTypes';

function domainOutput(d: DomainRecord) {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    arn: d.arn,
    status: d.status,
    rootDomainUnitId: d.rootDomainUnitId,
    domainExecutionRole: d.domainExecutionRole,
    serviceRole: d.serviceRole,
    kmsKeyIdentifier: d.kmsKeyIdentifier,
    singleSignOn: d.singleSignOn,
    portalUrl: d.portalUrl,
    domainVersion: d.domainVersion,
    tags: d.tags,
    createdAt: date(d.createdAt),
    lastUpdatedAt: date(d.lastUpdatedAt),
  };
}

export const createDomain = op(
  (input: dz.CreateDomainInput, ctx: RequestContext, store: DataZoneStore) => {
    const accountId = ctx.caller.accountId;
    if (
      Object.values(store.state.domains).some(
        d => d.managedAccountId === accountId && d.name === input.name,
      )
    ) {
      throw conflict(`A domain named ${input.name} already exists.`);
    }
    const version = (input.domainVersion ?? 'V1') as 'V1' | 'V2';
    if (version === 'V2' && !input.serviceRole) {
      throw validation('serviceRole is required for a V2 domain.');
    }
    const seq = store.nextSeq();
    const id = `dzd_${store.newId('domain', seq)}`;
    const now = store.now();
    const domain: DomainRecord = {
      seq,
      id,
      name: input.name!,
      description: input.description,
      arn: `arn:aws:datazone:${ctx.region}:${accountId}:domain/${id}`,
      managedAccountId: accountId,
      status: 'AVAILABLE',
      portalUrl: `https://${id}.datazone.${ctx.region}.on.aws`,
      domainExecutionRole:
        input.domainExecutionRole ??
        `arn:aws:iam::${accountId}:role/service-role/AmazonDataZoneDomainExecution`,
      serviceRole: input.serviceRole,
      kmsKeyIdentifier: input.kmsKeyIdentifier,
      domainVersion: version,
      singleSignOn: input.singleSignOn,
      tags: input.tags,
      rootDomainUnitId: '',
      createdAt: now,
      lastUpdatedAt: now,
    };
    store.state.domains[id] = domain;
    const creator = ensureCallerProfile(store, id, ctx);
    const unitSeq = store.nextSeq();
    const root: DomainUnitRecord = {
      seq: unitSeq,
      id: store.newId('domain-unit', unitSeq),
      domainId: id,
      name: input.name!,
      description: input.description,
      owners: [{ user: { userId: creator.id } }],
      createdAt: now,
      lastUpdatedAt: now,
      createdBy: creator.id,
      lastUpdatedBy: creator.id,
    };
    store.state.domainUnits[root.id] = root;
    domain.rootDomainUnitId = root.id;
    installManagedTypes(store, id, now);
    store.changed();
    const {
      createdAt: _c,
      lastUpdatedAt: _l,
      ...output
    } = domainOutput(domain);
    return output;
  },
);

export const getDomain = op(
  (input: dz.GetDomainInput, _ctx: RequestContext, store: DataZoneStore) =>
    domainOutput(store.domain(input.identifier!)),
);

// Every domain of the local region is listed, whichever account asks: the local AWS
// treats the producer account as associated with every domain (no AWS RAM share needed).
export const listDomains = op(
  (input: dz.ListDomainsInput, _ctx: RequestContext, store: DataZoneStore) => {
    const items = Object.values(store.state.domains).filter(
      d => !input.status || d.status === input.status,
    );
    const { page, nextToken } = paginate({
      items,
      key: d => [d.seq],
      maxResults: input.maxResults,
      limit: 25,
      nextToken: input.nextToken,
      query: ['ListDomains', input.status],
    });
    return {
      items: page.map(d => ({
        id: d.id,
        name: d.name,
        description: d.description,
        arn: d.arn,
        managedAccountId: d.managedAccountId,
        status: d.status,
        portalUrl: d.portalUrl,
        domainVersion: d.domainVersion,
        createdAt: date(d.createdAt),
        lastUpdatedAt: date(d.lastUpdatedAt),
      })),
      nextToken,
    };
  },
);
