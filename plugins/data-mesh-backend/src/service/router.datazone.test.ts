import {
  AcceptSubscriptionRequestCommand,
  CreateSubscriptionRequestCommand,
  DataZoneClient,
  GetEnvironmentCommand,
  GetSubscriptionCommand,
  GetSubscriptionRequestDetailsCommand,
  ListSubscriptionGrantsCommand,
  ListSubscriptionsCommand,
  RejectSubscriptionRequestCommand,
  RevokeSubscriptionCommand,
} from '@aws-sdk/client-datazone';
import { LakeFormationClient, ListPermissionsCommand } from '@aws-sdk/client-lakeformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ANNOTATION_DATAZONE_LISTING_ID } from '@data-mesh-portal/plugin-data-mesh-common';
import {
  DUMMY_CREDENTIALS,
  LocalAws,
  PRODUCER_ROLE_ARN,
  PRODUCER_ROLE_NAME,
  startLocalAws,
} from '@data-mesh-portal/local-aws';
import { createTestDatabases } from '@data-mesh-portal/test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { meshEntities, MeshFixture, startDataMeshBackend } from '../__testUtils__/fixtures';

/*
 * DataZone mode end to end, against the local DataZone stand-in (subscription
 * requests, accept/reject/revoke, subscription grants) and its Lake Formation
 * side effects in moto. Lake Formation is checked independently, as the
 * producer account, across every principal and resource of the catalog.
 *
 * Ordering matters: two subscriptions granting the same role and table at the
 * same time make moto grant that pair twice, which can corrupt its Lake
 * Formation state; each subscription here is revoked before the next one that
 * touches the same tables is accepted.
 */

jest.setTimeout(180_000);

const databases = createTestDatabases();

const BOB = mockCredentials.user.header('user:default/bob');
const ALICE = mockCredentials.user.header('user:default/alice');

const PRODUCT = 'system:default/order-history';
const TEAM = 'group:default/marketing-analytics';

let local: LocalAws;
const savedEndpoint = process.env.AWS_ENDPOINT_URL;

beforeAll(async () => {
  local = await startLocalAws({ seed: true });
  process.env.AWS_ENDPOINT_URL = local.endpoint;
});

afterAll(async () => {
  await local?.stop();
  process.env.AWS_ENDPOINT_URL = savedEndpoint;
});

type LfState = Record<string, string[]>;

