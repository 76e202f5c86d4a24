import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  dataMeshAccessRequestCreatePermission,
  dataMeshAccessRequestReviewPermission,
  dataMeshPermissions,
} from './permissions';

describe('permissions', () => {
  it('are the decided names, each once', () => {
    expect(dataMeshPermissions.map(p => p.name)).toEqual([
      'data-mesh.access-request.create',
      'data-mesh.access-request.read',
      'data-mesh.access-request.review',
      'data-mesh.access-request.revoke',
      'data-mesh.dashboard.embed',
    ]);
  });

  it('are resource permissions on catalog entities, so conditional decisions apply', () => {
    for (const permission of dataMeshPermissions) {
      expect(isResourcePermission(permission, 'catalog-entity')).toBe(true);
    }
    expect(dataMeshAccessRequestCreatePermission.attributes).toEqual({
      action: 'create',
    });
    expect(dataMeshAccessRequestReviewPermission.attributes).toEqual({
      action: 'update',
    });
  });
});
