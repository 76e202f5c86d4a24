import * as dz from '@aws-sdk/client-datazone';
import {
  assertNoWireProblems,
  checkedDataZoneClient,
} from './testing/checkedClient';
import { startStandInServer } from './testing/standInServer';
import { DataZoneError } from './errors';
import { GLUE_TABLE_ASSET_TYPE } from './handlers/managedTypes';

jest.setTimeout(30_000);

const credentials = { accessKeyId: 'AKIATESTING', secretAccessKey: 'secret' };
let server: Awaited<ReturnType<typeof startStandInServer>>;
let checked: ReturnType<typeof checkedDataZoneClient>;
let client: dz.DataZoneClient;
let domainId: string;
let rootUnitId: string;
let projectId: string;
let aliceId: string;

const glueForm = (table: string) => ({
  formName: 'GlueTableForm',
  content: JSON.stringify({
    tableName: table,
    columns: [{ columnName: 'id', dataType: 'bigint' }],
  }),
});

async function createAsset(
  name: string,
  extra: Partial<dz.CreateAssetInput> = {},
) {
  return client.send(
    new dz.CreateAssetCommand({
      domainIdentifier: domainId,
      owningProjectIdentifier: projectId,
      name,
      typeIdentifier: GLUE_TABLE_ASSET_TYPE,
      formsInput: [glueForm(name)],
      ...extra,
    }),
  );
}

/** Runs a call that must fail and returns the SDK error. */
async function failure(
  promise: Promise<unknown>,
): Promise<dz.DataZoneServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as dz.DataZoneServiceException;
  }
  throw new Error('expected the call to fail');
}

const snapshot = () => JSON.stringify(server.store.state);

beforeAll(async () => {
  server = await startStandInServer();
  checked = checkedDataZoneClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials,
  });
  client = checked.client;
  const domain = await client.send(
    new dz.CreateDomainCommand({
      name: 'Contract Test Domain',
      description: 'for tests',
    }),
  );
  domainId = domain.id!;
  rootUnitId = domain.rootDomainUnitId!;
  const alice = await client.send(
    new dz.CreateUserProfileCommand({
      domainIdentifier: domainId,
      userIdentifier: 'alice@example.com',
      userType: 'SSO_USER',
    }),
  );
  aliceId = alice.id!;
  const project = await client.send(
    new dz.CreateProjectCommand({
      domainIdentifier: domainId,
      name: 'Contract project',
      membershipAssignments: [
        {
          member: { userIdentifier: 'alice@example.com' },
          designation: 'PROJECT_OWNER',
        },
      ],
    }),
  );
  projectId = project.id!;
});

afterAll(async () => {
  client.destroy();
  // The wire check really saw the responses (one per successful call at least).
  const seen = checked.responses.filter(r => r.status < 300).length;
  if (seen <= 60)
    throw new Error(`the wire check saw only ${seen} successful responses`);
  await server.stop();
});

afterEach(() => {
  // Every response of every test matches the SDK's output schema.
  assertNoWireProblems(checked);
});

