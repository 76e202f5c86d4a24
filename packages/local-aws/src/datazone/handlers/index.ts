import type { HandlerMap } from './types';
import { createDomain, getDomain, listDomains } from './domains';
import {
  createDomainUnit,
  getDomainUnit,
  listDomainUnitsForParent,
} from './domainUnits';
import {
  createProject,
  createProjectMembership,
  getProject,
  listProjectMemberships,
  listProjects,
} from './projects';
import { createUserProfile, getUserProfile, searchUserProfiles } from './users';
import {
  createEnvironment,
  getEnvironment,
  listEnvironments,
} from './environments';
import {
  createAssetType,
  createFormType,
  getAssetType,
  getFormType,
  searchTypes,
} from './metadataTypes';
import { createAsset, createAssetRevision, getAsset } from './assets';
import {
  createDataProduct,
  createDataProductRevision,
  getDataProduct,
} from './dataProducts';
import { createListingChangeSet, getListing } from './listings';
import { search, searchListings } from './search';
import {
  acceptSubscriptionRequest,
  createSubscriptionRequest,
  getSubscription,
  getSubscriptionGrant,
  getSubscriptionRequestDetails,
  listSubscriptionGrants,
  listSubscriptionRequests,
  listSubscriptions,
  rejectSubscriptionRequest,
  revokeSubscription,
} from './subscriptions';
import {
  createDataSource,
  getDataSource,
  getDataSourceRun,
  listDataSourceRuns,
  listDataSources,
  startDataSourceRun,
} from './dataSources';
import {
  getTimeSeriesDataPoint,
  listTimeSeriesDataPoints,
  postTimeSeriesDataPoints,
} from './timeSeries';
import {
  getLineageNode,
  listLineageNodeHistory,
  postLineageEvent,
} from './lineage';

/** The catalog core (issue 3). Keys are the SDK's operation names. */
export const coreHandlers: HandlerMap = {
  ListDomains: listDomains,
  GetDomain: getDomain,
  CreateDomain: createDomain,
  ListDomainUnitsForParent: listDomainUnitsForParent,
  GetDomainUnit: getDomainUnit,
  CreateDomainUnit: createDomainUnit,
  ListProjects: listProjects,
  GetProject: getProject,
  CreateProject: createProject,
  ListProjectMemberships: listProjectMemberships,
  CreateProjectMembership: createProjectMembership,
  GetUserProfile: getUserProfile,
  SearchUserProfiles: searchUserProfiles,
  CreateUserProfile: createUserProfile,
  ListEnvironments: listEnvironments,
  GetEnvironment: getEnvironment,
  CreateEnvironment: createEnvironment,
  SearchTypes: searchTypes,
  CreateFormType: createFormType,
  GetFormType: getFormType,
  CreateAssetType: createAssetType,
  GetAssetType: getAssetType,
  CreateAsset: createAsset,
  GetAsset: getAsset,
  CreateAssetRevision: createAssetRevision,
  CreateDataProduct: createDataProduct,
  CreateDataProductRevision: createDataProductRevision,
  GetDataProduct: getDataProduct,
  CreateListingChangeSet: createListingChangeSet,
  GetListing: getListing,
  Search: search,
  SearchListings: searchListings,
};

/**
 * The workflows with side effects (issue 4): subscriptions that grant in Lake Formation,
 * Glue data sources, data-quality time series and OpenLineage lineage.
 */
export const workflowHandlers: HandlerMap = {
  CreateSubscriptionRequest: createSubscriptionRequest,
  ListSubscriptionRequests: listSubscriptionRequests,
  GetSubscriptionRequestDetails: getSubscriptionRequestDetails,
  AcceptSubscriptionRequest: acceptSubscriptionRequest,
  RejectSubscriptionRequest: rejectSubscriptionRequest,
  ListSubscriptions: listSubscriptions,
  GetSubscription: getSubscription,
  RevokeSubscription: revokeSubscription,
  ListSubscriptionGrants: listSubscriptionGrants,
  GetSubscriptionGrant: getSubscriptionGrant,
  CreateDataSource: createDataSource,
  ListDataSources: listDataSources,
  GetDataSource: getDataSource,
  StartDataSourceRun: startDataSourceRun,
  ListDataSourceRuns: listDataSourceRuns,
  GetDataSourceRun: getDataSourceRun,
  PostTimeSeriesDataPoints: postTimeSeriesDataPoints,
  ListTimeSeriesDataPoints: listTimeSeriesDataPoints,
  GetTimeSeriesDataPoint: getTimeSeriesDataPoint,
  PostLineageEvent: postLineageEvent,
  GetLineageNode: getLineageNode,
  ListLineageNodeHistory: listLineageNodeHistory,
};
