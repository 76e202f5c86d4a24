import { registerMswTestHooks } from '@backstage/test-utils';
import { AccessRequest } from '@data-mesh-portal/plugin-data-mesh-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AccessRequestsClient, DataMeshApiError } from './AccessRequestsClient';

const baseUrl = 'http://backstage.test/api/data-mesh';
const server = setupServer();
registerMswTestHooks(server);

const request: AccessRequest = {
  id: '3f1c1c7e-8d0e-4a57-9c35-4b0f5e9b7a11',
  entityRef: 'system:default/store-sales',
  targetKind: 'data-product',
  requesterRef: 'user:default/bob',
  teamRef: 'group:default/marketing-analytics',
  purpose: 'Campaign attribution for Q3',
  accessLevel: 'read',
  requestedDurationDays: 30,
  status: 'pending',
  grantMode: 'lakeformation',
  source: 'backstage',
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
};

function client() {
  return new AccessRequestsClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
}

describe('AccessRequestsClient', () => {
  it('lists with the view, entity, statuses and paging as query parameters', async () => {
    let seen: URL | undefined;
    server.use(
      http.get(`${baseUrl}/access-requests`, ({ request: req }) => {
        seen = new URL(req.url);
        return HttpResponse.json({
          items: [request],
          totalCount: 1,
          limit: 20,
          offset: 0,
        });
      }),
    );
    const list = await client().listAccessRequests({
      view: 'entity',
      entityRef: 'system:default/store-sales',
      status: ['pending', 'active'],
      limit: 20,
      offset: 0,
    });
    expect(list.items).toEqual([request]);
    expect(seen?.searchParams.get('view')).toBe('entity');
    expect(seen?.searchParams.get('entityRef')).toBe(
      'system:default/store-sales',
    );
    expect(seen?.searchParams.getAll('status')).toEqual(['pending', 'active']);
    expect(seen?.searchParams.get('limit')).toBe('20');
    expect(seen?.searchParams.get('offset')).toBe('0');
  });

  it('creates with a JSON body that carries no identity', async () => {
    let body: unknown;
    let contentType: string | null = null;
    server.use(
      http.post(`${baseUrl}/access-requests`, async ({ request: req }) => {
        body = await req.json();
        contentType = req.headers.get('content-type');
        return HttpResponse.json(request, { status: 201 });
      }),
    );
    const created = await client().createAccessRequest({
      entityRef: 'system:default/store-sales',
      teamRef: 'group:default/marketing-analytics',
      purpose: 'Campaign attribution for Q3',
      accessLevel: 'read',
      durationDays: 30,
    });
    expect(created.id).toBe(request.id);
    expect(contentType).toBe('application/json');
    expect(body).toEqual({
      entityRef: 'system:default/store-sales',
      teamRef: 'group:default/marketing-analytics',
      purpose: 'Campaign attribution for Q3',
      accessLevel: 'read',
      durationDays: 30,
    });
  });

  it.each([
    ['approveAccessRequest', 'approve', { durationDays: 7 }],
    ['rejectAccessRequest', 'reject', { reason: 'Not for marketing' }],
    ['withdrawAccessRequest', 'withdraw', {}],
    ['revokeAccessRequest', 'revoke', { reason: 'Campaign over' }],
  ] as const)('%s posts to /%s with its body', async (method, verb, sent) => {
    let body: unknown;
    server.use(
      http.post(
        `${baseUrl}/access-requests/${request.id}/${verb}`,
        async ({ request: req }) => {
          body = await req.json();
          return HttpResponse.json({ ...request, status: 'active' });
        },
      ),
    );
    const result = await (
      client()[method] as (id: string, b: object) => Promise<AccessRequest>
    )(request.id, sent);
    expect(result.status).toBe('active');
    expect(body).toEqual(sent);
  });

  it('reads the grant verification and the events', async () => {
    server.use(
      http.get(`${baseUrl}/access-requests/${request.id}/grant`, () =>
        HttpResponse.json({
          requestId: request.id,
          mode: 'lakeformation',
          granted: true,
          checkedAt: 'now',
          tables: [],
        }),
      ),
      http.get(`${baseUrl}/access-requests/${request.id}/events`, () =>
        HttpResponse.json({ items: [{ id: 1, action: 'created' }] }),
      ),
    );
    expect((await client().verifyGrant(request.id)).granted).toBe(true);
    expect(await client().getAccessRequestEvents(request.id)).toEqual([
      { id: 1, action: 'created' },
    ]);
  });

  it("surfaces the backend's error message, status and error name", async () => {
    server.use(
      http.post(`${baseUrl}/access-requests`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message:
                'group:default/marketing-analytics already has a pending request (x) for system:default/store-sales',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client()
      .createAccessRequest({
        entityRef: 'system:default/a',
        teamRef: 'group:default/b',
        purpose: 'long enough purpose',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(DataMeshApiError);
    expect(error.message).toBe(
      'group:default/marketing-analytics already has a pending request (x) for system:default/store-sales',
    );
    expect(error.statusCode).toBe(409);
    expect(error.errorName).toBe('ConflictError');
  });

  it('says the status when the body is not a Backstage error', async () => {
    server.use(
      http.get(
        `${baseUrl}/access-requests`,
        () =>
          new HttpResponse('<html>Bad gateway</html>', {
            status: 502,
            statusText: 'Bad Gateway',
          }),
      ),
    );
    await expect(client().listAccessRequests()).rejects.toThrow(
      'Request failed with 502 Bad Gateway',
    );
  });
});
