import { createFrontendPlugin } from '@backstage/frontend-plugin-api';

/**
 * The Data Mesh Portal frontend plugin for the new frontend system. Entity cards
 * (ownership, SLOs, lineage, dashboards, access) and the access-requests inbox are
 * added here as they are built.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'data-mesh',
  extensions: [],
});
