import { createTestDatabases } from '@data-mesh-portal/test-utils';
import { DatabaseAccessRequestStore } from './DatabaseAccessRequestStore';
import { NewAccessRequest } from './AccessRequestStore';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const sample = (overrides: Partial<NewAccessRequest> = {}): NewAccessRequest => ({
  entityRef: 'system:default/order-history',
  entityTitle: 'Order history',
  targetKind: 'data-product',
  productRef: 'system:default/order-history',
  ownerRefs: ['group:default/sales-domain'],
  approverRefs: ['group:default/sales-stewards'],
  requesterRef: 'user:default/bob',
  teamRef: 'group:default/marketing-analytics',
  purpose: 'Campaign attribution for Q3',
  accessLevel: 'read',
  requestedDurationDays: 30,
  grantMode: 'lakeformation',
  source: 'backstage',
  ...overrides,
});

const created = { action: 'created', actorRef: 'user:default/bob' };

describe.each(databases.eachSupportedId())('DatabaseAccessRequestStore on %p', databaseId => {
  let store: DatabaseAccessRequestStore;
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    store = await DatabaseAccessRequestStore.fromKnex(knex);
  });

  it('creates, reads and lists requests with their reviewer groups and audit event', async () => {
    const request = await store.create(sample(), created);
    expect(request).toMatchObject({
      status: 'pending',
      requesterRef: 'user:default/bob',
      ownerRefs: ['group:default/sales-domain'],
      approverRefs: ['group:default/sales-stewards'],
      requestedDurationDays: 30,
    });
    expect(new Date(request.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await store.get(request.id)).toEqual(request);

    const mine = await store.list({
      filter: { field: 'requesterRef', values: ['user:default/bob'] },
      limit: 10,
      offset: 0,
    });
    expect(mine.items.map(r => r.id)).toContain(request.id);

    const events = await store.listEvents({ requestId: request.id, limit: 10, offset: 0 });
    expect(events.items).toEqual([
      expect.objectContaining({ action: 'created', toStatus: 'pending', productRef: 'system:default/order-history' }),
    ]);
  });

  it('filters by reviewer group, by combinations and returns nothing for none', async () => {
    const a = await store.create(sample({ entityRef: 'api:default/a', ownerRefs: ['group:default/team-a'], approverRefs: [] }), created);
    const b = await store.create(sample({ entityRef: 'api:default/b', ownerRefs: ['group:default/team-b'], approverRefs: ['group:default/team-a'] }), created);
    const c = await store.create(sample({ entityRef: 'api:default/c', ownerRefs: ['group:default/team-c'], approverRefs: [] }), created);

    const ids = async (filter: any) =>
      (await store.list({ filter, limit: 100, offset: 0 })).items.map(r => r.id);

    const asTeamA = await ids({
      anyOf: [
        { reviewerGroup: 'owner', groupRefs: ['group:default/team-a'] },
        { reviewerGroup: 'approver', groupRefs: ['group:default/team-a'] },
      ],
    });
    expect(asTeamA).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(asTeamA).not.toContain(c.id);
    expect(await ids({ none: true })).toEqual([]);
    expect(
      await ids({
        allOf: [
          { reviewerGroup: 'owner', groupRefs: ['group:default/team-a', 'group:default/team-c'] },
          { not: { field: 'entityRef', values: ['api:default/a'] } },
        ],
      }),
    ).toEqual([c.id]);
  });

  it('treats SQL in free text as text', async () => {
    const purpose = "x'); DROP TABLE access_requests; -- <script>alert(1)</script>";
    const request = await store.create(sample({ purpose }), created);
    expect((await store.get(request.id))?.purpose).toBe(purpose);
    expect((await store.list({ filter: { all: true }, limit: 1, offset: 0 })).totalCount).toBeGreaterThan(0);
  });

  it('compare-and-set: of two concurrent approvals exactly one wins', async () => {
    const request = await store.create(sample(), created);
    const approve = (reviewer: string) =>
      store.transition(
        request.id,
        ['pending'],
        'approved',
        { reviewerRef: reviewer, decidedAt: new Date(), grantedDurationDays: 30 },
        { action: 'approved', actorRef: reviewer },
      );
    const results = await Promise.all([
      approve('user:default/alice'),
      approve('user:default/carol'),
      approve('user:default/dan'),
    ]);
    const winners = results.filter(r => r !== undefined);
    expect(winners).toHaveLength(1);
    const stored = await store.get(request.id);
    expect(stored?.status).toBe('approved');
    expect(stored?.reviewerRef).toBe(winners[0]!.reviewerRef);
    const events = await store.listEvents({ requestId: request.id, limit: 10, offset: 0 });
    expect(events.items.filter(e => e.action === 'approved')).toHaveLength(1);
  });

  it('refuses transitions from the wrong state and keeps the row unchanged', async () => {
    const request = await store.create(sample(), created);
    await store.transition(request.id, ['pending'], 'rejected', { reviewerRef: 'user:default/alice', decisionReason: 'no' }, { action: 'rejected', actorRef: 'user:default/alice' });
    const approved = await store.transition(request.id, ['pending'], 'approved', { reviewerRef: 'user:default/carol' }, { action: 'approved', actorRef: 'user:default/carol' });
    expect(approved).toBeUndefined();
    expect(await store.get(request.id)).toMatchObject({ status: 'rejected', reviewerRef: 'user:default/alice', decisionReason: 'no' });
    expect(await store.transition('no-such-id', ['pending'], 'approved', {}, { action: 'x', actorRef: 'y' })).toBeUndefined();
  });

  it('stores grants and finds expired ones', async () => {
    const request = await store.create(sample({ teamRef: 'group:default/expiry-team' }), created);
    await store.transition(request.id, ['pending'], 'approved', {}, { action: 'approved', actorRef: 'u' });
    const grant = {
      mode: 'lakeformation' as const,
      principal: 'arn:aws:iam::123456789012:role/x',
      permissions: ['SELECT', 'DESCRIBE'],
      tables: [{ catalogId: '222222222222', region: 'us-east-1', databaseName: 'db', tableName: 't' }],
    };
    const active = await store.transition(
      request.id,
      ['approved'],
      'active',
      { grant, expiresAt: new Date(Date.now() - 1000) },
      { action: 'granted', actorRef: 'u' },
    );
    expect(active?.grant).toEqual(grant);
    const expiring = await store.listExpiring(['active'], new Date(), 100);
    expect(expiring.map(r => r.id)).toContain(request.id);
    const notYet = await store.listExpiring(['active'], new Date(Date.now() - 60_000), 100);
    expect(notYet.map(r => r.id)).not.toContain(request.id);
    expect((await store.listByTeam('group:default/expiry-team', ['active'])).map(r => r.id)).toEqual([request.id]);
  });

  it('keeps external ids unique', async () => {
    await store.create(sample({ externalId: 'sr-1', source: 'datazone' }), created);
    let error: unknown;
    try {
      await store.create(sample({ externalId: 'sr-1', source: 'datazone' }), created);
    } catch (e) {
      error = e;
    }
    const rows = await knex('access_requests').where({ external_id: 'sr-1' });
    expect({ refused: error !== undefined, rows: rows.length }).toEqual({ refused: true, rows: 1 });
    expect((await store.getByExternalId('sr-1'))?.source).toBe('datazone');
  });

  it('replaces the reviewer groups snapshot', async () => {
    const request = await store.create(sample(), created);
    await store.setReviewerGroups(request.id, ['group:default/new-owner'], []);
    expect(await store.get(request.id)).toMatchObject({ ownerRefs: ['group:default/new-owner'], approverRefs: [] });
  });
});
