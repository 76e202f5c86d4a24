import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { DATA_MESH_RESOURCE_TYPE_CATALOG_ENTITY } from '@data-mesh-portal/plugin-data-mesh-common';
import { AccessRequestFilter } from '../database/AccessRequestStore';

/**
 * What the data-mesh rules know about a data product or dataset entity: who
 * owns it and who the contract names as approvers.
 *
 * @public
 */
export interface DataMeshEntityResource {
  entityRef: string;
  /** The owning group(s) (`ownedBy` relations). */
  ownerRefs: string[];
  /** The contract's `roles[].firstLevelApprovers` groups. */
  approverRefs: string[];
}

/**
 * The data-mesh plugin's view of catalog entities in the permission framework.
 * Conditional decisions built with {@link dataMeshEntityConditions} carry
 * `pluginId: 'data-mesh'`, so the permission backend asks this plugin to
 * evaluate them (it reads the entity and its contract from the catalog), and
 * lists turn the same conditions into a database filter.
 *
 * @public
 */
export const dataMeshEntityResourceRef = createPermissionResourceRef<
  DataMeshEntityResource,
  AccessRequestFilter
>().with({
  pluginId: 'data-mesh',
  resourceType: DATA_MESH_RESOURCE_TYPE_CATALOG_ENTITY,
});

type ClaimsParams = { claims: string[] };

const JSON_SCHEMA = {
  type: 'object',
  properties: {
    claims: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Entity refs of the user and their groups (e.g. user.info.ownershipEntityRefs)',
    },
  },
  required: ['claims'],
  additionalProperties: false,
};

// A Standard Schema (with its JSON Schema) for `{ claims: string[] }`,
// written out because the installed zod 3 does not implement Standard JSON
// Schema and the permission framework deprecates zod 3 parameter schemas.
const claimsParamsSchema = {
  '~standard': {
    version: 1 as const,
    vendor: 'data-mesh-portal',
    validate(value: unknown) {
      const claims = (value as { claims?: unknown } | null)?.claims;
      if (
        typeof value !== 'object' ||
        value === null ||
        !Array.isArray(claims) ||
        claims.some(c => typeof c !== 'string')
      ) {
        return { issues: [{ message: 'claims must be a list of entity refs', path: ['claims'] }] };
      }
      return { value: { claims: claims as string[] } };
    },
    jsonSchema: {
      input: () => JSON_SCHEMA,
      output: () => JSON_SCHEMA,
    },
    types: undefined as unknown as { input: ClaimsParams; output: ClaimsParams },
  },
};

function intersects(a: string[], b: string[]): boolean {
  const set = new Set(b.map(ref => ref.toLocaleLowerCase('en-US')));
  return a.some(ref => set.has(ref.toLocaleLowerCase('en-US')));
}

/**
 * Allows members of the group that owns the data product or dataset.
 *
 * @public
 */
export const isDataOwnerRule = createPermissionRule<typeof dataMeshEntityResourceRef, ClaimsParams>({
  name: 'IS_DATA_OWNER',
  description: 'Allow members of the group that owns the data product or dataset',
  resourceRef: dataMeshEntityResourceRef,
  paramsSchema: claimsParamsSchema,
  apply: (resource: DataMeshEntityResource, { claims }: ClaimsParams) =>
    intersects(resource.ownerRefs, claims),
  toQuery: ({ claims }: ClaimsParams): AccessRequestFilter => ({
    reviewerGroup: 'owner',
    groupRefs: claims,
  }),
});

/**
 * Allows members of the group the data contract names as approver
 * (`roles[].firstLevelApprovers`).
 *
 * @public
 */
export const isContractApproverRule = createPermissionRule<typeof dataMeshEntityResourceRef, ClaimsParams>({
  name: 'IS_CONTRACT_APPROVER',
  description:
    "Allow members of the group named as approver in the data contract's roles",
  resourceRef: dataMeshEntityResourceRef,
  paramsSchema: claimsParamsSchema,
  apply: (resource: DataMeshEntityResource, { claims }: ClaimsParams) =>
    intersects(resource.approverRefs, claims),
  toQuery: ({ claims }: ClaimsParams): AccessRequestFilter => ({
    reviewerGroup: 'approver',
    groupRefs: claims,
  }),
});

/**
 * The data-mesh permission rules, as registered with the permissions registry.
 *
 * @public
 */
export const dataMeshEntityRules = {
  isDataOwner: isDataOwnerRule,
  isContractApprover: isContractApproverRule,
};

const exportsForPolicies = createConditionExports({
  resourceRef: dataMeshEntityResourceRef,
  rules: dataMeshEntityRules,
});

/**
 * Condition factories for permission policies, e.g.
 * `dataMeshEntityConditions.isDataOwner({ claims: user.info.ownershipEntityRefs })`.
 *
 * @public
 */
export const dataMeshEntityConditions = exportsForPolicies.conditions;

/**
 * Wraps conditions into a decision the data-mesh plugin evaluates.
 *
 * @public
 */
export const createDataMeshEntityConditionalDecision =
  exportsForPolicies.createConditionalDecision;
