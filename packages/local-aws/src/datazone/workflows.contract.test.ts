import * as dz from '@aws-sdk/client-datazone';
import {
  assertNoWireProblems,
  checkedDataZoneClient,
} from './testing/checkedClient';
import { startStandInServer } from './testing/standInServer';
import { FakeAwsEffects } from './testing/fakeEffects';
import {
  DATA_QUALITY_RESULT_FORM_TYPE,
  GLUE_TABLE_ASSET_TYPE,
} from './handlers/managedTypes';
import { LINEAGE_NODE_TYPES } from './handlers/lineage';

jest.setTimeout(30_000);

const PRODUCER = '222222222222';
const credentials = { accessKeyId: 'AKIATESTING', secretAccessKey: 'secret' };
const OUTSIDER_KEY = 'ASIAOUTSIDERTESTING';
const OUTSIDER_ROLE = 'arn:aws:iam::123456789012:role/PortalBackend';

const effects = new FakeAwsEffects();
let server: Awaited<ReturnType<typeof startStandInServer>>;
let checked: ReturnType<typeof checkedDataZoneClient>;
let client: dz.DataZoneClient;
let outsider: dz.DataZoneClient;
let domainId: string;
let producerId: string;
let consumerId: string;
let consumerRole: string;
let consumerEnvId: string;
let producerEnvId: string;
const assets: Record<string, { id: string; listingId: string }> = {};
let productListingId: string;

const arn = (db: string, table: string) =>
  `arn:aws:glue:us-east-1:${PRODUCER}:table/${db}/${table}`;
const table = (name: string, columns = ['id', 'amount']) => ({
  name,
  description: `${name} table`,
  columns: columns.map(c => ({
    name: c,
    type: c === 'id' ? 'bigint' : 'string',
  })),
  partitionKeys: [],
  classification: 'parquet',
});
const grantKey = (db: string, t: string) =>
  `${consumerRole}|${PRODUCER}/${db}/${t}`;

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

async function createAsset(db: string, name: string, project = producerId) {
  const created = await client.send(
    new dz.CreateAssetCommand({
      domainIdentifier: domainId,
      owningProjectIdentifier: project,
      name,
      typeIdentifier: GLUE_TABLE_ASSET_TYPE,
      externalIdentifier: arn(db, name),
      formsInput: [
        {
          formName: 'GlueTableForm',
          content: JSON.stringify({ tableName: name, tableArn: arn(db, name) }),
        },
      ],
    }),
  );
  return created.id!;
}

async function publish(id: string, type: 'ASSET' | 'DATA_PRODUCT') {
  return (
    await client.send(
      new dz.CreateListingChangeSetCommand({
        domainIdentifier: domainId,
        entityIdentifier: id,
        entityType: type,
        action: 'PUBLISH',
      }),
    )
  ).listingId!;
}

const request = (listingId: string, reason = 'Campaign analysis') =>
  new dz.CreateSubscriptionRequestCommand({
    domainIdentifier: domainId,
    subscribedPrincipals: [{ project: { identifier: consumerId } }],
    subscribedListings: [{ identifier: listingId }],
    requestReason: reason,
  });

async function grantsOf(subscriptionId: string) {
  return (
    await client.send(
      new dz.ListSubscriptionGrantsCommand({
        domainIdentifier: domainId,
        subscriptionId,
      }),
    )
  ).items!;
}

async function subscriptionOf(requestId: string) {
  const page = await client.send(
    new dz.ListSubscriptionsCommand({
      domainIdentifier: domainId,
      subscriptionRequestIdentifier: requestId,
    }),
  );
  const item = page.items![0];
  return { ...item, id: item.id! };
}

