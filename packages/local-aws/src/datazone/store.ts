import { makeId } from './ids';
import { notFound, validation } from './errors';
import type { Caller } from './context';
import {
  emptyState,
  type AssetRecord,
  type AssetTypeRevision,
  type DataProductRecord,
  type DataZoneState,
  type DomainRecord,
  type DomainUnitRecord,
  type EnvironmentRecord,
  type FormTypeRevision,
  type ListingRecord,
  type ProjectRecord,
  type UserProfileRecord,
} from './state';

/**
 * The in-memory model: the state plus lookups that fail the way DataZone fails
 * (ResourceNotFoundException naming the missing thing). No I/O here; persistence watches
 * `changed` and writes the state elsewhere.
 */
export class DataZoneStore {
  private listeners: (() => void)[] = [];

  constructor(
    public state: DataZoneState = emptyState(),
    readonly clock: () => number = Date.now,
  ) {}

  onChange(listener: () => void) {
    this.listeners.push(listener);
  }

  /** Call after every successful mutation. */
  changed() {
    for (const l of this.listeners) l();
  }

  nextSeq(): number {
    this.state.seq += 1;
    return this.state.seq;
  }

  newId(kind: string, seq: number): string {
    return makeId(kind, seq);
  }

  now(): number {
    return this.clock();
  }

  domain(id: string): DomainRecord {
    const domain = this.state.domains[id];
    if (!domain) throw notFound(`Domain ${id} not found.`);
    return domain;
  }

  domainUnit(domainId: string, id: string): DomainUnitRecord {
    const unit = this.state.domainUnits[id];
    if (!unit || unit.domainId !== domainId)
      throw notFound(`Domain unit ${id} not found.`);
    return unit;
  }

  project(domainId: string, id: string): ProjectRecord {
    const project = this.state.projects[id];
    if (!project || project.domainId !== domainId)
      throw notFound(`Project ${id} not found.`);
    return project;
  }

  environment(domainId: string, id: string): EnvironmentRecord {
    const env = this.state.environments[id];
    if (!env || env.domainId !== domainId)
      throw notFound(`Environment ${id} not found.`);
    return env;
  }

  asset(domainId: string, id: string): AssetRecord {
    const asset = this.state.assets[id];
    if (!asset || asset.domainId !== domainId)
      throw notFound(`Asset ${id} not found.`);
    return asset;
  }

  dataProduct(domainId: string, id: string): DataProductRecord {
    const product = this.state.dataProducts[id];
    if (!product || product.domainId !== domainId)
      throw notFound(`Data product ${id} not found.`);
    return product;
  }

  listing(domainId: string, id: string): ListingRecord {
    const listing = this.state.listings[id];
    if (!listing || listing.domainId !== domainId)
      throw notFound(`Listing ${id} not found.`);
    return listing;
  }

  formType(
    domainId: string,
    name: string,
    revision?: string,
  ): FormTypeRevision {
    return pickRevision(
      this.state.formTypes[`${domainId}/${name}`],
      revision,
      `Form type ${name}`,
    );
  }

  assetType(
    domainId: string,
    name: string,
    revision?: string,
  ): AssetTypeRevision {
    return pickRevision(
      this.state.assetTypes[`${domainId}/${name}`],
      revision,
      `Asset type ${name}`,
    );
  }

  userProfileByKey(
    domainId: string,
    key: string,
  ): UserProfileRecord | undefined {
    const wanted = key.toLowerCase();
    return Object.values(this.state.userProfiles).find(
      p => p.domainId === domainId && (p.key === wanted || p.id === key),
    );
  }

  /**
   * The user id DataZone records as `createdBy`: the caller's user profile when it has
   * one (matched by ARN, or by the role of an assumed-role session), else the principal's
   * ARN, so the field is never empty.
   */
  callerUserId(domainId: string, caller: Caller): string {
    return this.callerProfile(domainId, caller)?.id ?? caller.arn;
  }

  callerProfile(
    domainId: string,
    caller: Caller,
  ): UserProfileRecord | undefined {
    return (
      this.userProfileByKey(domainId, caller.arn) ??
      this.userProfileByKey(domainId, roleArnOfSession(caller.arn) ?? '')
    );
  }
}

/** `arn:aws:sts::123:assumed-role/Role/session` → `arn:aws:iam::123:role/Role`. */
export function roleArnOfSession(arn: string): string | undefined {
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:aws:iam::${m[1]}:role/${m[2]}` : undefined;
}

function pickRevision<T extends { revision: string }>(
  revisions: T[] | undefined,
  revision: string | undefined,
  what: string,
): T {
  if (!revisions || revisions.length === 0)
    throw notFound(`${what} not found.`);
  if (revision === undefined) return revisions[revisions.length - 1];
  const found = revisions.find(r => r.revision === revision);
  if (!found) throw notFound(`${what} revision ${revision} not found.`);
  return found;
}

export function requireRevision<T extends { revision: string }>(
  revisions: T[],
  revision: string | undefined,
  what: string,
): T {
  return pickRevision(revisions, revision, what);
}

export const ensure = (condition: unknown, message: string) => {
  if (!condition) throw validation(message);
};
