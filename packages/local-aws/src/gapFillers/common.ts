import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Caller } from '../datazone/context';
import { localClientConfig } from '../seed/clients';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** A response of any type, as is. */
export function sendRaw(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(body);
}

/** An error the way restJson1 and awsJson1_1 clients read it: header, `__type` and message. */
export function sendError(
  res: ServerResponse,
  status: number,
  name: string,
  message: string,
) {
  sendJson(
    res,
    status,
    { __type: name, message, Message: message },
    { 'x-amzn-errortype': name },
  );
}

/**
 * A call straight to moto as the caller's account (reads the filler needs to answer:
 * a crawler's definition, a dashboard). Writes go through the local endpoint instead,
 * so the moto journal keeps them.
 */
export async function callMoto(
  motoEndpoint: string,
  caller: Caller,
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${motoEndpoint}${request.path}`, {
    method: request.method,
    headers: {
      // moto reads the account from this header, and the service from the scope.
      'x-moto-account-id': caller.accountId,
      ...request.headers,
    },
    body: request.body,
  });
  return { status: response.status, body: await response.text() };
}

/** SDK settings to act as the caller against the local endpoint (signatures are not checked). */
export function callerClientConfig(
  endpoint: string,
  region: string,
  caller: Caller,
) {
  return localClientConfig(endpoint, region, {
    accessKeyId: caller.accessKeyId ?? 'AKIALOCALAWSTESTING',
    secretAccessKey: 'local-aws-gap-filler',
  });
}

/** A small JSON document on disk (or only in memory), written whole after each change. */
export class JsonState<T extends object> {
  readonly data: T;

  constructor(private readonly file: string | undefined, empty: () => T) {
    this.data =
      file && existsSync(file)
        ? { ...empty(), ...(JSON.parse(readFileSync(file, 'utf8')) as T) }
        : empty();
  }

  save() {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.file);
  }
}

export const signingAuthorization = (service: string, accessKeyId: string) =>
  `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