beforeAll(async () => {
  server = await startStandInServer(undefined, effects);
  // An assumed-role session of a backend role, as STS would have issued it.
  server.callers.learnFromStsResponse(
    `<AssumeRoleResult><Credentials><AccessKeyId>${OUTSIDER_KEY}</AccessKeyId></Credentials>` +
      `<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/PortalBackend/backstage</Arn></AssumedRoleUser></AssumeRoleResult>`,
  );
  const config = { endpoint: server.endpoint, region: 'us-east-1' };
  checked = checkedDataZoneClient({ ...config, credentials });
  client = checked.client;
  outsider = new dz.DataZoneClient({
    ...config,
    maxAttempts: 1,
    credentials: { accessKeyId: OUTSIDER_KEY, secretAccessKey: 'x' },
  });
  domainId = (
    await client.send(new dz.CreateDomainCommand({ name: 'Workflow domain' }))
  ).id!;
  const project = async (name: string, account: string) => {
    const p = await client.send(
      new dz.CreateProjectCommand({ domainIdentifier: domainId, name }),
    );
    const env = await client.send(
      new dz.CreateEnvironmentCommand({
        domainIdentifier: domainId,
        projectIdentifier: p.id!,
        name: `${name} lake`,
        environmentAccountIdentifier: account,
        environmentAccountRegion: 'us-east-1',
      }),
    );
    return { id: p.id!, env };
  };
  const producer = await project('Producers', PRODUCER);
  const consumer = await project('Consumers', '123456789012');
  producerId = producer.id;
  producerEnvId = producer.env.id!;
  consumerId = consumer.id;
  consumerEnvId = consumer.env.id!;
  consumerRole = consumer.env.provisionedResources!.find(
    r => r.name === 'userRoleArn',
  )!.value!;

  for (const t of ['orders', 'lineitem'])
    effects.addTable(PRODUCER, 'sales', table(t));
  for (const t of ['orders', 'lineitem', 'ghost']) {
    const id = await createAsset('sales', t);
    assets[t] = { id, listingId: '' };
  }
  const product = await client.send(
    new dz.CreateDataProductCommand({
      domainIdentifier: domainId,
      owningProjectIdentifier: producerId,
      name: 'Orders',
      items: [
        { itemType: 'ASSET', identifier: assets.orders.id },
        { itemType: 'ASSET', identifier: assets.lineitem.id },
      ],
    }),
  );
  productListingId = await publish(product.id!, 'DATA_PRODUCT');
  assets.ghost.listingId = await publish(assets.ghost.id, 'ASSET');
  for (const t of ['orders', 'lineitem']) {
    const got = await client.send(
      new dz.GetAssetCommand({
        domainIdentifier: domainId,
        identifier: assets[t].id,
      }),
    );
    assets[t].listingId = got.listing!.listingId!;
  }
});

afterAll(async () => {
  client.destroy();
  outsider.destroy();
  await server.stop();
});

afterEach(() => assertNoWireProblems(checked));

