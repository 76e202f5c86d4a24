import { parseEntityRef } from '@backstage/catalog-model';
import {
  AccessLevel,
  AccessRequest,
  AccessRequestStatus,
} from '@data-mesh-portal/plugin-data-mesh-common';

/** Status names people read (the chip also carries the colour). */
export const STATUS_LABEL: Record<AccessRequestStatus, string> = {
  pending: 'Pending review',
  approved: 'Approved, granting',
  active: 'Active',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  revoked: 'Revoked',
  expired: 'Expired',
  failed: 'Failed',
};

/** Dark enough for white text (contrast ≥ 4.5:1). */
export const STATUS_COLOR: Record<AccessRequestStatus, string> = {
  pending: '#a15c00',
  approved: '#1565c0',
  active: '#2e7d32',
  rejected: '#c62828',
  withdrawn: '#616161',
  revoked: '#5d4037',
  expired: '#616161',
  failed: '#c62828',
};

export const ACCESS_LEVEL_LABEL: Record<AccessLevel, string> = {
  read: 'Read (query the data)',
  describe: 'Describe (table metadata only)',
};

/** Statuses the requester waits on; the card polls while one is shown. */
export const IN_FLIGHT: AccessRequestStatus[] = ['pending', 'approved'];

export function isInFlight(request: AccessRequest): boolean {
  return IN_FLIGHT.includes(request.status);
}

export function sameRef(a?: string, b?: string): boolean {
  return (
    !!a && !!b && a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US')
  );
}

/** `group:default/marketing-analytics` → `marketing-analytics`, for refs with no title at hand. */
export function shortRef(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** Whether a ref points into the catalog (DataZone-imported requesters do not). */
export function isCatalogRef(ref: string): boolean {
  return /^(user|group|system|api|component|resource|domain):/i.test(ref);
}

export function formatDate(iso?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

export function formatDateTime(iso?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return `${formatDate(iso)}, ${date.toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  })}`;
}

/** "in 3 days", "today", "2 days ago". */
export function relativeDays(iso?: string, now = Date.now()): string {
  if (!iso) return '';
  const diff = Math.round((new Date(iso).getTime() - now) / 86_400_000);
  if (Number.isNaN(diff)) return '';
  if (diff === 0) return 'today';
  if (diff > 0) return `in ${days(diff)}`;
  return `${days(-diff)} ago`;
}

export function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** "30 days" or "14 days (30 requested)". */
export function durationText(request: AccessRequest): string {
  const granted = request.grantedDurationDays;
  if (granted !== undefined && granted !== request.requestedDurationDays) {
    return `${days(granted)} (${request.requestedDurationDays} requested)`;
  }
  return days(granted ?? request.requestedDurationDays);
}

/** Turns a zod issue list into "Field message" per field, e.g. "Purpose is required". */
export function fieldErrors(
  issues: Array<{ path: (string | number)[]; message: string }>,
  labels: Record<string, string>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (errors[field]) continue;
    const label = labels[field];
    errors[field] = label ? `${label} ${issue.message}` : issue.message;
  }
  return errors;
}
