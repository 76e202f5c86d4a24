import {
  AcceptSubscriptionRequestCommand,
  CreateSubscriptionRequestCommand,
  DataZoneClient,
  GetSubscriptionCommand,
  GetSubscriptionRequestDetailsCommand,
  ListSubscriptionGrantsCommand,
  ListSubscriptionRequestsCommand,
  ListSubscriptionsCommand,
  RejectSubscriptionRequestCommand,
  RevokeSubscriptionCommand,
  SubscriptionGrantSummary,
  SubscriptionRequestSummary,
} from '@aws-sdk/client-datazone';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { AccessGrantVerification } from '@data-mesh-portal/plugin-data-mesh-common';
import { AwsClientFactory, mapAwsError } from '@data-mesh-portal/plugin-data-mesh-node';
import { GrantRecord } from '../database/AccessRequestStore';
import { permissionsFor } from './LakeFormationGrantProvider';
import { GrantError, GrantInput, GrantProvider } from './types';

/** A pending subscription request read from DataZone (for import). */
export interface PendingSubscriptionRequest {
  id: string;
  domainId: string;
  listingId?: string;
  projectId?: string;
  createdBy: string;
  reason: string;
  createdAt?: Date;
}

const GRANT_OK = new Set(['COMPLETED']);
const ASSET_OK = new Set(['GRANTED']);

/**
 * DataZone mode: one subscription request (one listing, one principal = the
 * consuming team's project), accepted as the backend's role; DataZone then
 * grants in Lake Formation to the project's environment role. Grant state is
 * read from ListSubscriptionGrants; revoking revokes the subscription.
 */