describe('domains and domain units', () => {
  it('creates, gets and lists domains with epoch-second timestamps', async () => {
    const got = await client.send(
      new dz.GetDomainCommand({ identifier: domainId }),
    );
    expect(got).toMatchObject({
      id: domainId,
      name: 'Contract Test Domain',
      status: 'AVAILABLE',
      rootDomainUnitId: rootUnitId,
    });
    expect(got.id).toMatch(/^dzd_[a-z0-9]{14}$/);
    expect(got.createdAt).toBeInstanceOf(Date);
    expect(typeof (checked.last('GetDomain')!.body as any).createdAt).toBe(
      'number',
    );
    const list = await client.send(new dz.ListDomainsCommand({}));
    expect(list.items!.map(d => d.id)).toContain(domainId);
  });

  it('creates domain units under a parent and lists them', async () => {
    const unit = await client.send(
      new dz.CreateDomainUnitCommand({
        domainIdentifier: domainId,
        name: 'Sales',
        parentDomainUnitIdentifier: rootUnitId,
      }),
    );
    expect(unit.ancestorDomainUnitIds).toEqual([rootUnitId]);
    const got = await client.send(
      new dz.GetDomainUnitCommand({
        domainIdentifier: domainId,
        identifier: unit.id!,
      }),
    );
    expect(got).toMatchObject({
      name: 'Sales',
      parentDomainUnitId: rootUnitId,
      domainId,
    });
    expect(got.owners!.length).toBe(1);
    const children = await client.send(
      new dz.ListDomainUnitsForParentCommand({
        domainIdentifier: domainId,
        parentDomainUnitIdentifier: rootUnitId,
      }),
    );
    expect(children.items).toEqual([{ id: unit.id, name: 'Sales' }]);
    const dup = await failure(
      client.send(
        new dz.CreateDomainUnitCommand({
          domainIdentifier: domainId,
          name: 'Sales',
          parentDomainUnitIdentifier: rootUnitId,
        }),
      ),
    );
    expect(dup.name).toBe('ConflictException');
    expect(dup.$metadata.httpStatusCode).toBe(409);
  });

  it('enforces the ListDomains page size of 25 and ListDomainUnitsForParent of 25', async () => {
    const tooMany = await failure(
      client.send(new dz.ListDomainsCommand({ maxResults: 26 })),
    );
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.$metadata.httpStatusCode).toBe(400);
    expect(tooMany.message).toContain('less than or equal to 25');
    await expect(
      client.send(new dz.ListDomainsCommand({ maxResults: 25 })),
    ).resolves.toBeDefined();
    const zero = await failure(
      client.send(
        new dz.ListDomainUnitsForParentCommand({
          domainIdentifier: domainId,
          parentDomainUnitIdentifier: rootUnitId,
          maxResults: 0,
        }),
      ),
    );
    expect(zero.name).toBe('ValidationException');
  });
});

