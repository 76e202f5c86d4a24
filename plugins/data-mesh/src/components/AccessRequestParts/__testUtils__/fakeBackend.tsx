import { Entity } from '@backstage/catalog-model';
import {
  AlertApi,
  alertApiRef,
  configApiRef,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  AccessGrantVerification,
  AccessRequest,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { http, HttpResponse, delay } from 'msw';
import { SetupServer } from 'msw/node';
import { ReactNode } from 'react';
import {
  AccessRequestsClient,
  dataMeshAccessRequestsApiRef,
} from '../../../api/AccessRequestsClient';

export const baseUrl = 'http://backstage.test/api/data-mesh';

export const storeSales: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'store-sales', namespace: 'default', title: 'Store sales' },
  spec: { type: 'data-product', owner: 'group:default/sales-domain' },
  relations: [
    { type: 'hasPart', targetRef: 'api:default/store-sales-orders' },
    { type: 'hasPart', targetRef: 'api:default/store-sales-lineitem' },
  ],
};

export const datasets: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: 'store-sales-orders',
      namespace: 'default',
      title: 'Orders',
    },
    spec: {
      type: 'dataset',
      system: 'store-sales',
      owner: 'group:default/sales-domain',
      lifecycle: 'production',
      definition: '',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: 'store-sales-lineitem',
      namespace: 'default',
      title: 'Line items',
    },
    spec: {
      type: 'dataset',
      system: 'store-sales',
      owner: 'group:default/sales-domain',
      lifecycle: 'production',
      definition: '',
    },
  },
];

const groups: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'marketing-analytics', namespace: 'default' },
    spec: {
      type: 'team',
      profile: { displayName: 'Marketing analytics' },
      children: [],
    },
  },
];

let counter = 0;
export function accessRequest(
  overrides: Partial<AccessRequest> = {},
): AccessRequest {
  counter++;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    entityRef: 'system:default/store-sales',
    entityTitle: 'Store sales',
    targetKind: 'data-product',
    productRef: 'system:default/store-sales',
    requesterRef: 'user:default/bob',
    teamRef: 'group:default/marketing-analytics',
    purpose: 'Attribute campaign revenue to stores',
    accessLevel: 'read',
    requestedDurationDays: 30,
    status: 'pending',
    grantMode: 'lakeformation',
    source: 'backstage',
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

type Posted = { path: string; body: unknown };

/**
 * A stand-in for the data-mesh backend's access request routes (msw): lists
 * answer from `mine` / `review` (or `respond`), every POST is recorded and
 * answered by `onPost`.
 */
export class FakeBackend {
  mine: AccessRequest[] = [];
  review: AccessRequest[] = [];
  posted: Posted[] = [];
  listQueries: URLSearchParams[] = [];
  grants: Record<string, AccessGrantVerification> = {};
  /** Replaces the list answer (e.g. an error or a never-ending request). */
  respond?: (
    query: URLSearchParams,
  ) => Promise<Response | undefined> | Response | undefined;
  onPost: (path: string, body: any) => Response = (path, body) => {
    const [, id, verb] = path.match(/access-requests\/([^/]+)\/(\w+)$/) ?? [];
    if (!id) {
      return HttpResponse.json(accessRequest({ ...body, status: 'pending' }), {
        status: 201,
      });
    }
    const request = [...this.mine, ...this.review].find(r => r.id === id)!;
    const status = {
      approve: 'active',
      reject: 'rejected',
      withdraw: 'withdrawn',
      revoke: 'revoked',
    }[verb as string];
    return HttpResponse.json({ ...request, status });
  };

  constructor(server: SetupServer) {
    server.use(
      http.get(`${baseUrl}/access-requests`, async ({ request }) => {
        const query = new URL(request.url).searchParams;
        this.listQueries.push(query);
        const custom = await this.respond?.(query);
        if (custom) return custom;
        const statuses = query.getAll('status');
        const source = query.get('view') === 'review' ? this.review : this.mine;
        const entityRef = query.get('entityRef');
        const items = source.filter(
          r =>
            (statuses.length === 0 || statuses.includes(r.status)) &&
            (!entityRef ||
              r.entityRef === entityRef ||
              r.productRef === entityRef),
        );
        const limit = Number(query.get('limit') ?? 50);
        const offset = Number(query.get('offset') ?? 0);
        return HttpResponse.json({
          items: items.slice(offset, offset + limit),
          totalCount: items.length,
          limit,
          offset,
        });
      }),
      http.get(`${baseUrl}/access-requests/:id/grant`, ({ params }) => {
        const grant = this.grants[params.id as string];
        return grant
          ? HttpResponse.json(grant)
          : HttpResponse.json(
              { error: { name: 'NotFoundError', message: 'no grant' } },
              { status: 404 },
            );
      }),
      http.post(`${baseUrl}/access-requests*`, async ({ request }) => {
        const path = new URL(request.url).pathname;
        const body = await request.json();
        this.posted.push({ path, body });
        return this.onPost(path, body);
      }),
    );
  }

  static start(server: SetupServer) {
    return new FakeBackend(server);
  }

  /** An answer that never comes (the loading state). */
  static never(): Promise<undefined> {
    return delay('infinite').then(() => undefined);
  }
}

export function backendError(status: number, name: string, message: string) {
  return HttpResponse.json(
    { error: { name, message }, response: { statusCode: status } },
    { status },
  );
}

export const alerts: { message: string; severity?: string }[] = [];
const alertApi: Partial<AlertApi> = {
  post: alert => {
    alerts.push(alert);
  },
};

/** Renders `children` in a test app whose access requests API is the real client over msw. */
export function renderWithApis(
  children: ReactNode,
  options: {
    ownership?: string[];
    config?: NonNullable<Parameters<typeof mockApis.config>[0]>['data'];
  } = {},
) {
  alerts.length = 0;
  const client = new AccessRequestsClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [dataMeshAccessRequestsApiRef, client],
        [
          catalogApiRef,
          catalogApiMock({ entities: [storeSales, ...datasets, ...groups] }),
        ],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/bob',
            ownershipEntityRefs: options.ownership ?? [
              'user:default/bob',
              'group:default/marketing-analytics',
            ],
          }),
        ],
        [
          configApiRef,
          mockApis.config({
            data: options.config ?? {
              dataMesh: {
                accessRequests: {
                  maxDurationDays: 180,
                  defaultDurationDays: 30,
                },
              },
            },
          }),
        ],
        [alertApiRef, alertApi],
        [discoveryApiRef, mockApis.discovery()],
        [fetchApiRef, { fetch }],
      ]}
    >
      {children}
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