describe.each(databases.eachSupportedId())('access requests in DataZone mode on %p', databaseId => {
  let fixture: MeshFixture;
  let knex: Knex;
  let started: Awaited<ReturnType<typeof startDataMeshBackend>>;
  let lf: LakeFormationClient;
  /** DataZone as seen from its own portal (the governance account owns every demo project). */
  let dz: DataZoneClient;
  let roleArn: string;
  /** Dataset entity ref → its asset listing id and table. */
  const datasets: Record<string, { listingId: string; table: string }> = {};
  /** Every Lake Formation permission before the test, for diffs. */
  let baseline: LfState;

  /** Every Lake Formation permission of the producer catalog, as `principal | db.table: PERMS`. */
  async function lakeFormation(): Promise<LfState> {
    const out: LfState = {};
    let NextToken: string | undefined;
    do {
      const page = await lf.send(new ListPermissionsCommand({ CatalogId: fixture.producerAccount, NextToken }));
      for (const p of page.PrincipalResourcePermissions ?? []) {
        const t = p.Resource?.Table ?? p.Resource?.TableWithColumns;
        const resource = t ? `${t.DatabaseName}.${t.Name}` : JSON.stringify(p.Resource);
        const key = `${p.Principal?.DataLakePrincipalIdentifier} | ${resource}`;
        out[key] = [...new Set([...(out[key] ?? []), ...(p.Permissions ?? [])])].sort();
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }

  /** What changed in Lake Formation since the baseline. */
  async function addedSinceBaseline(): Promise<LfState> {
    const now = await lakeFormation();
    const added: LfState = {};
    const before = baseline;
    for (const [key, perms] of Object.entries(now)) {
      const held = before[key] ?? [];
      const extra = perms.filter(p => !held.includes(p));
      if (extra.length) added[key] = extra;
    }
    const removed = Object.entries(baseline).filter(
      ([key, perms]) => !perms.every(p => (now[key] ?? []).includes(p)),
    );
    expect(removed).toEqual([]);
    return added;
  }

  const grantsOn = (tables: string[]) =>
    Object.fromEntries(tables.map(t => [`${roleArn} | ${fixture.database}.${t}`, ['DESCRIBE', 'SELECT']]));

  /** The grant the backend recorded (kept to itself, not in the API). */
  async function grantOf(id: string) {
    const value = (await knex('access_requests').where({ id }).first()).grant_details;
    return typeof value === 'string' ? JSON.parse(value) : value;
  }

  const api = () => request(started.server);
  const get = (path: string, auth: string) => api().get(`/api/data-mesh${path}`).set('Authorization', auth);
  const post = (path: string, auth: string, body: object = {}) =>
    api().post(`/api/data-mesh${path}`).set('Authorization', auth).send(body);

  async function subscriptionsOf(subscriptionRequestId: string) {
    const page = await dz.send(
      new ListSubscriptionsCommand({
        domainIdentifier: fixture.domainId,
        subscriptionRequestIdentifier: subscriptionRequestId,
        status: 'APPROVED',
      }),
    );
    return page.items ?? [];
  }

  async function grantsOfSubscription(subscriptionId: string) {
    const page = await dz.send(
      new ListSubscriptionGrantsCommand({ domainIdentifier: fixture.domainId, subscriptionId }),
    );
    return page.items ?? [];
  }

  beforeAll(async () => {
    const demo = local.demo!;
    const product = demo.dataProducts.find(p => p.key === 'order-history')!;
    const marketing = demo.projects.marketing;
    fixture = {
      domainId: demo.domainId,
      productListingId: product.listingId!,
      producerAccount: demo.accounts.producer,
      region: local.region,
      database: product.database,
      tables: product.assets.map(a => a.table),
      teamRoleArn: `arn:aws:iam::${marketing.environmentAccountId}:role/datazone_usr_${marketing.environmentId}`,
      teamProjectId: marketing.id,
    };
    // The datasets carry their real asset listings.
    const entities = meshEntities(fixture);
    for (const asset of product.assets) {
      const entity = entities.find(e => e.metadata.name === `order-history-${asset.table}`)!;
      entity.metadata.annotations![ANNOTATION_DATAZONE_LISTING_ID] = asset.listingId!;
      datasets[`api:default/order-history-${asset.table}`] = { listingId: asset.listingId!, table: asset.table };
    }
    knex = await databases.init(databaseId);
    started = await startDataMeshBackend({
      entities,
      endpoint: local.endpoint,
      producerAccount: demo.accounts.producer,
      producerRoleName: PRODUCER_ROLE_NAME,
      accessKeyId: DUMMY_CREDENTIALS.accessKeyId,
      secretAccessKey: DUMMY_CREDENTIALS.secretAccessKey,
      knex,
      config: {
        mode: 'datazone',
        dataZone: { region: local.region, domainIds: [demo.domainId] },
      },
    });
    dz = new DataZoneClient(local.clientConfig());
    // The role DataZone grants to: the user role of the project's data-lake environment.
    const environment = await dz.send(
      new GetEnvironmentCommand({ domainIdentifier: demo.domainId, identifier: marketing.environmentId }),
    );
    roleArn = environment.provisionedResources!.find(r => r.name === 'userRoleArn')!.value!;
    if (roleArn !== fixture.teamRoleArn) {
      throw new Error(`The marketing environment's user role is ${roleArn}, not ${fixture.teamRoleArn}`);
    }

    const sts = new STSClient(local.clientConfig());
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: PRODUCER_ROLE_ARN, RoleSessionName: 'test-check' }));
    sts.destroy();
    lf = new LakeFormationClient({
      ...local.clientConfig(),
      credentials: {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken,
      },
    });
    baseline = await lakeFormation();
  });

  afterAll(async () => {
    lf?.destroy();
    dz?.destroy();
    await started?.backend.stop();
    await started?.awsClients.destroy();
  });

  it('starts with no grant for the team on the product tables', async () => {
    expect(fixture.tables.length).toBeGreaterThan(1);
    const onProduct = Object.keys(baseline).filter(k => k.startsWith(`${roleArn} | ${fixture.database}.`));
    expect(onProduct).toEqual([]);
  });

  it('a product request subscribes the project to the product listing; approval grants exactly the product tables to the environment role; revoke takes it away', async () => {
    const created = await post('/access-requests', BOB, {
      entityRef: PRODUCT,
      teamRef: TEAM,
      purpose: 'Campaign attribution for the autumn campaign',
      durationDays: 30,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', grantMode: 'datazone', source: 'backstage' });
    // Nothing in DataZone or Lake Formation before a reviewer decides.
    expect(await addedSinceBaseline()).toEqual({});

    const approved = await post(`/access-requests/${created.body.id}/approve`, ALICE, { comment: 'Autumn campaign only' });
    expect(approved.status).toBe(200);
    expect({ status: approved.body.status, failureReason: approved.body.failureReason }).toEqual({
      status: 'active',
      failureReason: undefined,
    });
    const record = await knex('access_requests').where({ id: created.body.id }).first();
    const grant = await grantOf(created.body.id);
    expect(record.external_id).toBe(grant.subscriptionRequestId);

    // DataZone: the request is ACCEPTED, for the product listing and the team's project only.
    const details = await dz.send(
      new GetSubscriptionRequestDetailsCommand({ domainIdentifier: fixture.domainId, identifier: grant.subscriptionRequestId }),
    );
    expect(details.status).toBe('ACCEPTED');
    expect(details.decisionComment).toBe('Autumn campaign only');
    expect(details.requestReason).toBe('Campaign attribution for the autumn campaign');
    expect(details.subscribedListings!.map(l => l.id)).toEqual([fixture.productListingId]);
    expect(details.subscribedPrincipals!.map(p => p.project?.id)).toEqual([fixture.teamProjectId]);
    const subscriptions = await subscriptionsOf(grant.subscriptionRequestId);
    expect(subscriptions.map(s => s.id)).toEqual([grant.subscriptionId]);
    const subscription = await dz.send(
      new GetSubscriptionCommand({ domainIdentifier: fixture.domainId, identifier: grant.subscriptionId }),
    );
    expect(subscription.status).toBe('APPROVED');
    const grants = await grantsOfSubscription(grant.subscriptionId);
    expect(grants.map(g => g.status)).toEqual(['COMPLETED']);
    expect(grants[0].assets!.map(a => a.status)).toEqual(fixture.tables.map(() => 'GRANTED'));

    // Lake Formation: SELECT and DESCRIBE for exactly that role on exactly the product tables.
    expect(await addedSinceBaseline()).toEqual(grantsOn(fixture.tables));

    // The consumer sees it verified against DataZone.
    const verified = await get(`/access-requests/${created.body.id}/grant`, BOB);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      granted: true,
      mode: 'datazone',
      principal: fixture.teamProjectId,
      subscriptionGrantStatuses: ['COMPLETED'],
    });
    expect(verified.body.tables.map((t: any) => [t.tableName, t.permissions])).toEqual(
      fixture.tables.map(t => [t, ['SELECT', 'DESCRIBE']]),
    );

    // Reconciliation leaves a healthy grant alone.
    await started.scheduler.trigger('data-mesh-access-reconciliation');
    expect((await get(`/access-requests/${created.body.id}`, BOB)).body.status).toBe('active');

    const revoked = await post(`/access-requests/${created.body.id}/revoke`, ALICE, { reason: 'Campaign over' });
    expect({ status: revoked.body.status, failureReason: revoked.body.failureReason }).toEqual({
      status: 'revoked',
      failureReason: undefined,
    });
    const after = await dz.send(
      new GetSubscriptionCommand({ domainIdentifier: fixture.domainId, identifier: grant.subscriptionId }),
    );
    expect(after.status).toBe('REVOKED');
    expect((await grantsOfSubscription(grant.subscriptionId))[0].assets!.map(a => a.status)).toEqual(
      fixture.tables.map(() => 'REVOKED'),
    );
    expect(await addedSinceBaseline()).toEqual({});
    expect((await get(`/access-requests/${created.body.id}/grant`, BOB)).body.granted).toBe(false);
  });

  it("a dataset request subscribes to that asset's listing only", async () => {
    const [entityRef, dataset] = Object.entries(datasets)[0];
    const created = await post('/access-requests', BOB, {
      entityRef,
      teamRef: TEAM,
      purpose: 'Order lines for basket analysis',
    });
    expect(created.status).toBe(201);
    const approved = await post(`/access-requests/${created.body.id}/approve`, ALICE, {});
    expect({ status: approved.body.status, failureReason: approved.body.failureReason }).toEqual({
      status: 'active',
      failureReason: undefined,
    });
    const grant = await grantOf(created.body.id);
    const details = await dz.send(
      new GetSubscriptionRequestDetailsCommand({ domainIdentifier: fixture.domainId, identifier: grant.subscriptionRequestId }),
    );
    expect(details.subscribedListings!.map(l => l.id)).toEqual([dataset.listingId]);
    expect(details.subscribedListings![0].item?.assetListing).toBeDefined();
    expect(await addedSinceBaseline()).toEqual(grantsOn([dataset.table]));

    await post(`/access-requests/${created.body.id}/revoke`, ALICE, {}).expect(200);
    expect(await addedSinceBaseline()).toEqual({});
  });

  describe('reconciliation with the DataZone portal', () => {
    const reconcile = () => started.scheduler.trigger('data-mesh-access-reconciliation');

    /** A subscription request made in the DataZone portal for the marketing project. */
    async function portalRequest(listingId: string, reason: string) {
      const created = await dz.send(
        new CreateSubscriptionRequestCommand({
          domainIdentifier: fixture.domainId,
          subscribedPrincipals: [{ project: { identifier: fixture.teamProjectId } }],
          subscribedListings: [{ identifier: listingId }],
          requestReason: reason,
        }),
      );
      return created.id!;
    }

    async function byExternalId(externalId: string) {
      const row = await knex('access_requests').where({ external_id: externalId }).first();
      return row ? (await get(`/access-requests/${row.id}`, ALICE)).body : undefined;
    }

    it('imports a pending request made in DataZone into the reviewers\' inbox, once', async () => {
      const id = await portalRequest(fixture.productListingId, 'Looking at order history for churn');
      await reconcile();
      await reconcile();
      expect(await knex('access_requests').where({ external_id: id })).toHaveLength(1);
      const imported = await byExternalId(id);
      expect(imported).toMatchObject({
        entityRef: PRODUCT,
        teamRef: TEAM,
        status: 'pending',
        source: 'datazone',
        externalId: id,
        grantMode: 'datazone',
        purpose: 'Looking at order history for churn',
        requesterRef: expect.stringMatching(/^datazone-user:/),
      });
      const inbox = await get('/access-requests?view=review&status=pending', ALICE);
      expect(inbox.body.items.map((r: any) => r.id)).toContain(imported.id);
      expect(started.notifications.send).toHaveBeenCalledWith(
        expect.objectContaining({
          recipients: expect.objectContaining({ entityRef: expect.arrayContaining(['group:default/sales-domain']) }),
        }),
      );

      // Accepted in DataZone → active here, with the subscription verified.
      await dz.send(
        new AcceptSubscriptionRequestCommand({ domainIdentifier: fixture.domainId, identifier: id, decisionComment: 'ok' }),
      );
      expect(await addedSinceBaseline()).toEqual(grantsOn(fixture.tables));
      await reconcile();
      const accepted = await byExternalId(id);
      expect(accepted.status).toBe('active');
      expect(accepted.reviewerRef).toMatch(/^datazone-user:/);
      const [subscription] = await subscriptionsOf(id);
      const verified = await get(`/access-requests/${accepted.id}/grant`, BOB);
      expect(verified.body).toMatchObject({ granted: true, subscriptionGrantStatuses: ['COMPLETED'] });
      expect(verified.body.detail).toContain(subscription.id);
      // Stays active on the next run.
      await reconcile();
      expect((await byExternalId(id)).status).toBe('active');

      // Revoked in DataZone → revoked here.
      await dz.send(
        new RevokeSubscriptionCommand({ domainIdentifier: fixture.domainId, identifier: subscription.id! }),
      );
      expect(await addedSinceBaseline()).toEqual({});
      await reconcile();
      const revoked = await byExternalId(id);
      expect(revoked.status).toBe('revoked');
      expect(revoked.decisionReason).toMatch(/outside Backstage/);
    });

    it('converges a request rejected in DataZone', async () => {
      const [entityRef, dataset] = Object.entries(datasets)[1];
      const id = await portalRequest(dataset.listingId, 'Part data for a supplier study');
      await reconcile();
      const imported = await byExternalId(id);
      expect(imported).toMatchObject({ entityRef, status: 'pending', source: 'datazone' });
      await dz.send(
        new RejectSubscriptionRequestCommand({
          domainIdentifier: fixture.domainId,
          identifier: id,
          decisionComment: 'Not for this purpose',
        }),
      );
      await reconcile();
      expect(await byExternalId(id)).toMatchObject({ status: 'rejected', decisionReason: 'Not for this purpose' });
      expect(await addedSinceBaseline()).toEqual({});
    });

    it('approving an imported request in Backstage accepts that DataZone request (no second one)', async () => {
      const id = await portalRequest(fixture.productListingId, 'Order history for the loyalty programme');
      await reconcile();
      const imported = await byExternalId(id);
      const approved = await post(`/access-requests/${imported.id}/approve`, ALICE, {});
      expect({ status: approved.body.status, failureReason: approved.body.failureReason }).toEqual({
        status: 'active',
        failureReason: undefined,
      });
      const details = await dz.send(
        new GetSubscriptionRequestDetailsCommand({ domainIdentifier: fixture.domainId, identifier: id }),
      );
      expect(details.status).toBe('ACCEPTED');
      expect(await knex('access_requests').where({ external_id: id })).toHaveLength(1);
      expect(await addedSinceBaseline()).toEqual(grantsOn(fixture.tables));
      await post(`/access-requests/${imported.id}/revoke`, ALICE, {}).expect(200);
      expect(await addedSinceBaseline()).toEqual({});
    });

    it('a request approved in Backstage and revoked in DataZone converges to revoked', async () => {
      const created = await post('/access-requests', BOB, {
        entityRef: PRODUCT,
        teamRef: TEAM,
        purpose: 'Quarterly review',
      });
      const approved = await post(`/access-requests/${created.body.id}/approve`, ALICE, {});
      expect(approved.body.status).toBe('active');
      const grant = await grantOf(created.body.id);
      await dz.send(
        new RevokeSubscriptionCommand({ domainIdentifier: fixture.domainId, identifier: grant.subscriptionId }),
      );
      await reconcile();
      const after = await get(`/access-requests/${created.body.id}`, BOB);
      expect(after.body.status).toBe('revoked');
      expect(await addedSinceBaseline()).toEqual({});
    });

    it('rejecting an imported request in Backstage rejects it in DataZone', async () => {
      const id = await portalRequest(fixture.productListingId, 'Another look');
      await reconcile();
      const imported = await byExternalId(id);
      await post(`/access-requests/${imported.id}/reject`, ALICE, { reason: 'Ask for a dataset instead' }).expect(200);
      const details = await dz.send(
        new GetSubscriptionRequestDetailsCommand({ domainIdentifier: fixture.domainId, identifier: id }),
      );
      expect({ status: details.status, comment: details.decisionComment }).toEqual({
        status: 'REJECTED',
        comment: 'Ask for a dataset instead',
      });
    });
  });
});