describe('projects, memberships and user profiles', () => {
  it('returns projects with RFC 3339 timestamps and the creator as owner', async () => {
    const project = await client.send(
      new dz.GetProjectCommand({
        domainIdentifier: domainId,
        identifier: projectId,
      }),
    );
    expect(project.createdAt).toBeInstanceOf(Date);
    expect((checked.last('GetProject')!.body as any).createdAt).toMatch(
      /^\d{4}-\d{2}-\d{2}T/,
    );
    const list = await client.send(
      new dz.ListProjectsCommand({ domainIdentifier: domainId }),
    );
    expect(list.items!.map(p => p.name)).toEqual(['Contract project']);
    expect(
      typeof (checked.last('ListProjects')!.body as any).items[0].updatedAt,
    ).toBe('string');
    const byUser = await client.send(
      new dz.ListProjectsCommand({
        domainIdentifier: domainId,
        userIdentifier: 'alice@example.com',
      }),
    );
    expect(byUser.items!.map(p => p.id)).toEqual([projectId]);
  });

  it('adds memberships and lists them, users and groups', async () => {
    await client.send(
      new dz.CreateUserProfileCommand({
        domainIdentifier: domainId,
        userIdentifier: 'bob@example.com',
        userType: 'SSO_USER',
      }),
    );
    await client.send(
      new dz.CreateProjectMembershipCommand({
        domainIdentifier: domainId,
        projectIdentifier: projectId,
        member: { userIdentifier: 'bob@example.com' },
        designation: 'PROJECT_CONTRIBUTOR',
      }),
    );
    await client.send(
      new dz.CreateProjectMembershipCommand({
        domainIdentifier: domainId,
        projectIdentifier: projectId,
        member: { groupIdentifier: 'analysts' },
        designation: 'PROJECT_CATALOG_CONSUMER',
      }),
    );
    const members = await client.send(
      new dz.ListProjectMembershipsCommand({
        domainIdentifier: domainId,
        projectIdentifier: projectId,
      }),
    );
    const designations = members.members!.map(m => [
      m.memberDetails?.user?.userId ?? m.memberDetails?.group?.groupId,
      m.designation,
    ]);
    expect(designations).toEqual(
      expect.arrayContaining([
        [aliceId, 'PROJECT_OWNER'],
        ['analysts', 'PROJECT_CATALOG_CONSUMER'],
      ]),
    );
    expect(
      designations.filter(([, d]) => d === 'PROJECT_CONTRIBUTOR'),
    ).toHaveLength(1);
    // The creator (the calling IAM principal) owns the project too.
    expect(designations.filter(([, d]) => d === 'PROJECT_OWNER')).toHaveLength(
      2,
    );
  });

  it('rejects a membership for an unknown user with 404 and changes nothing', async () => {
    const before = snapshot();
    const error = await failure(
      client.send(
        new dz.CreateProjectMembershipCommand({
          domainIdentifier: domainId,
          projectIdentifier: projectId,
          member: { userIdentifier: 'nobody@example.com' },
          designation: 'PROJECT_CONTRIBUTOR',
        }),
      ),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(snapshot()).toBe(before);
  });

  it('gets and searches user profiles', async () => {
    const byName = await client.send(
      new dz.GetUserProfileCommand({
        domainIdentifier: domainId,
        userIdentifier: 'alice@example.com',
      }),
    );
    expect(byName).toMatchObject({
      id: aliceId,
      type: 'SSO',
      details: { sso: { username: 'alice@example.com' } },
    });
    const byId = await client.send(
      new dz.GetUserProfileCommand({
        domainIdentifier: domainId,
        userIdentifier: aliceId,
      }),
    );
    expect(byId.id).toBe(aliceId);
    const found = await client.send(
      new dz.SearchUserProfilesCommand({
        domainIdentifier: domainId,
        userType: 'DATAZONE_SSO_USER',
        searchText: 'alice',
      }),
    );
    expect(found.items!.map(i => i.id)).toEqual([aliceId]);
    const iam = await client.send(
      new dz.SearchUserProfilesCommand({
        domainIdentifier: domainId,
        userType: 'DATAZONE_IAM_USER',
      }),
    );
    expect(iam.items!.every(i => i.type === 'IAM')).toBe(true);
    const missing = await failure(
      client.send(
        new dz.GetUserProfileCommand({
          domainIdentifier: domainId,
          userIdentifier: 'zed@example.com',
        }),
      ),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('answers a duplicate project name with 409 and no state change', async () => {
    const before = snapshot();
    const error = await failure(
      client.send(
        new dz.CreateProjectCommand({
          domainIdentifier: domainId,
          name: 'Contract project',
        }),
      ),
    );
    expect(error.name).toBe('ConflictException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(snapshot()).toBe(before);
  });
});

describe('environments', () => {
  it('creates an environment with provisioned resources, lists and gets it', async () => {
    const env = await client.send(
      new dz.CreateEnvironmentCommand({
        domainIdentifier: domainId,
        projectIdentifier: projectId,
        name: 'Sales lake',
        environmentAccountIdentifier: '222222222222',
        environmentAccountRegion: 'us-east-1',
      }),
    );
    const types = env.provisionedResources!.map(r => r.type);
    expect(types).toEqual(expect.arrayContaining(['IAMRole', 'GlueDatabase']));
    expect(
      env.provisionedResources!.find(r => r.type === 'IAMRole')!.value,
    ).toMatch(/^arn:aws:iam::222222222222:role\/datazone_usr_/);
    expect((checked.last('CreateEnvironment')!.body as any).createdAt).toMatch(
      /^\d{4}-/,
    );
    const list = await client.send(
      new dz.ListEnvironmentsCommand({
        domainIdentifier: domainId,
        projectIdentifier: projectId,
      }),
    );
    expect(list.items!.map(e => e.id)).toEqual([env.id]);
    const got = await client.send(
      new dz.GetEnvironmentCommand({
        domainIdentifier: domainId,
        identifier: env.id!,
      }),
    );
    expect(got.awsAccountId).toBe('222222222222');
    const other = await client.send(
      new dz.ListEnvironmentsCommand({
        domainIdentifier: domainId,
        projectIdentifier: 'unknownproject',
      }),
    );
    expect(other.items).toEqual([]);
  });

  it('requires projectIdentifier on ListEnvironments', async () => {
    const error = await failure(
      client.send(
        new dz.ListEnvironmentsCommand({
          domainIdentifier: domainId,
        } as dz.ListEnvironmentsInput),
      ),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain("'projectIdentifier'");
  });
});

describe('form types, asset types, assets, data products and listings', () => {
  let formRevision: string;

  it('creates and gets a form type, and lists it in SearchTypes', async () => {
    const smithy = 'structure ContractForm { @required contract: String }';
    const created = await client.send(
      new dz.CreateFormTypeCommand({
        domainIdentifier: domainId,
        name: 'ContractForm',
        owningProjectIdentifier: projectId,
        model: { smithy },
      }),
    );
    formRevision = created.revision!;
    expect(created).toMatchObject({
      name: 'ContractForm',
      revision: '1',
      owningProjectId: projectId,
    });
    const got = await client.send(
      new dz.GetFormTypeCommand({
        domainIdentifier: domainId,
        formTypeIdentifier: 'ContractForm',
      }),
    );
    expect(got.model).toEqual({ smithy });
    const custom = await client.send(
      new dz.SearchTypesCommand({
        domainIdentifier: domainId,
        searchScope: 'FORM_TYPE',
        managed: false,
      }),
    );
    expect(custom.items!.map(i => i.formTypeItem?.name)).toEqual([
      'ContractForm',
    ]);
    const managed = await client.send(
      new dz.SearchTypesCommand({
        domainIdentifier: domainId,
        searchScope: 'ASSET_TYPE',
        managed: true,
      }),
    );
    expect(managed.items!.map(i => i.assetTypeItem?.name)).toContain(
      GLUE_TABLE_ASSET_TYPE,
    );
    const missingManaged = await failure(
      client.send(
        new dz.SearchTypesCommand({
          domainIdentifier: domainId,
          searchScope: 'FORM_TYPE',
        } as dz.SearchTypesInput),
      ),
    );
    expect(missingManaged.name).toBe('ValidationException');
  });

  it('creates and gets an asset type', async () => {
    const created = await client.send(
      new dz.CreateAssetTypeCommand({
        domainIdentifier: domainId,
        name: 'ReportAssetType',
        owningProjectIdentifier: projectId,
        formsInput: {
          ContractForm: {
            typeIdentifier: 'ContractForm',
            typeRevision: formRevision,
            required: true,
          },
        },
      }),
    );
    expect(created.formsOutput).toEqual({
      ContractForm: {
        typeName: 'ContractForm',
        typeRevision: '1',
        required: true,
      },
    });
    const got = await client.send(
      new dz.GetAssetTypeCommand({
        domainIdentifier: domainId,
        identifier: 'ReportAssetType',
      }),
    );
    expect(got.owningProjectId).toBe(projectId);
    // The required form is enforced on assets of the type.
    const error = await failure(
      client.send(
        new dz.CreateAssetCommand({
          domainIdentifier: domainId,
          owningProjectIdentifier: projectId,
          name: 'r',
          typeIdentifier: 'ReportAssetType',
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
  });

  it('creates an asset with forms as JSON strings, revises and gets it', async () => {
    const asset = await createAsset('orders', {
      externalIdentifier: 'arn:aws:glue:us-east-1:222222222222:table/db/orders',
    });
    expect(asset.revision).toBe('1');
    expect(typeof asset.formsOutput![0].content).toBe('string');
    expect(JSON.parse(asset.formsOutput![0].content!)).toMatchObject({
      tableName: 'orders',
    });
    const revised = await client.send(
      new dz.CreateAssetRevisionCommand({
        domainIdentifier: domainId,
        identifier: asset.id!,
        name: 'orders',
        description: 'v2',
      }),
    );
    expect(revised.revision).toBe('2');
    expect(revised.formsOutput!.map(f => f.formName)).toEqual([
      'GlueTableForm',
    ]);
    const first = await client.send(
      new dz.GetAssetCommand({
        domainIdentifier: domainId,
        identifier: asset.id!,
        revision: '1',
      }),
    );
    expect(first.description).toBeUndefined();
    const latest = await client.send(
      new dz.GetAssetCommand({
        domainIdentifier: domainId,
        identifier: asset.id!,
      }),
    );
    expect(latest).toMatchObject({
      revision: '2',
      description: 'v2',
      typeIdentifier: GLUE_TABLE_ASSET_TYPE,
    });
    expect(typeof (checked.last('GetAsset')!.body as any).createdAt).toBe(
      'number',
    );
  });

  it('rejects form content that is not a JSON object, and changes nothing', async () => {
    const before = snapshot();
    const error = await failure(
      createAsset('broken', {
        formsInput: [{ formName: 'GlueTableForm', content: '{not json' }],
      }),
    );
    expect(error.name).toBe('ValidationException');
    expect(snapshot()).toBe(before);
  });

  it('honours clientToken: the same token returns the same asset, a changed request conflicts', async () => {
    const first = await createAsset('idempotent', { clientToken: 'token-1' });
    const again = await createAsset('idempotent', { clientToken: 'token-1' });
    expect(again.id).toBe(first.id);
    const count = Object.values(server.store.state.assets).filter(
      a => a.revisions[0].name === 'idempotent',
    ).length;
    expect(count).toBe(1);
    const changed = await failure(
      createAsset('idempotent-other', { clientToken: 'token-1' }),
    );
    expect(changed.name).toBe('ConflictException');
  });

  it('creates a data product, publishes it with its assets and reads the listings', async () => {
    const a = await createAsset('customer');
    const contract = JSON.stringify({
      contract: 'apiVersion: v3.1.0\nkind: DataContract\n',
    });
    const product = await client.send(
      new dz.CreateDataProductCommand({
        domainIdentifier: domainId,
        owningProjectIdentifier: projectId,
        name: 'Customers',
        description: 'All customers',
        items: [{ itemType: 'ASSET', identifier: a.id! }],
        formsInput: [
          {
            formName: 'ContractForm',
            typeIdentifier: 'ContractForm',
            typeRevision: formRevision,
            content: contract,
          },
        ],
      }),
    );
    expect(product).toMatchObject({
      status: 'CREATED',
      revision: '1',
      items: [{ itemType: 'ASSET', identifier: a.id, revision: '1' }],
    });
    const got = await client.send(
      new dz.GetDataProductCommand({
        domainIdentifier: domainId,
        identifier: product.id!,
      }),
    );
    expect(got.formsOutput![0].content).toBe(contract);

    const published = await client.send(
      new dz.CreateListingChangeSetCommand({
        domainIdentifier: domainId,
        entityIdentifier: product.id!,
        entityType: 'DATA_PRODUCT',
        action: 'PUBLISH',
      }),
    );
    expect(published).toMatchObject({ listingRevision: '1', status: 'ACTIVE' });
    const listing = await client.send(
      new dz.GetListingCommand({
        domainIdentifier: domainId,
        identifier: published.listingId!,
      }),
    );
    expect(listing.item?.dataProductListing?.dataProductId).toBe(product.id);
    expect(JSON.parse(listing.item!.dataProductListing!.forms!)).toEqual({
      ContractForm: JSON.parse(contract),
    });
    const memberListing = listing.item!.dataProductListing!.items![0];
    const assetListing = await client.send(
      new dz.GetListingCommand({
        domainIdentifier: domainId,
        identifier: memberListing.listingId!,
      }),
    );
    expect(assetListing.item?.assetListing).toMatchObject({
      assetId: a.id,
      assetType: GLUE_TABLE_ASSET_TYPE,
    });
    const asset = await client.send(
      new dz.GetAssetCommand({ domainIdentifier: domainId, identifier: a.id! }),
    );
    expect(asset.listing).toEqual({
      listingId: memberListing.listingId,
      listingStatus: 'ACTIVE',
    });

    const unpublished = await client.send(
      new dz.CreateListingChangeSetCommand({
        domainIdentifier: domainId,
        entityIdentifier: product.id!,
        entityType: 'DATA_PRODUCT',
        action: 'UNPUBLISH',
      }),
    );
    expect(unpublished.status).toBe('INACTIVE');
    const listings = await client.send(
      new dz.SearchListingsCommand({ domainIdentifier: domainId }),
    );
    const ids = listings.items!.map(
      i => i.dataProductListing?.listingId ?? i.assetListing?.listingId,
    );
    expect(ids).not.toContain(published.listingId);
    expect(ids).toContain(memberListing.listingId);
  });

  it('revises a data product: new items, forms merged by name, published again as a new listing revision', async () => {
    const first = await createAsset('revised_one');
    const second = await createAsset('revised_two');
    const product = await client.send(
      new dz.CreateDataProductCommand({
        domainIdentifier: domainId,
        owningProjectIdentifier: projectId,
        name: 'Revised',
        description: 'First description',
        items: [{ itemType: 'ASSET', identifier: first.id! }],
        formsInput: [
          {
            formName: 'ContractForm',
            typeIdentifier: 'ContractForm',
            typeRevision: formRevision,
            content: JSON.stringify({ contract: 'v1' }),
          },
        ],
      }),
    );
    const published = await client.send(
      new dz.CreateListingChangeSetCommand({
        domainIdentifier: domainId,
        entityIdentifier: product.id!,
        entityType: 'DATA_PRODUCT',
        action: 'PUBLISH',
      }),
    );
    const revised = await client.send(
      new dz.CreateDataProductRevisionCommand({
        domainIdentifier: domainId,
        identifier: product.id!,
        name: 'Revised',
        items: [
          { itemType: 'ASSET', identifier: first.id! },
          { itemType: 'ASSET', identifier: second.id! },
        ],
      }),
    );
    expect(revised).toMatchObject({
      id: product.id,
      revision: '2',
      description: 'First description',
      items: [{ identifier: first.id }, { identifier: second.id }],
    });
    expect(revised.formsOutput?.map(f => f.content)).toEqual([
      JSON.stringify({ contract: 'v1' }),
    ]);
    // The listing still shows revision 1 until the product is published again.
    const before = await client.send(
      new dz.GetListingCommand({
        domainIdentifier: domainId,
        identifier: published.listingId!,
      }),
    );
    expect(before.item?.dataProductListing?.items).toHaveLength(1);
    const republished = await client.send(
      new dz.CreateListingChangeSetCommand({
        domainIdentifier: domainId,
        entityIdentifier: product.id!,
        entityType: 'DATA_PRODUCT',
        action: 'PUBLISH',
      }),
    );
    expect(republished).toMatchObject({
      listingId: published.listingId,
      listingRevision: '2',
    });
    const after = await client.send(
      new dz.GetListingCommand({
        domainIdentifier: domainId,
        identifier: published.listingId!,
      }),
    );
    expect(after.item?.dataProductListing?.items).toHaveLength(2);

    // Another product's name is a conflict; an unknown asset is a 404; neither changes anything.
    await client.send(
      new dz.CreateDataProductCommand({
        domainIdentifier: domainId,
        owningProjectIdentifier: projectId,
        name: 'Taken',
      }),
    );
    const taken = await failure(
      client.send(
        new dz.CreateDataProductRevisionCommand({
          domainIdentifier: domainId,
          identifier: product.id!,
          name: 'Taken',
        }),
      ),
    );
    expect(taken.name).toBe('ConflictException');
    const unknown = await failure(
      client.send(
        new dz.CreateDataProductRevisionCommand({
          domainIdentifier: domainId,
          identifier: product.id!,
          name: 'Revised',
          items: [{ itemType: 'ASSET', identifier: 'nosuchasset1' }],
        }),
      ),
    );
    expect(unknown.name).toBe('ResourceNotFoundException');
    const got = await client.send(
      new dz.GetDataProductCommand({
        domainIdentifier: domainId,
        identifier: product.id!,
      }),
    );
    expect(got.revision).toBe('2');
  });

  it('answers unknown ids with 404 and wrong-shaped ids with 400', async () => {
    const missing = await failure(
      client.send(
        new dz.GetAssetCommand({
          domainIdentifier: domainId,
          identifier: 'doesnotexist',
        }),
      ),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const badDomain = await failure(
      client.send(
        new dz.GetAssetCommand({
          domainIdentifier: 'not-a-domain',
          identifier: 'x',
        }),
      ),
    );
    expect(badDomain.name).toBe('ValidationException');
    expect(badDomain.message).toContain('^dzd[-_][a-zA-Z0-9_-]{1,36}$');
    const badId = await failure(
      client.send(
        new dz.GetListingCommand({
          domainIdentifier: domainId,
          identifier: 'has spaces!',
        }),
      ),
    );
    expect(badId.name).toBe('ValidationException');
    const unknownDomain = await failure(
      client.send(new dz.GetDomainCommand({ identifier: 'dzd_unknown' })),
    );
    expect(unknownDomain.name).toBe('ResourceNotFoundException');
  });
});

describe('Search and SearchListings', () => {
  it('finds assets by text, filters (and/or) and returns forms on request', async () => {
    await createAsset('lineitem', { description: 'Order lines' });
    const byText = await client.send(
      new dz.SearchCommand({
        domainIdentifier: domainId,
        searchScope: 'ASSET',
        searchText: 'lineitem',
      }),
    );
    expect(byText.items!.map(i => i.assetItem?.name)).toEqual(['lineitem']);
    expect(byText.items![0].assetItem!.additionalAttributes).toBeUndefined();
    const withForms = await client.send(
      new dz.SearchCommand({
        domainIdentifier: domainId,
        searchScope: 'ASSET',
        searchText: 'lineitem',
        additionalAttributes: ['FORMS'],
      }),
    );
    expect(
      JSON.parse(
        withForms.items![0].assetItem!.additionalAttributes!.formsOutput![0]
          .content!,
      ),
    ).toMatchObject({ tableName: 'lineitem' });
    const filtered = await client.send(
      new dz.SearchCommand({
        domainIdentifier: domainId,
        searchScope: 'ASSET',
        owningProjectIdentifier: projectId,
        filters: {
          or: [
            { filter: { attribute: 'name', value: 'lineitem' } },
            {
              and: [
                {
                  filter: {
                    attribute: 'GlueTableForm.tableName',
                    value: 'orders',
                  },
                },
                {
                  filter: {
                    attribute: 'typeIdentifier',
                    value: GLUE_TABLE_ASSET_TYPE,
                  },
                },
              ],
            },
          ],
        },
        sort: { attribute: 'name', order: 'ASCENDING' },
      }),
    );
    expect(filtered.items!.map(i => i.assetItem?.name)).toEqual([
      'lineitem',
      'orders',
    ]);
    expect(filtered.totalMatchCount).toBe(2);
    const products = await client.send(
      new dz.SearchCommand({
        domainIdentifier: domainId,
        searchScope: 'DATA_PRODUCT',
      }),
    );
    // The products the data product tests above created.
    expect(products.items!.map(i => i.dataProductItem?.name).sort()).toEqual([
      'Customers',
      'Revised',
      'Taken',
    ]);
  });

  it('enforces the page size of 50 on Search and SearchListings', async () => {
    for (const command of [
      new dz.SearchCommand({
        domainIdentifier: domainId,
        searchScope: 'ASSET',
        maxResults: 51,
      }),
      new dz.SearchListingsCommand({
        domainIdentifier: domainId,
        maxResults: 51,
      }),
      new dz.ListProjectsCommand({
        domainIdentifier: domainId,
        maxResults: 51,
      }),
    ]) {
      const error = await failure(client.send(command as any));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toContain('less than or equal to 50');
    }
  });

  it('pages without skipping or repeating while assets are created mid-paging', async () => {
    const initial: string[] = [];
    for (let i = 0; i < 40; i++)
      initial.push(
        (await createAsset(`paged_${String(i).padStart(2, '0')}`)).id!,
      );
    const seen: string[] = [];
    let nextToken: string | undefined;
    let page = 0;
    do {
      const result = await client.send(
        new dz.SearchCommand({
          domainIdentifier: domainId,
          searchScope: 'ASSET',
          searchText: 'paged',
          sort: { attribute: 'name', order: 'DESCENDING' },
          maxResults: 7,
          nextToken,
        }),
      );
      seen.push(...result.items!.map(i => i.assetItem!.identifier!));
      nextToken = result.nextToken;
      // New items on both sides of the cursor while the client pages.
      if (page === 1) {
        await createAsset('paged_00a');
        await createAsset('paged_99');
      }
      page++;
    } while (nextToken);
    expect(new Set(seen).size).toBe(seen.length);
    expect(initial.every(id => seen.includes(id))).toBe(true);
    expect(page).toBeGreaterThanOrEqual(6);
  });

  it('rejects a nextToken reused with a different query', async () => {
    const first = await client.send(
      new dz.SearchCommand({
        domainIdentifier: domainId,
        searchScope: 'ASSET',
        maxResults: 2,
      }),
    );
    expect(first.nextToken).toBeDefined();
    const error = await failure(
      client.send(
        new dz.SearchCommand({
          domainIdentifier: domainId,
          searchScope: 'DATA_PRODUCT',
          maxResults: 2,
          nextToken: first.nextToken,
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
  });

  it('pages SearchListings and returns forms as one JSON string', async () => {
    const all: string[] = [];
    const assetForms: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new dz.SearchListingsCommand({
          domainIdentifier: domainId,
          maxResults: 1,
          nextToken,
          additionalAttributes: ['FORMS'],
        }),
      );
      for (const item of page.items!) {
        all.push(
          item.assetListing?.listingId ?? item.dataProductListing!.listingId!,
        );
        if (item.assetListing)
          assetForms.push(typeof item.assetListing.additionalAttributes?.forms);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(new Set(all).size).toBe(all.length);
    expect(assetForms.length).toBeGreaterThanOrEqual(1);
    expect(new Set(assetForms)).toEqual(new Set(['string']));
  });
});

describe('wire errors', () => {
  const url = (path: string) => `${server.endpoint}${path}`;
  const signed = {
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIATESTING/20260101/us-east-1/datazone/aws4_request, SignedHeaders=host, Signature=x',
  };

  it('answers malformed JSON with 400 SerializationException and no state change', async () => {
    const before = snapshot();
    const res = await fetch(url(`/v2/domains/${domainId}/projects`), {
      method: 'POST',
      headers: { ...signed, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(await res.json()).toHaveProperty('message');
    expect(snapshot()).toBe(before);
  });

  it('answers a wrongly typed member with 400 and a missing required member with ValidationException', async () => {
    const typed = await fetch(url(`/v2/domains/${domainId}/projects`), {
      method: 'POST',
      headers: signed,
      body: '{"name": 42}',
    });
    expect(typed.status).toBe(400);
    const missing = await fetch(url(`/v2/domains/${domainId}/projects`), {
      method: 'POST',
      headers: signed,
      body: '{}',
    });
    expect(missing.status).toBe(400);
    expect(missing.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect((await missing.json()).message).toBe(
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  });

  it('answers unknown paths with 404 UnknownOperationException and unimplemented operations with 501', async () => {
    const unknown = await fetch(url('/v2/nowhere'), { headers: signed });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toBe(
      'UnknownOperationException',
    );
    const error = await failure(
      client.send(
        new dz.ListSubscriptionTargetsCommand({
          domainIdentifier: domainId,
          environmentIdentifier: 'env12345',
        }),
      ),
    );
    expect(error.name).toBe('NotImplementedException');
    expect(error.$metadata.httpStatusCode).toBe(501);
  });

  it('lets middleware answer with ThrottlingException 429 and AccessDeniedException 403', async () => {
    let mode: 'throttle' | 'deny' | undefined;
    server.standIn.use(async (call, next) => {
      if (call.operation === 'GetProject' && mode === 'throttle')
        throw new DataZoneError('ThrottlingException', 'Rate exceeded');
      if (call.operation === 'GetProject' && mode === 'deny')
        throw new DataZoneError('AccessDeniedException', 'Not a member');
      return next();
    });
    mode = 'throttle';
    const throttled = await failure(
      client.send(
        new dz.GetProjectCommand({
          domainIdentifier: domainId,
          identifier: projectId,
        }),
      ),
    );
    expect(throttled).toBeInstanceOf(dz.ThrottlingException);
    expect(throttled.$metadata.httpStatusCode).toBe(429);
    mode = 'deny';
    const denied = await failure(
      client.send(
        new dz.GetProjectCommand({
          domainIdentifier: domainId,
          identifier: projectId,
        }),
      ),
    );
    expect(denied).toBeInstanceOf(dz.AccessDeniedException);
    expect(denied.$metadata.httpStatusCode).toBe(403);
    mode = undefined;
    await expect(
      client.send(
        new dz.GetProjectCommand({
          domainIdentifier: domainId,
          identifier: projectId,
        }),
      ),
    ).resolves.toMatchObject({ id: projectId });
  });
});