describe('subscription requests', () => {
  it('takes exactly one principal and one listing, and a reason', async () => {
    const before = snapshot();
    const two = await failure(
      client.send(
        new dz.CreateSubscriptionRequestCommand({
          domainIdentifier: domainId,
          subscribedPrincipals: [
            { project: { identifier: consumerId } },
            { project: { identifier: producerId } },
          ],
          subscribedListings: [{ identifier: productListingId }],
          requestReason: 'x',
        }),
      ),
    );
    expect(two.name).toBe('ValidationException');
    expect(two.message).toMatch(
      /subscribedPrincipals.*less than or equal to 1/,
    );
    const noReason = await failure(
      client.send(
        new dz.CreateSubscriptionRequestCommand({
          domainIdentifier: domainId,
          subscribedPrincipals: [{ project: { identifier: consumerId } }],
          subscribedListings: [{ identifier: productListingId }],
        } as any),
      ),
    );
    expect(noReason.name).toBe('ValidationException');
    expect((await failure(client.send(request('nolisting1234')))).name).toBe(
      'ResourceNotFoundException',
    );
    const own = await failure(
      client.send(
        new dz.CreateSubscriptionRequestCommand({
          domainIdentifier: domainId,
          subscribedPrincipals: [{ project: { identifier: producerId } }],
          subscribedListings: [{ identifier: productListingId }],
          requestReason: 'mine',
        }),
      ),
    );
    expect(own.name).toBe('ValidationException');
    expect(snapshot()).toBe(before);
  });

  it('creates a PENDING request, replays its client token and refuses a duplicate', async () => {
    const input = {
      domainIdentifier: domainId,
      subscribedPrincipals: [{ project: { identifier: consumerId } }],
      subscribedListings: [{ identifier: assets.orders.listingId }],
      requestReason: 'Order analysis',
      clientToken: 'req-orders-1',
    };
    const created = await client.send(
      new dz.CreateSubscriptionRequestCommand(input),
    );
    expect(created).toMatchObject({
      status: 'PENDING',
      domainId,
      requestReason: 'Order analysis',
      subscribedPrincipals: [
        { project: { id: consumerId, name: 'Consumers' } },
      ],
      subscribedListings: [
        {
          id: assets.orders.listingId,
          name: 'orders',
          ownerProjectId: producerId,
          ownerProjectName: 'Producers',
          item: {
            assetListing: {
              entityId: assets.orders.id,
              entityType: GLUE_TABLE_ASSET_TYPE,
            },
          },
        },
      ],
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    const again = await client.send(
      new dz.CreateSubscriptionRequestCommand(input),
    );
    expect(again.id).toBe(created.id);
    const duplicate = await failure(
      client.send(
        new dz.CreateSubscriptionRequestCommand({
          ...input,
          clientToken: 'req-orders-2',
        }),
      ),
    );
    expect(duplicate.name).toBe('ConflictException');
    const got = await client.send(
      new dz.GetSubscriptionRequestDetailsCommand({
        domainIdentifier: domainId,
        identifier: created.id!,
      }),
    );
    expect(got.status).toBe('PENDING');
  });

  it('lists PENDING requests by default, with approver, subscriber and listing filters', async () => {
    const list = (extra: Partial<dz.ListSubscriptionRequestsInput> = {}) =>
      client
        .send(
          new dz.ListSubscriptionRequestsCommand({
            domainIdentifier: domainId,
            ...extra,
          }),
        )
        .then(r => r.items!.map(i => i.subscribedListings![0].id));
    expect(await list()).toEqual([assets.orders.listingId]);
    expect(await list({ approverProjectId: producerId })).toEqual([
      assets.orders.listingId,
    ]);
    expect(await list({ approverProjectId: consumerId })).toEqual([]);
    expect(await list({ owningProjectId: consumerId })).toEqual([
      assets.orders.listingId,
    ]);
    expect(await list({ subscribedListingId: productListingId })).toEqual([]);
    expect(await list({ status: 'ACCEPTED' })).toEqual([]);
  });

  it('lets only approvers of the owning project accept; a backend role becomes one through a user profile and membership', async () => {
    const pending = (
      await client.send(
        new dz.ListSubscriptionRequestsCommand({ domainIdentifier: domainId }),
      )
    ).items![0];
    const before = snapshot();
    const denied = await failure(
      outsider.send(
        new dz.AcceptSubscriptionRequestCommand({
          domainIdentifier: domainId,
          identifier: pending.id!,
        }),
      ),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.$metadata.httpStatusCode).toBe(403);
    expect(snapshot()).toBe(before);
    expect(effects.granted()).toEqual({});

    await client.send(
      new dz.CreateUserProfileCommand({
        domainIdentifier: domainId,
        userIdentifier: OUTSIDER_ROLE,
        userType: 'IAM_ROLE',
      }),
    );
    // A catalog viewer of the owning project still may not decide.
    await client.send(
      new dz.CreateProjectMembershipCommand({
        domainIdentifier: domainId,
        projectIdentifier: producerId,
        member: { userIdentifier: OUTSIDER_ROLE },
        designation: 'PROJECT_CATALOG_VIEWER',
      }),
    );
    expect(
      (
        await failure(
          outsider.send(
            new dz.AcceptSubscriptionRequestCommand({
              domainIdentifier: domainId,
              identifier: pending.id!,
            }),
          ),
        )
      ).name,
    ).toBe('AccessDeniedException');
    await client.send(
      new dz.CreateProjectMembershipCommand({
        domainIdentifier: domainId,
        projectIdentifier: producerId,
        member: { userIdentifier: OUTSIDER_ROLE },
        designation: 'PROJECT_CONTRIBUTOR',
      }),
    );
    const accepted = await outsider.send(
      new dz.AcceptSubscriptionRequestCommand({
        domainIdentifier: domainId,
        identifier: pending.id!,
        decisionComment: 'ok',
      }),
    );
    expect(accepted.status).toBe('ACCEPTED');
    expect(accepted.decisionComment).toBe('ok');
    expect(accepted.reviewerId).toBeDefined();
    // Checked through the checked client too.
    const details = await client.send(
      new dz.GetSubscriptionRequestDetailsCommand({
        domainIdentifier: domainId,
        identifier: pending.id!,
      }),
    );
    expect(details.status).toBe('ACCEPTED');
    expect(
      (
        await client.send(
          new dz.ListSubscriptionRequestsCommand({
            domainIdentifier: domainId,
          }),
        )
      ).items,
    ).toEqual([]);
    const again = await failure(
      client.send(
        new dz.AcceptSubscriptionRequestCommand({
          domainIdentifier: domainId,
          identifier: pending.id!,
        }),
      ),
    );
    expect(again.name).toBe('ConflictException');
  });

  it('grants SELECT and DESCRIBE on the table to the subscriber environment role and records the grant', async () => {
    expect(effects.granted()).toEqual({
      [grantKey('sales', 'orders')]: ['DESCRIBE', 'SELECT'],
    });
    const accepted = (
      await client.send(
        new dz.ListSubscriptionRequestsCommand({
          domainIdentifier: domainId,
          status: 'ACCEPTED',
        }),
      )
    ).items![0];
    const subscription = await subscriptionOf(accepted.id!);
    expect(subscription).toMatchObject({
      status: 'APPROVED',
      subscriptionRequestId: accepted.id,
      subscribedPrincipal: { project: { id: consumerId } },
      subscribedListing: { id: assets.orders.listingId },
    });
    const grants = await grantsOf(subscription.id);
    expect(grants).toEqual([
      expect.objectContaining({
        status: 'COMPLETED',
        environmentId: consumerEnvId,
        subscriptionId: subscription.id,
        grantedEntity: {
          listing: { id: assets.orders.listingId, revision: '1' },
        },
        assets: [
          expect.objectContaining({
            assetId: assets.orders.id,
            status: 'GRANTED',
            targetName: 'orders',
          }),
        ],
      }),
    ]);
    const one = await client.send(
      new dz.GetSubscriptionGrantCommand({
        domainIdentifier: domainId,
        identifier: grants[0].id!,
      }),
    );
    expect(one.subscriptionTargetId).toBe(grants[0].subscriptionTargetId);
    // The resource link in the subscriber's database points at the table.
    expect([...effects.links.values()]).toEqual([
      expect.objectContaining({ databaseName: 'sales', tableName: 'orders' }),
    ]);
    const byEnv = await client.send(
      new dz.ListSubscriptionGrantsCommand({
        domainIdentifier: domainId,
        environmentId: producerEnvId,
      }),
    );
    expect(byEnv.items).toEqual([]);
  });

  it('grants every asset of a data product, and a revoke removes only what no other subscription holds', async () => {
    const created = await client.send(request(productListingId, 'All of it'));
    expect(
      created.subscribedListings![0].item?.productListing?.assetListings,
    ).toHaveLength(2);
    const callsBefore = effects.calls.length;
    await client.send(
      new dz.AcceptSubscriptionRequestCommand({
        domainIdentifier: domainId,
        identifier: created.id!,
      }),
    );
    expect(effects.granted()).toEqual({
      [grantKey('sales', 'orders')]: ['DESCRIBE', 'SELECT'],
      [grantKey('sales', 'lineitem')]: ['DESCRIBE', 'SELECT'],
    });
    // The role already held orders through the single-table subscription: only
    // lineitem is granted (granting twice corrupts moto's Lake Formation state).
    expect(effects.calls.slice(callsBefore)).toEqual([
      `grant ${grantKey('sales', 'lineitem')} DESCRIBE,SELECT`,
    ]);
    const product = await subscriptionOf(created.id!);
    const [grant] = await grantsOf(product.id);
    expect(grant.assets!.map(a => [a.assetId, a.status])).toEqual([
      [assets.orders.id, 'GRANTED'],
      [assets.lineitem.id, 'GRANTED'],
    ]);

    // Revoking the single-table subscription leaves orders to the product subscription.
    const single = (
      await client.send(
        new dz.ListSubscriptionsCommand({
          domainIdentifier: domainId,
          subscribedListingId: assets.orders.listingId,
        }),
      )
    ).items![0];
    const revoked = await client.send(
      new dz.RevokeSubscriptionCommand({
        domainIdentifier: domainId,
        identifier: single.id!,
      }),
    );
    expect(revoked.status).toBe('REVOKED');
    expect(revoked.retainPermissions).toBe(false);
    expect(effects.granted()).toEqual({
      [grantKey('sales', 'orders')]: ['DESCRIBE', 'SELECT'],
      [grantKey('sales', 'lineitem')]: ['DESCRIBE', 'SELECT'],
    });
    expect((await grantsOf(single.id!))[0].assets![0].status).toBe('REVOKED');
    expect(effects.calls.slice(callsBefore)).toHaveLength(1);

    await client.send(
      new dz.RevokeSubscriptionCommand({
        domainIdentifier: domainId,
        identifier: product.id,
      }),
    );
    expect(effects.granted()).toEqual({});
    // orders goes too, although the (revoked) single-table subscription added it.
    expect(effects.calls.slice(callsBefore + 1).sort()).toEqual([
      `revoke ${grantKey('sales', 'lineitem')} DESCRIBE,SELECT`,
      `revoke ${grantKey('sales', 'orders')} DESCRIBE,SELECT`,
    ]);
    expect(effects.links.size).toBe(0);
    expect(
      (
        await client.send(
          new dz.ListSubscriptionsCommand({ domainIdentifier: domainId }),
        )
      ).items,
    ).toEqual([]);
    expect(
      (
        await client.send(
          new dz.ListSubscriptionsCommand({
            domainIdentifier: domainId,
            status: 'REVOKED',
          }),
        )
      ).items,
    ).toHaveLength(2);
    expect(
      (
        await failure(
          client.send(
            new dz.RevokeSubscriptionCommand({
              domainIdentifier: domainId,
              identifier: product.id,
            }),
          ),
        )
      ).name,
    ).toBe('ConflictException');
  });

  it('keeps the permissions when a revoke retains them', async () => {
    const created = await client.send(request(assets.lineitem.listingId));
    await client.send(
      new dz.AcceptSubscriptionRequestCommand({
        domainIdentifier: domainId,
        identifier: created.id!,
      }),
    );
    const s = await subscriptionOf(created.id!);
    await client.send(
      new dz.RevokeSubscriptionCommand({
        domainIdentifier: domainId,
        identifier: s.id,
        retainPermissions: true,
      }),
    );
    expect(effects.granted()).toEqual({
      [grantKey('sales', 'lineitem')]: ['DESCRIBE', 'SELECT'],
    });
    effects.permissions.clear();
    effects.links.clear();
  });

  it('grants only what the role lacks and leaves a grant made outside DataZone on revoke', async () => {
    // SELECT on lineitem granted to the role by someone else, before the request.
    effects.permissions.set(grantKey('sales', 'lineitem'), new Set(['SELECT']));
    const callsBefore = effects.calls.length;
    const created = await client.send(request(assets.lineitem.listingId));
    await client.send(
      new dz.AcceptSubscriptionRequestCommand({
        domainIdentifier: domainId,
        identifier: created.id!,
      }),
    );
    const s = await subscriptionOf(created.id!);
    expect((await grantsOf(s.id))[0].status).toBe('COMPLETED');
    expect(effects.granted()).toEqual({
      [grantKey('sales', 'lineitem')]: ['DESCRIBE', 'SELECT'],
    });
    await client.send(
      new dz.RevokeSubscriptionCommand({
        domainIdentifier: domainId,
        identifier: s.id,
      }),
    );
    expect(effects.calls.slice(callsBefore)).toEqual([
      `grant ${grantKey('sales', 'lineitem')} DESCRIBE`,
      `revoke ${grantKey('sales', 'lineitem')} DESCRIBE`,
    ]);
    expect(effects.granted()).toEqual({
      [grantKey('sales', 'lineitem')]: ['SELECT'],
    });
    effects.permissions.clear();
    effects.links.clear();
  });

  it('records a failed grant when the table does not exist', async () => {
    const created = await client.send(request(assets.ghost.listingId));
    await client.send(
      new dz.AcceptSubscriptionRequestCommand({
        domainIdentifier: domainId,
        identifier: created.id!,
      }),
    );
    const [grant] = await grantsOf((await subscriptionOf(created.id!)).id);
    expect(grant.status).toBe('GRANT_FAILED');
    expect(grant.assets![0]).toMatchObject({
      status: 'GRANT_FAILED',
      failureCause: {
        message: expect.stringMatching(/sales\.ghost was not found/),
      },
    });
    expect(grant.assets![0].failureTimestamp).toBeInstanceOf(Date);
    expect(effects.granted()).toEqual({});
  });

  it('rejects, and pages the requests of every status', async () => {
    const created = await client.send(
      request(assets.orders.listingId, 'Again'),
    );
    const rejected = await client.send(
      new dz.RejectSubscriptionRequestCommand({
        domainIdentifier: domainId,
        identifier: created.id,
        decisionComment: 'Use the product',
      }),
    );
    expect(rejected).toMatchObject({
      status: 'REJECTED',
      decisionComment: 'Use the product',
    });
    const seen: string[] = [];
    for (const status of ['ACCEPTED', 'REJECTED'] as const) {
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new dz.ListSubscriptionRequestsCommand({
            domainIdentifier: domainId,
            status,
            maxResults: 1,
            nextToken,
            sortBy: 'CREATED_AT',
            sortOrder: 'DESCENDING',
          }),
        );
        seen.push(...page.items!.map(i => `${i.status}:${i.requestReason}`));
        nextToken = page.nextToken;
      } while (nextToken);
    }
    expect(seen).toEqual([
      'ACCEPTED:Campaign analysis',
      'ACCEPTED:Campaign analysis',
      'ACCEPTED:Campaign analysis',
      'ACCEPTED:All of it',
      'ACCEPTED:Order analysis',
      'REJECTED:Again',
    ]);
    const bad = await failure(
      client.send(
        new dz.ListSubscriptionRequestsCommand({
          domainIdentifier: domainId,
          maxResults: 51,
        }),
      ),
    );
    expect(bad.name).toBe('ValidationException');
  });
});