export class DataZoneGrantProvider implements GrantProvider {
  readonly mode = 'datazone' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly logger: LoggerService,
    private readonly options: { region: string; accountId?: string },
  ) {}

  async check(input: Omit<GrantInput, 'requestId' | 'purpose'>): Promise<void> {
    if (!input.target.domainId || !input.target.listingId) {
      throw new InputError(
        `${input.target.entityRef} has no published DataZone listing (annotations data-mesh-portal.io/datazone-domain-id and datazone-listing-id)`,
      );
    }
    if (!input.team.dataZoneProjectId && !input.subscriptionRequestId) {
      throw new InputError(
        `${input.team.teamRef} is not a DataZone project (annotation data-mesh-portal.io/datazone-project-id on the Group)`,
      );
    }
  }

  async grant(input: GrantInput): Promise<GrantRecord> {
    await this.check(input);
    const domainId = input.target.domainId!;
    const dz = await this.client();
    const record: GrantRecord = {
      mode: 'datazone',
      principal: input.team.dataZoneProjectId ?? '',
      permissions: permissionsFor(input.accessLevel),
      tables: input.target.tables,
      domainId,
      region: this.options.region,
      listingId: input.target.listingId,
      subscriptionRequestId: input.subscriptionRequestId,
    };
    try {
      if (!record.subscriptionRequestId) {
        const created = await dz.send(
          new CreateSubscriptionRequestCommand({
            domainIdentifier: domainId,
            subscribedPrincipals: [{ project: { identifier: input.team.dataZoneProjectId! } }],
            subscribedListings: [{ identifier: input.target.listingId! }],
            requestReason: input.purpose,
            // The request id makes retries of the same approval idempotent.
            clientToken: input.requestId,
          }),
        );
        record.subscriptionRequestId = created.id;
        // Recorded before accepting, so the reconciliation job never imports
        // our own request as one made in the DataZone portal.
        await input.onSubscriptionRequest?.(created.id!);
      }
      try {
        await dz.send(
          new AcceptSubscriptionRequestCommand({
            domainIdentifier: domainId,
            identifier: record.subscriptionRequestId!,
            decisionComment: input.comment,
          }),
        );
      } catch (error) {
        // Accepted already (a retry, or someone accepted it in the DataZone
        // portal in the meantime): the subscription stands, go on with it.
        const details = await this.subscriptionRequest(domainId, record.subscriptionRequestId!).catch(() => undefined);
        if (details?.status !== 'ACCEPTED') throw error;
      }
      record.subscriptionId = await this.subscriptionOf(domainId, record.subscriptionRequestId!);
      return record;
    } catch (error) {
      const mapped = mapAwsError(error, {
        operation: 'DataZone subscription',
        resource: `listing ${input.target.listingId} in ${domainId}`,
      });
      throw new GrantError(
        mapped.message,
        record.subscriptionRequestId ? record : undefined,
        mapped,
      );
    }
  }

  async revoke(grant: GrantRecord): Promise<void> {
    if (!grant.domainId) return;
    const dz = await this.client();
    const subscriptionId =
      grant.subscriptionId ??
      (grant.subscriptionRequestId
        ? await this.findSubscription(grant.domainId, grant.subscriptionRequestId)
        : undefined);
    if (!subscriptionId) {
      // Created but never accepted (the grant failed in between): leave no
      // pending request behind in DataZone.
      if (grant.subscriptionRequestId) {
        const details = await this.subscriptionRequest(grant.domainId, grant.subscriptionRequestId);
        if (details.status === 'PENDING') {
          await this.reject(grant.domainId, grant.subscriptionRequestId, 'The access request was revoked in Backstage');
        }
      }
      return;
    }
    try {
      const current = await dz.send(
        new GetSubscriptionCommand({ domainIdentifier: grant.domainId, identifier: subscriptionId }),
      );
      if (current.status !== 'APPROVED') return; // already revoked or cancelled
      await dz.send(
        new RevokeSubscriptionCommand({
          domainIdentifier: grant.domainId,
          identifier: subscriptionId,
          retainPermissions: false,
        }),
      );
    } catch (error) {
      throw mapAwsError(error, {
        operation: 'DataZone RevokeSubscription',
        resource: `subscription ${subscriptionId} in ${grant.domainId}`,
      });
    }
  }

  async verify(requestId: string, grant: GrantRecord): Promise<AccessGrantVerification> {
    const base = {
      requestId,
      mode: 'datazone' as const,
      checkedAt: new Date().toISOString(),
      principal: grant.principal,
      tables: grant.tables.map(t => ({ ...t, permissions: [] as string[] })),
    };
    if (!grant.domainId || !grant.subscriptionId) {
      return { ...base, granted: false, detail: 'No DataZone subscription recorded' };
    }
    const status = await this.subscriptionStatus(grant.domainId, grant.subscriptionId);
    const grants = await this.grantsOf(grant.domainId, grant.subscriptionId);
    const statuses = grants.map(g => g.status ?? 'UNKNOWN');
    const granted =
      status === 'APPROVED' &&
      grants.length > 0 &&
      grants.every(
        g => GRANT_OK.has(g.status ?? '') && (g.assets ?? []).every(a => ASSET_OK.has(a.status ?? '')),
      );
    return {
      ...base,
      granted,
      tables: base.tables.map(t => ({ ...t, permissions: granted ? grant.permissions : [] })),
      subscriptionGrantStatuses: statuses,
      detail: `Subscription ${grant.subscriptionId} is ${status ?? 'unknown'}; grants: ${statuses.join(', ') || 'none'}`,
    };
  }

  /** The subscription's status in DataZone (APPROVED, REVOKED, CANCELLED), or undefined if gone. */
  async subscriptionStatus(domainId: string, subscriptionId: string): Promise<string | undefined> {
    const dz = await this.client();
    try {
      const got = await dz.send(new GetSubscriptionCommand({ domainIdentifier: domainId, identifier: subscriptionId }));
      return got.status;
    } catch (error) {
      const mapped = mapAwsError(error, { operation: 'DataZone GetSubscription', resource: subscriptionId });
      if (mapped instanceof NotFoundError) return undefined;
      throw mapped;
    }
  }

  /** A subscription request's status (PENDING, ACCEPTED, REJECTED) and decision. */
  async subscriptionRequest(domainId: string, id: string) {
    const dz = await this.client();
    try {
      return await dz.send(new GetSubscriptionRequestDetailsCommand({ domainIdentifier: domainId, identifier: id }));
    } catch (error) {
      throw mapAwsError(error, { operation: 'DataZone GetSubscriptionRequestDetails', resource: id });
    }
  }

  async reject(domainId: string, subscriptionRequestId: string, comment: string): Promise<void> {
    const dz = await this.client();
    try {
      await dz.send(
        new RejectSubscriptionRequestCommand({
          domainIdentifier: domainId,
          identifier: subscriptionRequestId,
          decisionComment: comment,
        }),
      );
    } catch (error) {
      throw mapAwsError(error, { operation: 'DataZone RejectSubscriptionRequest', resource: subscriptionRequestId });
    }
  }

  /** Every PENDING subscription request in the domain (ListSubscriptionRequests returns only those by default). */
  async listPending(domainId: string): Promise<PendingSubscriptionRequest[]> {
    const dz = await this.client();
    const out: PendingSubscriptionRequest[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await dz.send(
          new ListSubscriptionRequestsCommand({
            domainIdentifier: domainId,
            status: 'PENDING',
            maxResults: 50,
            nextToken,
          }),
        );
        out.push(...(page.items ?? []).map(item => toPending(domainId, item)));
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (error) {
      throw mapAwsError(error, { operation: 'DataZone ListSubscriptionRequests', resource: domainId });
    }
    return out;
  }

  private async grantsOf(domainId: string, subscriptionId: string): Promise<SubscriptionGrantSummary[]> {
    const dz = await this.client();
    const out: SubscriptionGrantSummary[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await dz.send(
          new ListSubscriptionGrantsCommand({ domainIdentifier: domainId, subscriptionId, maxResults: 50, nextToken }),
        );
        out.push(...(page.items ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (error) {
      throw mapAwsError(error, { operation: 'DataZone ListSubscriptionGrants', resource: subscriptionId });
    }
    return out;
  }

  /** The APPROVED subscription a subscription request led to, if any. */
  async findSubscription(domainId: string, subscriptionRequestId: string): Promise<string | undefined> {
    const dz = await this.client();
    try {
      const page = await dz.send(
        new ListSubscriptionsCommand({
          domainIdentifier: domainId,
          subscriptionRequestIdentifier: subscriptionRequestId,
          status: 'APPROVED',
          maxResults: 50,
        }),
      );
      return page.items?.[0]?.id;
    } catch (error) {
      throw mapAwsError(error, { operation: 'DataZone ListSubscriptions', resource: subscriptionRequestId });
    }
  }

  private async subscriptionOf(domainId: string, subscriptionRequestId: string): Promise<string> {
    const id = await this.findSubscription(domainId, subscriptionRequestId);
    if (!id) {
      this.logger.warn(`DataZone accepted subscription request ${subscriptionRequestId} but lists no subscription for it`);
      throw new GrantError(
        `DataZone accepted subscription request ${subscriptionRequestId} but shows no approved subscription`,
        undefined,
      );
    }
    return id;
  }

  private client(): Promise<DataZoneClient> {
    return this.clients.getClient(DataZoneClient, {
      region: this.options.region,
      accountId: this.options.accountId,
    });
  }
}

function toPending(domainId: string, item: SubscriptionRequestSummary): PendingSubscriptionRequest {
  return {
    id: item.id!,
    domainId,
    listingId: item.subscribedListings?.[0]?.id,
    projectId: item.subscribedPrincipals?.[0]?.project?.id,
    createdBy: item.createdBy ?? 'unknown',
    reason: item.requestReason ?? '',
    createdAt: item.createdAt,
  };
}
