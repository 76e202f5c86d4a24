import {
  AccessGrantMode,
  AccessGrantVerification,
  AccessLevel,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { GrantRecord } from '../database/AccessRequestStore';
import { AccessTarget, AccessTeam } from '../service/entities';

/** What a grant is asked to do. */
export interface GrantInput {
  requestId: string;
  target: AccessTarget;
  team: AccessTeam;
  accessLevel: AccessLevel;
  purpose: string;
  comment?: string;
  /** DataZone subscription request already made (imported from the DataZone portal). */
  subscriptionRequestId?: string;
  /** Called once a DataZone subscription request exists (before it is accepted). */
  onSubscriptionRequest?: (subscriptionRequestId: string) => Promise<void>;
}

/**
 * A failed grant. `partial` says what exists in AWS after the failure (after
 * rolling back what could be rolled back), for the request's failure reason.
 */
export class GrantError extends Error {
  constructor(
    message: string,
    readonly partial: GrantRecord | undefined,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'GrantError';
  }
}

/**
 * Makes, verifies and removes grants in AWS. One implementation per mode.
 * Every method is safe to call again after a failure.
 */
export interface GrantProvider {
  readonly mode: AccessGrantMode;
  /** Checks what would be needed (principal, tables, listing) without touching AWS state. */
  check(input: Omit<GrantInput, 'requestId' | 'purpose'>): Promise<void>;
  grant(input: GrantInput): Promise<GrantRecord>;
  /**
   * Removes exactly what `grant` recorded. `keep` lists tables another active
   * request of the same principal still needs (left in place).
   */
  revoke(grant: GrantRecord, options?: { keep?: GrantRecord[] }): Promise<void>;
  verify(requestId: string, grant: GrantRecord): Promise<AccessGrantVerification>;
}