describe('data sources', () => {
  let dataSourceId: string;

  it('requires projectIdentifier to list and validates the configuration', async () => {
    const missing = await failure(
      client.send(
        new dz.ListDataSourcesCommand({ domainIdentifier: domainId } as any),
      ),
    );
    expect(missing.name).toBe('ValidationException');
    const redshift = await failure(
      client.send(
        new dz.CreateDataSourceCommand({
          domainIdentifier: domainId,
          projectIdentifier: producerId,
          environmentIdentifier: producerEnvId,
          name: 'warehouse',
          type: 'REDSHIFT',
        }),
      ),
    );
    expect(redshift.name).toBe('ValidationException');
  });

  it('creates a GLUE data source and lists and gets it', async () => {
    effects.addTable(PRODUCER, 'inventory', table('stock'));
    effects.addTable(PRODUCER, 'inventory', table('tmp_stock'));
    const created = await client.send(
      new dz.CreateDataSourceCommand({
        domainIdentifier: domainId,
        projectIdentifier: producerId,
        environmentIdentifier: producerEnvId,
        name: 'inventory tables',
        type: 'GLUE',
        publishOnImport: true,
        configuration: {
          glueRunConfiguration: {
            relationalFilterConfigurations: [
              {
                databaseName: 'inventory',
                filterExpressions: [{ type: 'EXCLUDE', expression: 'tmp_*' }],
              },
            ],
          },
        },
      }),
    );
    dataSourceId = created.id!;
    expect(created).toMatchObject({
      status: 'READY',
      type: 'GLUE',
      projectId: producerId,
      environmentId: producerEnvId,
      publishOnImport: true,
      configuration: {
        glueRunConfiguration: { accountId: PRODUCER, region: 'us-east-1' },
      },
    });
    expect(checked.last('CreateDataSource')!.status).toBe(201);
    // Data source timestamps are RFC 3339 strings on the wire.
    expect(
      typeof (checked.last('CreateDataSource')!.body as any).createdAt,
    ).toBe('string');
    const listed = await client.send(
      new dz.ListDataSourcesCommand({
        domainIdentifier: domainId,
        projectIdentifier: producerId,
      }),
    );
    expect(listed.items!.map(i => i.dataSourceId)).toEqual([dataSourceId]);
    const got = await client.send(
      new dz.GetDataSourceCommand({
        domainIdentifier: domainId,
        identifier: dataSourceId,
      }),
    );
    expect(got.name).toBe('inventory tables');
  });

  it('runs: one asset per selected table with its schema, published, then unchanged, then updated', async () => {
    const run = await client.send(
      new dz.StartDataSourceRunCommand({
        domainIdentifier: domainId,
        dataSourceIdentifier: dataSourceId,
      }),
    );
    expect(run).toMatchObject({
      status: 'SUCCESS',
      runStatisticsForAssets: {
        added: 1,
        updated: 0,
        unchanged: 0,
        skipped: 1,
        failed: 0,
      },
    });
    const found = await client.send(
      new dz.SearchListingsCommand({
        domainIdentifier: domainId,
        searchText: 'stock',
      }),
    );
    const listing = found
      .items!.map(i => i.assetListing!)
      .find(l => l.name === 'stock')!;
    expect(listing).toBeDefined();
    const asset = await client.send(
      new dz.GetAssetCommand({
        domainIdentifier: domainId,
        identifier: listing.entityId!,
      }),
    );
    expect(asset.externalIdentifier).toBe(arn('inventory', 'stock'));
    const form = JSON.parse(
      asset.formsOutput!.find(f => f.formName === 'GlueTableForm')!.content!,
    );
    expect(form.columns).toEqual([
      { columnName: 'id', dataType: 'bigint' },
      { columnName: 'amount', dataType: 'string' },
    ]);

    const second = await client.send(
      new dz.StartDataSourceRunCommand({
        domainIdentifier: domainId,
        dataSourceIdentifier: dataSourceId,
      }),
    );
    expect(second.runStatisticsForAssets).toMatchObject({
      added: 0,
      unchanged: 1,
    });
    effects.addTable(
      PRODUCER,
      'inventory',
      table('stock', ['id', 'amount', 'warehouse']),
    );
    const third = await client.send(
      new dz.StartDataSourceRunCommand({
        domainIdentifier: domainId,
        dataSourceIdentifier: dataSourceId,
      }),
    );
    expect(third.runStatisticsForAssets).toMatchObject({
      added: 0,
      updated: 1,
    });
    const updated = await client.send(
      new dz.GetAssetCommand({
        domainIdentifier: domainId,
        identifier: listing.entityId!,
      }),
    );
    expect(updated.revision).toBe('2');

    const runs = await client.send(
      new dz.ListDataSourceRunsCommand({
        domainIdentifier: domainId,
        dataSourceIdentifier: dataSourceId,
      }),
    );
    expect(runs.items!.map(r => r.id)).toEqual([third.id, second.id, run.id]);
    const got = await client.send(
      new dz.GetDataSourceRunCommand({
        domainIdentifier: domainId,
        identifier: run.id!,
      }),
    );
    expect(got.dataSourceId).toBe(dataSourceId);
    const ds = await client.send(
      new dz.GetDataSourceCommand({
        domainIdentifier: domainId,
        identifier: dataSourceId,
      }),
    );
    expect(ds.lastRunStatus).toBe('SUCCESS');
    expect(ds.lastRunAt).toBeInstanceOf(Date);
    const summary = await client.send(
      new dz.ListDataSourcesCommand({
        domainIdentifier: domainId,
        projectIdentifier: producerId,
      }),
    );
    expect(summary.items![0].lastRunAssetCount).toBe(1);
  });

  it('fails a run over a database that does not exist, saying so', async () => {
    const created = await client.send(
      new dz.CreateDataSourceCommand({
        domainIdentifier: domainId,
        projectIdentifier: producerId,
        environmentIdentifier: producerEnvId,
        name: 'nothing',
        type: 'GLUE',
        configuration: {
          glueRunConfiguration: {
            relationalFilterConfigurations: [{ databaseName: 'nope' }],
          },
        },
      }),
    );
    const run = await client.send(
      new dz.StartDataSourceRunCommand({
        domainIdentifier: domainId,
        dataSourceIdentifier: created.id,
      }),
    );
    expect(run.status).toBe('FAILED');
    expect(run.errorMessage).toMatchObject({
      errorType: 'RESOURCE_NOT_FOUND_EXCEPTION',
      errorDetail: expect.stringContaining('nope'),
    });
  });
});

