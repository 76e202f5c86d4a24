import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of catalog entities in the permission framework. Same value as
 * `RESOURCE_TYPE_CATALOG_ENTITY` of `@backstage/plugin-catalog-common/alpha`,
 * kept here so this package does not depend on the catalog's alpha exports.
 *
 * @public
 */
export const DATA_MESH_RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/**
 * Request access to a data product or dataset. The resource is the product or
 * dataset entity, so a policy can decide per entity (e.g. only data products).
 *
 * @public
 */
export const dataMeshAccessRequestCreatePermission = createPermission({
  name: 'data-mesh.access-request.create',
  attributes: { action: 'create' },
  resourceType: DATA_MESH_RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read the access requests of a data product or dataset (the entity is the
 * resource). The backend also lets requesters read their own requests.
 *
 * @public
 */
export const dataMeshAccessRequestReadPermission = createPermission({
  name: 'data-mesh.access-request.read',
  attributes: { action: 'read' },
  resourceType: DATA_MESH_RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Approve or reject access requests for a data product or dataset. A resource
 * permission on the entity so that conditional decisions (e.g. "member of the
 * owning group or of the contract's approver group") apply.
 *
 * @public
 */
export const dataMeshAccessRequestReviewPermission = createPermission({
  name: 'data-mesh.access-request.review',
  attributes: { action: 'update' },
  resourceType: DATA_MESH_RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Revoke granted access to a data product or dataset (the entity is the
 * resource).
 *
 * @public
 */
export const dataMeshAccessRequestRevokePermission = createPermission({
  name: 'data-mesh.access-request.revoke',
  attributes: { action: 'delete' },
  resourceType: DATA_MESH_RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Get an embed URL for a QuickSight dashboard shown on a data product's page
 * (the product entity is the resource).
 *
 * @public
 */
export const dataMeshDashboardEmbedPermission = createPermission({
  name: 'data-mesh.dashboard.embed',
  attributes: { action: 'read' },
  resourceType: DATA_MESH_RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every permission of the Data Mesh Portal, for registration with the
 * permission framework (`permissionsRegistry.addPermissions`).
 *
 * @public
 */
export const dataMeshPermissions = [
  dataMeshAccessRequestCreatePermission,
  dataMeshAccessRequestReadPermission,
  dataMeshAccessRequestReviewPermission,
  dataMeshAccessRequestRevokePermission,
  dataMeshDashboardEmbedPermission,
];
