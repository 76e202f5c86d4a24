import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { CustomErrorBase } from '@backstage/errors';
import {
  AccessGrantVerification,
  AccessRequest,
  AccessRequestAuditEvent,
  AccessRequestList,
  ApproveAccessRequestBody,
  CreateAccessRequestBody,
  ListAccessRequestsQuery,
  RejectAccessRequestBody,
  RevokeAccessRequestBody,
} from '@data-mesh-portal/plugin-data-mesh-common';

/**
 * Access requests to data products and datasets, through the data-mesh
 * backend (`/api/data-mesh/access-requests`). The caller's identity comes from
 * their Backstage sign-in, never from these arguments.
 *
 * @public
 */
export interface DataMeshAccessRequestsApi {
  /** Requests made by the caller or their teams (`mine`), to review (`review`), or on one entity (`entity`). */
  listAccessRequests(
    query?: ListAccessRequestsQuery,
  ): Promise<AccessRequestList>;
  getAccessRequest(id: string): Promise<AccessRequest>;
  createAccessRequest(body: CreateAccessRequestBody): Promise<AccessRequest>;
  approveAccessRequest(
    id: string,
    body?: ApproveAccessRequestBody,
  ): Promise<AccessRequest>;
  rejectAccessRequest(
    id: string,
    body: RejectAccessRequestBody,
  ): Promise<AccessRequest>;
  /** The requester takes back a pending request. */
  withdrawAccessRequest(
    id: string,
    body?: RevokeAccessRequestBody,
  ): Promise<AccessRequest>;
  /** A reviewer takes away an active (or failed) grant. */
  revokeAccessRequest(
    id: string,
    body?: RevokeAccessRequestBody,
  ): Promise<AccessRequest>;
  /** The request's grant as AWS shows it right now. */
  verifyGrant(id: string): Promise<AccessGrantVerification>;
  /** The audit trail of one request. */
  getAccessRequestEvents(id: string): Promise<AccessRequestAuditEvent[]>;
}

/**
 * The API ref of {@link DataMeshAccessRequestsApi}.
 *
 * @public
 */
export const dataMeshAccessRequestsApiRef =
  createApiRef<DataMeshAccessRequestsApi>({
    id: 'plugin.data-mesh.access-requests',
  });

/**
 * A failed call to the access requests API, carrying the backend's own
 * message (e.g. "Invalid access request: purpose: …" or "group:default/x
 * already has a pending request …") rather than only the HTTP status.
 *
 * @public
 */
export class DataMeshApiError extends CustomErrorBase {
  /** The HTTP status code. */
  readonly statusCode: number;
  /** The backend's error name (`InputError`, `ConflictError`, `NotAllowedError`, …), when it sent one. */
  readonly errorName?: string;

  constructor(
    message: string,
    statusCode: number,
    errorName?: string,
    cause?: unknown,
  ) {
    super(message, cause);
    this.statusCode = statusCode;
    this.errorName = errorName;
  }
}

async function errorFrom(response: Response): Promise<DataMeshApiError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // The body is unreadable; the status still says what happened.
  }
  let message: string | undefined;
  let name: string | undefined;
  try {
    const body = JSON.parse(text) as {
      error?: { name?: string; message?: string };
    };
    message = body.error?.message;
    name = body.error?.name;
  } catch {
    // Not Backstage's JSON error body (e.g. a proxy's HTML page).
  }
  const status = `${response.status}${
    response.statusText ? ` ${response.statusText}` : ''
  }`;
  return new DataMeshApiError(
    message || `Request failed with ${status}`,
    response.status,
    name,
  );
}

/**
 * {@link DataMeshAccessRequestsApi} over HTTP, through `fetchApi` (which adds
 * the user's Backstage token) and `discoveryApi`.
 *
 * @public
 */
export class AccessRequestsClient implements DataMeshAccessRequestsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async listAccessRequests(
    query: ListAccessRequestsQuery = {},
  ): Promise<AccessRequestList> {
    const params = new URLSearchParams();
    if (query.view) params.set('view', query.view);
    if (query.entityRef) params.set('entityRef', query.entityRef);
    for (const status of ([] as string[]).concat(query.status ?? [])) {
      params.append('status', status);
    }
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.offset !== undefined) params.set('offset', String(query.offset));
    const qs = params.toString();
    return this.call<AccessRequestList>(
      'GET',
      `/access-requests${qs ? `?${qs}` : ''}`,
    );
  }

  async getAccessRequest(id: string): Promise<AccessRequest> {
    return this.call('GET', `/access-requests/${encodeURIComponent(id)}`);
  }

  async createAccessRequest(
    body: CreateAccessRequestBody,
  ): Promise<AccessRequest> {
    return this.call('POST', '/access-requests', body);
  }

  async approveAccessRequest(
    id: string,
    body: ApproveAccessRequestBody = {},
  ): Promise<AccessRequest> {
    return this.action(id, 'approve', body);
  }

  async rejectAccessRequest(
    id: string,
    body: RejectAccessRequestBody,
  ): Promise<AccessRequest> {
    return this.action(id, 'reject', body);
  }

  async withdrawAccessRequest(
    id: string,
    body: RevokeAccessRequestBody = {},
  ): Promise<AccessRequest> {
    return this.action(id, 'withdraw', body);
  }

  async revokeAccessRequest(
    id: string,
    body: RevokeAccessRequestBody = {},
  ): Promise<AccessRequest> {
    return this.action(id, 'revoke', body);
  }

  async verifyGrant(id: string): Promise<AccessGrantVerification> {
    return this.call('GET', `/access-requests/${encodeURIComponent(id)}/grant`);
  }

  async getAccessRequestEvents(id: string): Promise<AccessRequestAuditEvent[]> {
    const { items } = await this.call<{ items: AccessRequestAuditEvent[] }>(
      'GET',
      `/access-requests/${encodeURIComponent(id)}/events`,
    );
    return items;
  }

  private action(id: string, verb: string, body: object) {
    return this.call<AccessRequest>(
      'POST',
      `/access-requests/${encodeURIComponent(id)}/${verb}`,
      body,
    );
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('data-mesh');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
    if (!response.ok) {
      throw await errorFrom(response);
    }
    return (await response.json()) as T;
  }
}