describe('time series', () => {
  const day = 86_400_000;
  const content = (status: string) =>
    JSON.stringify({
      evaluationsCount: 1,
      passingPercentage: status === 'PASS' ? 100 : 0,
      evaluations: [
        { types: ['RowCount'], description: 'orders_row_count', status },
      ],
    });

  it('takes past timestamps and lists them in a window', async () => {
    const now = Date.now();
    const posted = await client.send(
      new dz.PostTimeSeriesDataPointsCommand({
        domainIdentifier: domainId,
        entityIdentifier: assets.orders.id,
        entityType: 'ASSET',
        forms: [10, 3, 1].map(ago => ({
          formName: 'DataQualityResultForm',
          typeIdentifier: DATA_QUALITY_RESULT_FORM_TYPE,
          timestamp: new Date(now - ago * day),
          content: content(ago === 1 ? 'FAIL' : 'PASS'),
        })),
      }),
    );
    expect(checked.last('PostTimeSeriesDataPoints')!.status).toBe(201);
    expect(posted.forms!.map(f => f.id)).toHaveLength(3);
    const window = await client.send(
      new dz.ListTimeSeriesDataPointsCommand({
        domainIdentifier: domainId,
        entityIdentifier: assets.orders.id,
        entityType: 'ASSET',
        formName: 'DataQualityResultForm',
        startedAt: new Date(now - 5 * day),
      }),
    );
    expect(
      window.items!.map(i => Math.round((now - i.timestamp!.getTime()) / day)),
    ).toEqual([3, 1]);
    expect(
      JSON.parse(window.items![1].contentSummary!).evaluations[0].status,
    ).toBe('FAIL');
    const one = await client.send(
      new dz.GetTimeSeriesDataPointCommand({
        domainIdentifier: domainId,
        entityIdentifier: assets.orders.id,
        entityType: 'ASSET',
        identifier: window.items![1].id!,
        formName: 'DataQualityResultForm',
      }),
    );
    expect(one.form!.content).toBe(content('FAIL'));
    const wrongForm = await failure(
      client.send(
        new dz.GetTimeSeriesDataPointCommand({
          domainIdentifier: domainId,
          entityIdentifier: assets.orders.id,
          entityType: 'ASSET',
          identifier: window.items![1].id!,
          formName: 'Other',
        }),
      ),
    );
    expect(wrongForm.name).toBe('ResourceNotFoundException');
  });

  it('refuses unknown form types and entities without storing anything', async () => {
    const before = snapshot();
    const post = (entityIdentifier: string, typeIdentifier: string) =>
      failure(
        client.send(
          new dz.PostTimeSeriesDataPointsCommand({
            domainIdentifier: domainId,
            entityIdentifier,
            entityType: 'ASSET',
            forms: [
              {
                formName: 'x',
                typeIdentifier,
                timestamp: new Date(),
                content: '{}',
              },
            ],
          }),
        ),
      );
    expect((await post(assets.orders.id, 'no.such.Type')).name).toBe(
      'ResourceNotFoundException',
    );
    expect(
      (await post('noasset12345', DATA_QUALITY_RESULT_FORM_TYPE)).name,
    ).toBe('ResourceNotFoundException');
    expect(snapshot()).toBe(before);
  });
});

