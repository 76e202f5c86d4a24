import {
  LakeFormationClient,
  ListPermissionsCommand,
} from '@aws-sdk/client-lakeformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockCredentials } from '@backstage/backend-test-utils';
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

jest.setTimeout(180_000);

const databases = createTestDatabases();

const BOB = mockCredentials.user.header('user:default/bob');
const ALICE = mockCredentials.user.header('user:default/alice');
const DAN = mockCredentials.user.header('user:default/dan');
const EVE = mockCredentials.user.header('user:default/eve');
const FRANK = mockCredentials.user.header('user:default/frank');
const CAROL = mockCredentials.user.header('user:default/carol');

const PRODUCT = 'system:default/order-history';
const ORDERS = 'api:default/order-history-orders';
const LINEITEM = 'api:default/order-history-lineitem';
const PUBLIC = 'api:default/public-dataset';
const TEAM = 'group:default/marketing-analytics';

// One local AWS for both database engines (each run ends with every grant
// removed, which the next run checks before it starts).
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

describe.each(databases.eachSupportedId())('access requests API on %p', databaseId => {
  let fixture: MeshFixture;
  let knex: Knex;
  let started: Awaited<ReturnType<typeof startDataMeshBackend>>;
  let lf: LakeFormationClient;

  /**
   * What the seed grants the team's role before any test (the demo mesh's
   * accepted DataZone subscription), left out of {@link grantsOfTeam}.
   */
  let seeded: Record<string, string[]> = {};

  /** Every Lake Formation permission the team's role holds beyond the seed's, as `db.table: PERMS`. */
  async function grantsOfTeam(principal = fixture.teamRoleArn): Promise<Record<string, string[]>> {
    const all = await allGrantsOf(principal);
    return Object.fromEntries(
      Object.entries(all).filter(
        ([key, perms]) => principal !== fixture.teamRoleArn || seeded[key]?.join() !== perms.join(),
      ),
    );
  }

  async function allGrantsOf(principal: string): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    let NextToken: string | undefined;
    do {
      const page = await lf.send(
        // Everything in the catalog, filtered here: the check must see grants
        // on any resource, not only on the tables the code under test names.
        new ListPermissionsCommand({ CatalogId: fixture.producerAccount, NextToken }),
      );
      for (const p of page.PrincipalResourcePermissions ?? []) {
        if (p.Principal?.DataLakePrincipalIdentifier !== principal) continue;
        const t = p.Resource?.Table ?? p.Resource?.TableWithColumns;
        const key = t ? `${t.DatabaseName}.${t.Name}` : JSON.stringify(p.Resource);
        out[key] = [...new Set([...(out[key] ?? []), ...(p.Permissions ?? [])])].sort();
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }

  async function counts() {
    const [{ n: requests }] = await knex('access_requests').count({ n: '*' });
    const [{ n: events }] = await knex('access_request_events').count({ n: '*' });
    return { requests: Number(requests), events: Number(events) };
  }

  async function createRequest(auth: string, body: Record<string, unknown>) {
    return request(started.server).post('/api/data-mesh/access-requests').set('Authorization', auth).send(body);
  }

  const valid = (overrides: Record<string, unknown> = {}) => ({
    entityRef: PRODUCT,
    teamRef: TEAM,
    purpose: 'Campaign attribution for the autumn campaign',
    durationDays: 30,
    ...overrides,
  });

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
      publicDataset: { table: product.assets[0].table },
    };
    knex = await databases.init(databaseId);
    started = await startDataMeshBackend({
      entities: meshEntities(fixture),
      endpoint: local.endpoint,
      producerAccount: demo.accounts.producer,
      producerRoleName: PRODUCER_ROLE_NAME,
      accessKeyId: DUMMY_CREDENTIALS.accessKeyId,
      secretAccessKey: DUMMY_CREDENTIALS.secretAccessKey,
      knex,
      config: { autoApprove: [{ classifications: ['public'], accessLevel: 'describe' }] },
    });
    // An independent view of Lake Formation, as the producer account.
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
    seeded = await allGrantsOf(fixture.teamRoleArn);
    // Only the seed's own subscription, never a table of the product under test.
    const onProduct = Object.keys(seeded).filter(key => key.startsWith(`${fixture.database}.`));
    if (onProduct.length > 0) {
      throw new Error(`The seed already grants the team ${onProduct.join(', ')}`);
    }
  });

  afterAll(async () => {
    lf?.destroy();
    await started?.backend.stop();
    await started?.awsClients.destroy();
  });

  it('starts with no grant for the team in Lake Formation', async () => {
    expect(await grantsOfTeam()).toEqual({});
  });

  it('serves /health without authentication', async () => {
    const res = await request(started.server).get('/api/data-mesh/health');
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('answers 401 on every route without credentials, and writes nothing', async () => {
    const before = await counts();
    const id = '00000000-0000-4000-8000-000000000000';
    const routes: Array<[string, string]> = [
      ['post', '/access-requests'],
      ['get', '/access-requests'],
      ['get', `/access-requests/${id}`],
      ['get', `/access-requests/${id}/grant`],
      ['get', `/access-requests/${id}/events`],
      ['post', `/access-requests/${id}/approve`],
      ['post', `/access-requests/${id}/reject`],
      ['post', `/access-requests/${id}/withdraw`],
      ['post', `/access-requests/${id}/revoke`],
      ['get', `/audit-events?entityRef=${PRODUCT}`],
    ];
    for (const [method, path] of routes) {
      const res = await (request(started.server) as any)[method](`/api/data-mesh${path}`).send(valid());
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses bad input with a 4xx and a message, changing nothing in the tables or in AWS', async () => {
    const before = await counts();
    const cases: Array<[string, string, Record<string, unknown>, number, RegExp]> = [
      ['missing purpose', BOB, { entityRef: PRODUCT, teamRef: TEAM }, 400, /purpose: is required/],
      ['unknown entity', BOB, valid({ entityRef: 'system:default/nope' }), 404, /No data product or dataset/],
      ['not a product or dataset', BOB, valid({ entityRef: 'component:default/portal' }), 400, /neither a data product/],
      ['duration above maximum', BOB, valid({ durationDays: 181 }), 400, /at most 180 days/],
      ['absurd duration', BOB, valid({ durationDays: 100000 }), 400, /durationDays/],
      ['team the user is not in', BOB, valid({ teamRef: 'group:default/supply-chain-domain' }), 403, /not a member/],
      ['forged requester in body', BOB, valid({ requesterRef: 'user:default/alice' }), 400, /requesterRef is not accepted/],
      ['forged user id in body', BOB, valid({ userEntityRef: 'user:default/alice' }), 400, /not accepted/],
      ['HTML in purpose', BOB, valid({ purpose: 'Please <script>alert(1)</script> thanks' }), 400, /plain text/],
      ['malformed entity ref', BOB, valid({ entityRef: "x'; DROP TABLE access_requests; --" }), 400, /entity ref/],
      ['unauthorized user (DENY)', EVE, valid(), 403, /not allowed/],
      ['team without the annotated role (no request possible)', CAROL, valid({ teamRef: 'group:default/platform-team' }), 400, /no IAM role/],
    ];
    for (const [name, auth, body, status, message] of cases) {
      const res = await createRequest(auth, body);
      expect({ name, status: res.status }).toEqual({ name, status });
      expect({ name, message: res.body.error?.message }).toEqual({ name, message: expect.stringMatching(message) });
    }
    const huge = await request(started.server)
      .post('/api/data-mesh/access-requests')
      .set('Authorization', BOB)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(valid({ purpose: 'x'.repeat(1024 * 1024) })));
    expect(huge.status).toBe(413);
    const broken = await request(started.server)
      .post('/api/data-mesh/access-requests')
      .set('Authorization', BOB)
      .set('Content-Type', 'application/json')
      .send('{"entityRef": ');
    expect(broken.status).toBe(400);
    expect(await counts()).toEqual(before);
    expect(await grantsOfTeam()).toEqual({});
    expect(started.notifications.send).not.toHaveBeenCalled();
  });

  it('stores SQL in free text as text', async () => {
    const purpose = "Robert'); DROP TABLE access_requests; -- for the campaign";
    const res = await createRequest(BOB, valid({ entityRef: LINEITEM, purpose }));
    expect(res.status).toBe(201);
    expect(res.body.purpose).toBe(purpose);
    const withdrawn = await request(started.server)
      .post(`/api/data-mesh/access-requests/${res.body.id}/withdraw`)
      .set('Authorization', BOB)
      .send({});
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(await knex('access_requests').where({ id: res.body.id }).first()).toMatchObject({ purpose });
  });

  let productRequestId: string;

  it('lets a consumer request access for their team and notifies the reviewers', async () => {
    const res = await createRequest(BOB, valid());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      entityRef: PRODUCT,
      targetKind: 'data-product',
      requesterRef: 'user:default/bob',
      teamRef: TEAM,
      status: 'pending',
      requestedDurationDays: 30,
      grantMode: 'lakeformation',
    });
    productRequestId = res.body.id;
    expect(started.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: expect.objectContaining({
          entityRef: expect.arrayContaining(['group:default/sales-domain', 'group:default/sales-stewards']),
        }),
      }),
    );
    const again = await createRequest(BOB, valid());
    expect(again.status).toBe(409);
  });

  it('shows requests to the requester and to reviewers, not to others', async () => {
    const mine = await request(started.server).get('/api/data-mesh/access-requests?view=mine').set('Authorization', BOB);
    expect(mine.body.items.map((r: any) => r.id)).toContain(productRequestId);
    const toReview = await request(started.server).get('/api/data-mesh/access-requests?view=review&status=pending').set('Authorization', ALICE);
    expect(toReview.body.items.map((r: any) => r.id)).toEqual([productRequestId]);
    const asApprover = await request(started.server).get('/api/data-mesh/access-requests?view=review&status=pending').set('Authorization', DAN);
    expect(asApprover.body.items.map((r: any) => r.id)).toEqual([productRequestId]);
    const asCarol = await request(started.server).get('/api/data-mesh/access-requests?view=review').set('Authorization', CAROL);
    expect(asCarol.body.items).toEqual([]);
    const asEve = await request(started.server).get('/api/data-mesh/access-requests?view=review').set('Authorization', EVE);
    expect(asEve.body.items).toEqual([]);
    await request(started.server).get(`/api/data-mesh/access-requests/${productRequestId}`).set('Authorization', CAROL).expect(403);
    await request(started.server).get(`/api/data-mesh/access-requests/${productRequestId}`).set('Authorization', ALICE).expect(200);
    await request(started.server).get('/api/data-mesh/access-requests?view=entity').set('Authorization', ALICE).expect(400);
    const perEntity = await request(started.server).get(`/api/data-mesh/access-requests?view=entity&entityRef=${PRODUCT}`).set('Authorization', ALICE);
    expect(perEntity.body.items.map((r: any) => r.id)).toContain(productRequestId);
  });

  it('refuses approval by the requester (not a reviewer) and by a denied user, changing nothing', async () => {
    const before = await counts();
    for (const auth of [BOB, EVE, CAROL]) {
      const res = await request(started.server)
        .post(`/api/data-mesh/access-requests/${productRequestId}/approve`)
        .set('Authorization', auth)
        .send({});
      expect(res.status).toBe(403);
    }
    await request(started.server)
      .post(`/api/data-mesh/access-requests/${productRequestId}/approve`)
      .set('Authorization', ALICE)
      .send({ durationDays: 31 })
      .expect(400);
    await request(started.server)
      .post(`/api/data-mesh/access-requests/${productRequestId}/reject`)
      .set('Authorization', ALICE)
      .send({})
      .expect(400);
    await request(started.server)
      .post(`/api/data-mesh/access-requests/${productRequestId}/withdraw`)
      .set('Authorization', ALICE)
      .send({})
      .expect(403);
    await request(started.server)
      .post('/api/data-mesh/access-requests/not-a-uuid/approve')
      .set('Authorization', ALICE)
      .send({})
      .expect(400);
    await request(started.server)
      .post('/api/data-mesh/access-requests/00000000-0000-4000-8000-000000000000/approve')
      .set('Authorization', ALICE)
      .send({})
      .expect(404);
    expect(await counts()).toEqual(before);
    expect((await knex('access_requests').where({ id: productRequestId }).first()).status).toBe('pending');
    expect(await grantsOfTeam()).toEqual({});
  });

  it('approves (shorter), grants exactly SELECT and DESCRIBE on the product tables, and verifies it in Lake Formation', async () => {
    const res = await request(started.server)
      .post(`/api/data-mesh/access-requests/${productRequestId}/approve`)
      .set('Authorization', ALICE)
      .send({ durationDays: 7, comment: 'For the autumn campaign only' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', reviewerRef: 'user:default/alice', grantedDurationDays: 7 });
    const days = (new Date(res.body.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect(await grantsOfTeam()).toEqual(
      Object.fromEntries(fixture.tables.map(t => [`${fixture.database}.${t}`, ['DESCRIBE', 'SELECT']])),
    );
    const verified = await request(started.server).get(`/api/data-mesh/access-requests/${productRequestId}/grant`).set('Authorization', BOB);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ granted: true, principal: fixture.teamRoleArn, mode: 'lakeformation' });
    expect(verified.body.tables).toHaveLength(fixture.tables.length);

    const twice = await request(started.server)
      .post(`/api/data-mesh/access-requests/${productRequestId}/approve`)
      .set('Authorization', DAN)
      .send({});
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/active/);
  });

  it('rejects with a reason, and a rejected request cannot be approved', async () => {
    const created = await createRequest(BOB, valid({ entityRef: LINEITEM }));
    expect(created.status).toBe(201);
    const rejected = await request(started.server)
      .post(`/api/data-mesh/access-requests/${created.body.id}/reject`)
      .set('Authorization', DAN)
      .send({ reason: 'Use the product request instead' });
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionReason: 'Use the product request instead', reviewerRef: 'user:default/dan' });
    const before = await grantsOfTeam();
    const approve = await request(started.server)
      .post(`/api/data-mesh/access-requests/${created.body.id}/approve`)
      .set('Authorization', ALICE)
      .send({});
    expect(approve.status).toBe(409);
    expect(await grantsOfTeam()).toEqual(before);
    expect(started.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({ recipients: expect.objectContaining({ entityRef: ['user:default/bob'] }) }),
    );
  });

  it('keeps a table another active request still needs when revoking, and removes exactly the rest', async () => {
    const created = await createRequest(BOB, valid({ entityRef: ORDERS }));
    await request(started.server).post(`/api/data-mesh/access-requests/${created.body.id}/approve`).set('Authorization', ALICE).send({}).expect(200);
    const revoked = await request(started.server)
      .post(`/api/data-mesh/access-requests/${created.body.id}/revoke`)
      .set('Authorization', ALICE)
      .send({ reason: 'Covered by the product grant' });
    expect(revoked.body.status).toBe('revoked');
    // The product request still grants orders.
    expect(await grantsOfTeam()).toEqual(
      Object.fromEntries(fixture.tables.map(t => [`${fixture.database}.${t}`, ['DESCRIBE', 'SELECT']])),
    );
  });

  it('revokes: the grant is gone from Lake Formation and the request says so', async () => {
    await request(started.server).post(`/api/data-mesh/access-requests/${productRequestId}/revoke`).set('Authorization', EVE).send({}).expect(403);
    await request(started.server).post(`/api/data-mesh/access-requests/${productRequestId}/revoke`).set('Authorization', BOB).send({}).expect(403);
    const res = await request(started.server)
      .post(`/api/data-mesh/access-requests/${productRequestId}/revoke`)
      .set('Authorization', ALICE)
      .send({ reason: 'Campaign over' });
    expect({ status: res.body.status, failureReason: res.body.failureReason }).toEqual({ status: 'revoked', failureReason: undefined });
    expect(await grantsOfTeam()).toEqual({});
    const verified = await request(started.server).get(`/api/data-mesh/access-requests/${productRequestId}/grant`).set('Authorization', BOB);
    expect(verified.body.granted).toBe(false);
    await request(started.server).post(`/api/data-mesh/access-requests/${productRequestId}/revoke`).set('Authorization', ALICE).send({}).expect(409);
  });

  it('lets exactly one of two reviewers approving at the same moment grant', async () => {
    const created = await createRequest(BOB, valid());
    const [a, b] = await Promise.all([
      request(started.server).post(`/api/data-mesh/access-requests/${created.body.id}/approve`).set('Authorization', ALICE).send({}),
      request(started.server).post(`/api/data-mesh/access-requests/${created.body.id}/approve`).set('Authorization', DAN).send({}),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const events = await knex('access_request_events').where({ request_id: created.body.id, action: 'granted' });
    expect(events).toHaveLength(1);
    expect(await grantsOfTeam()).toEqual(
      Object.fromEntries(fixture.tables.map(t => [`${fixture.database}.${t}`, ['DESCRIBE', 'SELECT']])),
    );
    productRequestId = created.body.id;
  });

  it('expires: the expiry job revokes grants past their end', async () => {
    await knex('access_requests')
      .where({ id: productRequestId })
      .update({ expires_at: new Date(Date.now() - 60_000).toISOString() });
    await started.scheduler.trigger('data-mesh-access-expiry');
    const res = await request(started.server).get(`/api/data-mesh/access-requests/${productRequestId}`).set('Authorization', BOB);
    expect(res.body.status).toBe('expired');
    expect(await grantsOfTeam()).toEqual({});
  });

  it('records a failed grant clearly when the team role does not exist in IAM', async () => {
    const created = await createRequest(FRANK, valid({ teamRef: 'group:default/ghost-team' }));
    expect(created.status).toBe(201);
    const res = await request(started.server).post(`/api/data-mesh/access-requests/${created.body.id}/approve`).set('Authorization', ALICE).send({});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('failed');
    expect(res.body.failureReason).toMatch(/does-not-exist.*does not exist.*Nothing was granted/);
    expect(await grantsOfTeam('arn:aws:iam::123456789012:role/does-not-exist')).toEqual({});
  });

  it('auto-approves requests matching the auto-approve rules', async () => {
    const res = await createRequest(BOB, valid({ entityRef: PUBLIC, accessLevel: 'describe' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'active', reviewerRef: 'system:data-mesh/auto-approve' });
    expect(await grantsOfTeam()).toEqual({ [`${fixture.database}.${fixture.publicDataset!.table}`]: ['DESCRIBE'] });
    await request(started.server).post(`/api/data-mesh/access-requests/${res.body.id}/revoke`).set('Authorization', ALICE).send({}).expect(200);
    expect(await grantsOfTeam()).toEqual({});
  });

  it('keeps an audit trail per data product', async () => {
    await request(started.server).get(`/api/data-mesh/audit-events?entityRef=${PRODUCT}`).set('Authorization', CAROL).expect(403);
    const res = await request(started.server).get(`/api/data-mesh/audit-events?entityRef=${PRODUCT}&limit=500`).set('Authorization', ALICE);
    expect(res.status).toBe(200);
    const actions = res.body.items.map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['created', 'approved', 'granted', 'rejected', 'revoked', 'expired', 'withdrawn']));
    expect(res.body.items.every((e: any) => e.productRef === PRODUCT || e.entityRef === PRODUCT)).toBe(true);
  });
});
