import { stableHash } from './stableHash';
import { slugify, truncateSlug } from './slugify';

/**
 * The kinds of DataZone and AWS objects that become catalog entities.
 *
 * @public
 */
export type DataMeshObjectKind =
  | 'domain'
  | 'domain-unit'
  | 'project'
  | 'data-product'
  | 'asset'
  | 's3-bucket'
  | 'glue-database';

/**
 * Input of {@link dataMeshEntityName}.
 *
 * @public
 */
export interface DataMeshEntityNameInput {
  /** What the object is; part of its identity (a bucket and a database may share a name). */
  kind: DataMeshObjectKind;
  /**
   * The object's stable id: the DataZone id (domain unit, project, data product,
   * asset), or for AWS resources the resource name (bucket, Glue database).
   */
  id: string;
  /** The human name, used for the readable part. Falls back to the id when it has no usable characters. */
  name?: string;
  /**
   * The DataZone domain id. Required for DataZone objects (every kind except
   * `s3-bucket` and `glue-database`): ids are only unique within a domain.
   */
  domainId?: string;
  /** AWS account id; pass it for AWS resources (Glue database names repeat across accounts). */
  accountId?: string;
  /** AWS region; pass it for AWS resources (Glue database names repeat across regions). */
  region?: string;
}

/** Backstage's limit for `metadata.name`. */
export const MAX_ENTITY_NAME_LENGTH = 63;
const HASH_LENGTH = 10;
const MAX_SLUG_LENGTH = MAX_ENTITY_NAME_LENGTH - HASH_LENGTH - 1;

const AWS_RESOURCE_KINDS: ReadonlySet<DataMeshObjectKind> = new Set([
  's3-bucket',
  'glue-database',
]);

/**
 * The one function that names Data Mesh Portal entities (`metadata.name`).
 *
 * The result is `<slug of the human name>-<10-character hash>`:
 *
 * - valid: lowercase `a-z0-9` words joined by `-`, at most 63 characters, so it
 *   passes Backstage's name validation and compares equal in any case;
 * - stable: a pure function of its input, so every sync, the scaffolder and the
 *   tests produce the same name for the same object;
 * - unique: the hash covers the kind, the domain (or account and region) and the
 *   object id. It is always added because two domains can both have an
 *   "orders" product, and a truncated slug could collide with another;
 * - readable: the human name comes first. Titles keep the untouched human name;
 *   renaming an object in DataZone changes the slug, so code that needs a
 *   lasting key should use the id annotations, not the entity name.
 *
 * @public
 */
export function dataMeshEntityName(input: DataMeshEntityNameInput): string {
  const { kind, id, name, domainId, accountId, region } = input;
  if (typeof id !== 'string' || id.trim() === '') {
    throw new TypeError(`dataMeshEntityName: ${kind} needs a non-empty id`);
  }
  if (!AWS_RESOURCE_KINDS.has(kind) && !domainId) {
    throw new TypeError(
      `dataMeshEntityName: ${kind} ${id} needs the DataZone domain id`,
    );
  }

  const identity = [kind, domainId ?? '', accountId ?? '', region ?? '', id];
  // A separator that cannot occur in ids keeps ('a', 'bc') apart from ('ab', 'c').
  const hash = stableHash(identity.join('\u0000'), HASH_LENGTH);

  const slug = slugify(name ?? '') || slugify(id) || kind;
  return `${truncateSlug(slug, MAX_SLUG_LENGTH)}-${hash}`;
}