describe('lineage', () => {
  const glueNs = `arn:aws:glue:us-east-1:${PRODUCER}`;
  const event = (
    runId: string,
    time: string,
    inputs: string[],
    outputs: string[],
  ) =>
    Buffer.from(
      JSON.stringify({
        eventType: 'COMPLETE',
        eventTime: time,
        producer: 'https://example.com/etl',
        schemaURL:
          'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
        run: { runId },
        job: { namespace: 'retail', name: 'curate_orders' },
        inputs: inputs.map(name => ({ namespace: glueNs, name })),
        outputs: outputs.map(name => ({ namespace: glueNs, name })),
      }),
    );

  it('maps a run event to job, run and dataset nodes, linked upstream and downstream', async () => {
    const posted = await client.send(
      new dz.PostLineageEventCommand({
        domainIdentifier: domainId,
        event: event(
          'run-1',
          '2026-10-01T06:00:00Z',
          ['table/raw/orders_raw'],
          ['table/sales/orders'],
        ),
      }),
    );
    expect(posted).toMatchObject({ domainId, id: expect.any(String) });
    const output = await client.send(
      new dz.GetLineageNodeCommand({
        domainIdentifier: domainId,
        identifier: arn('sales', 'orders'),
      }),
    );
    expect(output).toMatchObject({
      typeName: LINEAGE_NODE_TYPES.dataset,
      sourceIdentifier: arn('sales', 'orders'),
      name: 'orders',
    });
    expect(JSON.parse(output.formsOutput![0].content!).assetId).toBe(
      assets.orders.id,
    );
    const run = await client.send(
      new dz.GetLineageNodeCommand({
        domainIdentifier: domainId,
        identifier: output.upstreamNodes![0].id!,
      }),
    );
    expect(run).toMatchObject({
      typeName: LINEAGE_NODE_TYPES.jobRun,
      sourceIdentifier: 'retail.curate_orders/run-1',
    });
    const upstream = await Promise.all(
      run.upstreamNodes!.map(n =>
        client.send(
          new dz.GetLineageNodeCommand({
            domainIdentifier: domainId,
            identifier: n.id!,
          }),
        ),
      ),
    );
    expect(upstream.map(n => [n.typeName, n.sourceIdentifier])).toEqual([
      [LINEAGE_NODE_TYPES.job, 'retail.curate_orders'],
      [LINEAGE_NODE_TYPES.dataset, `${glueNs}:table/raw/orders_raw`],
    ]);
    expect(upstream[1].downstreamNodes!.map(n => n.id)).toEqual([run.id]);
  });

  it('keeps a history per node, and answers as of a timestamp', async () => {
    await client.send(
      new dz.PostLineageEventCommand({
        domainIdentifier: domainId,
        event: event(
          'run-2',
          '2026-10-02T06:00:00Z',
          ['table/raw/orders_raw'],
          ['table/sales/orders'],
        ),
      }),
    );
    const history = await client.send(
      new dz.ListLineageNodeHistoryCommand({
        domainIdentifier: domainId,
        identifier: arn('sales', 'orders'),
        direction: 'UPSTREAM',
      }),
    );
    expect(history.nodes!.map(n => n.eventTimestamp!.toISOString())).toEqual([
      '2026-10-02T06:00:00.000Z',
      '2026-10-01T06:00:00.000Z',
    ]);
    const latestNode = await client.send(
      new dz.GetLineageNodeCommand({
        domainIdentifier: domainId,
        identifier: arn('sales', 'orders'),
      }),
    );
    const latestRun = await client.send(
      new dz.GetLineageNodeCommand({
        domainIdentifier: domainId,
        identifier: latestNode.upstreamNodes![0].id!,
      }),
    );
    // The newer run replaces the older one of the same job.
    expect(latestNode.upstreamNodes).toHaveLength(1);
    expect(latestRun.sourceIdentifier).toBe('retail.curate_orders/run-2');
    const asOf = await client.send(
      new dz.GetLineageNodeCommand({
        domainIdentifier: domainId,
        identifier: arn('sales', 'orders'),
        eventTimestamp: new Date('2026-10-01T12:00:00Z'),
      }),
    );
    expect(asOf.eventTimestamp!.toISOString()).toBe('2026-10-01T06:00:00.000Z');
    const window = await client.send(
      new dz.ListLineageNodeHistoryCommand({
        domainIdentifier: domainId,
        identifier: arn('sales', 'orders'),
        eventTimestampGTE: new Date('2026-10-01T12:00:00Z'),
        sortOrder: 'ASCENDING',
      }),
    );
    expect(window.nodes).toHaveLength(1);
  });

  it('refuses what is not an OpenLineage run event', async () => {
    const before = snapshot();
    for (const body of [
      'not json',
      '{"eventTime":"2026-10-01T00:00:00Z"}',
      '[]',
    ]) {
      const error = await failure(
        client.send(
          new dz.PostLineageEventCommand({
            domainIdentifier: domainId,
            event: Buffer.from(body),
          }),
        ),
      );
      expect(error.name).toBe('ValidationException');
    }
    expect(snapshot()).toBe(before);
    const missing = await failure(
      client.send(
        new dz.GetLineageNodeCommand({
          domainIdentifier: domainId,
          identifier: 'nonode',
        }),
      ),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});
