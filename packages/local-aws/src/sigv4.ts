import type { IncomingHttpHeaders } from 'node:http';

export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL =
  /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

/**
 * Reads the credential scope of a SigV4 request: from the `Authorization` header, or
 * from `X-Amz-Credential` of a presigned URL. Unsigned requests (AssumeRoleWithWebIdentity,
 * anonymous S3 reads) have none.
 */
export function sigV4Scope(
  headers: IncomingHttpHeaders,
  url: string,
): SigV4Scope | undefined {
  const auth = headers.authorization;
  let m = typeof auth === 'string' ? CREDENTIAL.exec(auth) : null;
  if (!m) {
    const credential = new URL(url, 'http://localhost').searchParams.get(
      'X-Amz-Credential',
    );
    if (credential) m = CREDENTIAL.exec(`Credential=${credential}`);
  }
  if (!m) return undefined;
  return { accessKeyId: m[1], date: m[2], region: m[3], service: m[4] };
}
