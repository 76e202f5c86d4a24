import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Caller } from './datazone/context';
import type { DataZoneStandIn } from './datazone/server';
import type { CallerRegistry } from './callers';
import { MotoJournal } from './motoJournal';
import { sigV4Scope } from './sigv4';

/** What a gap filler sees when deciding whether a request is its own. */
export interface ClaimRequest {
  /** SigV4 signing service (`glue`, `quicksight`, …); undefined for unsigned requests. */
  service?: string;
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * Serves service+operation pairs moto lacks (issue 4: Glue crawlers that finish,
 * QuickSight data sets and embed URLs, …). The first filler that claims a request
 * answers it; everything else goes to moto untouched.
 */
export interface GapFiller {
  name: string;
  claims(request: ClaimRequest): boolean;
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    caller: Caller,
  ): Promise<void>;
}

export interface RouterOptions {
  motoEndpoint: string;
  dataZone: DataZoneStandIn;
  callers: CallerRegistry;
  journal?: MotoJournal;
  gapFillers?: GapFiller[];
  /** Handles `/_local-aws/...` (health now; admin endpoints later). */
  admin?: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
}

/**
 * The one local endpoint: dispatches each request by the service in its SigV4 credential
 * scope. DataZone goes to the stand-in, claimed operations to their gap filler, and the
 * rest (and unsigned requests such as AssumeRoleWithWebIdentity) is proxied to moto as a
 * raw stream, headers preserved.
 */
export function createRouter(options: RouterOptions) {
  const moto = new URL(options.motoEndpoint);
  const fillers = options.gapFillers ?? [];

  return async function route(req: IncomingMessage, res: ServerResponse) {
    try {
      const url = req.url ?? '/';
      if (url.startsWith('/_local-aws/') && options.admin) {
        await options.admin(req, res);
        return;
      }
      const scope = sigV4Scope(req.headers, url);
      const caller = options.callers.resolve(scope?.accessKeyId);
      if (scope?.service === 'datazone') {
        await options.dataZone.handle(req, res, caller);
        return;
      }
      const claim: ClaimRequest = {
        service: scope?.service,
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
      };
      const filler = fillers.find(f => f.claims(claim));
      if (filler) {
        await filler.handle(req, res, caller);
        return;
      }
      await proxyToMoto(
        req,
        res,
        moto,
        scope?.service,
        options.callers.knows(scope?.accessKeyId)
          ? caller.accountId
          : undefined,
        options,
      );
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
      }
      res.end(`local AWS router error: ${(error as Error).message}`);
    }
  };
}

function proxyToMoto(
  req: IncomingMessage,
  res: ServerResponse,
  moto: URL,
  service: string | undefined,
  accountId: string | undefined,
  options: RouterOptions,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = {
      ...req.headers,
      host: moto.host,
    };
    if (accountId) headers['x-moto-account-id'] = accountId;
    const journal = options.journal;
    // Decide up front whether the body must be kept for the journal.
    const candidate =
      !!journal &&
      req.method !== 'GET' &&
      req.method !== 'HEAD' &&
      (MotoJournal.needsBodyToDecide(service) ||
        MotoJournal.isMutation(
          service,
          req.method ?? 'GET',
          req.url ?? '/',
          req.headers,
        ));
    const chunks: Buffer[] = [];

    const upstream = http.request(
      {
        host: moto.hostname,
        port: moto.port,
        method: req.method,
        path: req.url,
        headers,
      },
      upstreamRes => {
        const status = upstreamRes.statusCode ?? 502;
        const finish = () => {
          if (candidate && status < 300) {
            const body = Buffer.concat(chunks);
            if (
              MotoJournal.isMutation(
                service,
                req.method ?? 'GET',
                req.url ?? '/',
                req.headers,
                body,
              )
            ) {
              journal!.append({
                method: req.method ?? 'POST',
                url: req.url ?? '/',
                headers: req.headers,
                accountId,
                body,
              });
            }
          }
        };
        const unsignedSts =
          service === undefined &&
          /x-www-form-urlencoded/.test(
            String(req.headers['content-type'] ?? ''),
          );
        if (service === 'sts' || unsignedSts) {
          // Small XML: buffer it to learn which account the issued keys belong to.
          const parts: Buffer[] = [];
          upstreamRes.on('data', c => parts.push(c));
          upstreamRes.on('end', () => {
            const body = Buffer.concat(parts);
            if (status < 300)
              options.callers.learnFromStsResponse(body.toString('utf8'));
            res.writeHead(status, upstreamRes.rawHeaders);
            res.end(body);
            finish();
            resolve();
          });
          upstreamRes.on('error', reject);
          return;
        }
        res.writeHead(status, upstreamRes.rawHeaders);
        upstreamRes.pipe(res);
        upstreamRes.on('end', () => {
          finish();
          resolve();
        });
        upstreamRes.on('error', reject);
      },
    );
    upstream.on('error', reject);
    if (candidate) req.on('data', (c: Buffer) => chunks.push(c));
    req.pipe(upstream);
  });
}
