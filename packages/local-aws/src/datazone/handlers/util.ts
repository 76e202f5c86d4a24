import { validation } from '../errors';
import type { RequestContext } from '../context';
import type { DataZoneStore } from '../store';
import type { UserProfileRecord } from '../state';
import type { Form } from '../state';

export const date = (ms: number | undefined) =>
  ms === undefined ? undefined : new Date(ms);

export const formsOutput = (forms: Form[]) =>
  forms.map(f => ({
    formName: f.formName,
    typeName: f.typeName,
    typeRevision: f.typeRevision,
    content: f.content,
  }));

/** Listing `forms`: one JSON object keyed by form name, itself sent as a JSON string. */
export const listingForms = (forms: Form[]) =>
  JSON.stringify(
    Object.fromEntries(forms.map(f => [f.formName, JSON.parse(f.content)])),
  );

export function parseFormContent(
  formName: string,
  content: string | undefined,
): string {
  if (content === undefined) return '{}';
  try {
    const parsed = JSON.parse(content);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error();
  } catch {
    throw validation(
      `Form ${formName}: content must be a JSON object encoded as a string.`,
    );
  }
  return content;
}

/**
 * DataZone creates an IAM user profile for a principal the first time it acts in a
 * domain; `createdBy` and project ownership then point at that profile.
 */
export function ensureCallerProfile(
  store: DataZoneStore,
  domainId: string,
  ctx: RequestContext,
): UserProfileRecord {
  const existing = store.callerProfile(domainId, ctx.caller);
  if (existing) return existing;
  const seq = store.nextSeq();
  const profile: UserProfileRecord = {
    seq,
    id: store.newId('user', seq),
    domainId,
    type: 'IAM',
    key: ctx.caller.arn.toLowerCase(),
    status: 'ACTIVATED',
    iam: { arn: ctx.caller.arn, principalId: principalIdOf(ctx.caller.arn) },
  };
  store.state.userProfiles[profile.id] = profile;
  return profile;
}

/** A stable, AWS-looking unique id for a principal (`AROA…`/`AIDA…`). */
export function principalIdOf(arn: string): string {
  const prefix = /:role\/|:assumed-role\//.test(arn) ? 'AROA' : 'AIDA';
  let h = 0;
  for (const c of arn) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return `${prefix}${h.toString(36).toUpperCase().padStart(8, '0')}LOCAL`;
}

export const latest = <T>(list: T[]): T => list[list.length - 1];
