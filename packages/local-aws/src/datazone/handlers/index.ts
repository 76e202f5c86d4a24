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
import { createDataProduct, getDataProduct } from './dataProducts';
import { createListingChangeSet, getListing } from './listings';
import { search, searchListings } from './search';

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
  GetDataProduct: getDataProduct,
  CreateListingChangeSet: createListingChangeSet,
  GetListing: getListing,
  Search: search,
  SearchListings: searchListings,
};
