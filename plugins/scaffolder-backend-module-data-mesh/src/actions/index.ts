import type { DataMeshCatalogSyncService } from '@data-mesh-portal/plugin-data-mesh-node';
import type { AwsClients } from '../lib/common';
import { createCatalogSyncProductAction } from './catalog/syncProduct';
import { createDataZonePublishAction } from './datazone/publish';
import { createDataZoneResolveProjectAction } from './datazone/resolveProject';
import { createDataZoneRunDataSourceAction } from './datazone/runDataSource';
import { createGlueCreateCrawlerAction } from './glue/createCrawler';
import { createGlueCreateDatabaseAction } from './glue/createDatabase';
import { createGlueCreateTableAction } from './glue/createTable';
import { createLakeFormationAttachLfTagsAction } from './lakeformation/attachLfTags';
import { createLakeFormationCreateLfTagsAction } from './lakeformation/createLfTags';
import { createLakeFormationGrantAction } from './lakeformation/grant';
import { createLakeFormationRegisterLocationAction } from './lakeformation/registerLocation';
import { createS3CreateBucketAction } from './s3/createBucket';

export {
  createCatalogSyncProductAction,
  createDataZonePublishAction,
  createDataZoneResolveProjectAction,
  createDataZoneRunDataSourceAction,
  createGlueCreateCrawlerAction,
  createGlueCreateDatabaseAction,
  createGlueCreateTableAction,
  createLakeFormationAttachLfTagsAction,
  createLakeFormationCreateLfTagsAction,
  createLakeFormationGrantAction,
  createLakeFormationRegisterLocationAction,
  createS3CreateBucketAction,
};

/**
 * Every `data-mesh:*` action, in the order a data product is provisioned.
 *
 * @public
 */
export function createDataMeshActions(options: {
  clients: AwsClients;
  sync: DataMeshCatalogSyncService;
}) {
  const { clients, sync } = options;
  return [
    createDataZoneResolveProjectAction({ clients }),
    createS3CreateBucketAction({ clients }),
    createGlueCreateDatabaseAction({ clients }),
    createGlueCreateTableAction({ clients }),
    createGlueCreateCrawlerAction({ clients }),
    createLakeFormationRegisterLocationAction({ clients }),
    createLakeFormationCreateLfTagsAction({ clients }),
    createLakeFormationAttachLfTagsAction({ clients }),
    createLakeFormationGrantAction({ clients }),
    createDataZonePublishAction({ clients }),
    createDataZoneRunDataSourceAction({ clients }),
    createCatalogSyncProductAction({ sync }),
  ];
}
