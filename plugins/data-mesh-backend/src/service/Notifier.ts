import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AccessRequest } from '@data-mesh-portal/plugin-data-mesh-common';

const TOPIC = 'data-mesh-access-requests';

function describeTarget(request: AccessRequest) {
  return request.entityTitle ?? request.entityRef;
}

/**
 * Backstage notifications about access requests. Sending never fails the
 * caller: a notification that cannot be delivered is logged and dropped.
 */
export class Notifier {
  constructor(
    private readonly notifications: NotificationService | undefined,
    private readonly logger: LoggerService,
    private readonly enabled: boolean,
  ) {}

  async newRequest(request: AccessRequest, reviewerGroups: string[]) {
    await this.send(reviewerGroups, request.requesterRef, {
      title: `Access request for ${describeTarget(request)}`,
      description: `${request.requesterRef} asks for ${request.accessLevel} access for ${request.teamRef} (${request.requestedDurationDays} days): ${request.purpose.slice(0, 280)}`,
      link: `/data-mesh/access-requests?request=${encodeURIComponent(request.id)}`,
      severity: 'normal',
      topic: TOPIC,
    });
  }

  async decided(request: AccessRequest) {
    const what: Record<string, string> = {
      active: 'was approved; access is granted',
      approved: 'was approved',
      rejected: `was rejected${request.decisionReason ? `: ${request.decisionReason}` : ''}`,
      revoked: 'was revoked',
      expired: 'expired; access was removed',
      failed: `could not be fulfilled: ${request.failureReason ?? 'see the request'}`,
    };
    await this.send([request.requesterRef], undefined, {
      title: `Your access request for ${describeTarget(request)} ${what[request.status] ?? `is ${request.status}`}`,
      description: request.expiresAt ? `Access ends on ${request.expiresAt}.` : undefined,
      link: `/data-mesh/access-requests?request=${encodeURIComponent(request.id)}`,
      severity: request.status === 'failed' ? 'high' : 'normal',
      topic: TOPIC,
    });
  }

  async expiresSoon(request: AccessRequest) {
    await this.send([request.requesterRef], undefined, {
      title: `Your access to ${describeTarget(request)} ends soon`,
      description: `Access for ${request.teamRef} ends on ${request.expiresAt}. Request again to keep it.`,
      link: `/data-mesh/access-requests?request=${encodeURIComponent(request.id)}`,
      severity: 'normal',
      topic: TOPIC,
    });
  }

  private async send(
    recipients: string[],
    exclude: string | undefined,
    payload: {
      title: string;
      description?: string;
      link?: string;
      severity?: 'normal' | 'high';
      topic?: string;
    },
  ) {
    if (!this.enabled || !this.notifications || recipients.length === 0) {
      return;
    }
    try {
      await this.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: recipients,
          ...(exclude ? { excludeEntityRef: exclude } : {}),
        },
        payload,
      });
    } catch (error) {
      this.logger.warn(`Could not send notification '${payload.title}': ${error}`);
    }
  }
}
