import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware, WireResponse } from '../datazone/server';
import type { DataZoneStore } from '../datazone/store';
import { sigV4Scope } from '../sigv4';
import { Counters } from './counters';
import {
  FaultRegistry,
  FaultSpecError,
  PageTracker,
  nextTokenOf,
  parseFaultSpec,
  type FaultRule,
  type FaultSpec,
} from './faults';
import {
  errorAnswer,
  operationOf,
  serverErrorAnswer,
  throttleAnswer,
  type ErrorAnswer,
} from './operations';
import { QuotaLimiter, QuotaSettingsError } from './quotas';
import { seedScaleMesh, ScaleSpecError, type ScaleMesh } from '../scale/seed';
import { writeScaleMeshes } from '../scale/meshes';

/** The admin path prefix: unsigned, and no AWS path starts like it (S3 buckets cannot). */
export const ADMIN_PREFIX = '/_local-aws';

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Counters, fault injection and quota emulation for the whole local endpoint. DataZone
 * calls are seen by a stand-in middleware (the operation is known exactly, after input
 * binding); every other service by a wrapper around the router, which names the
 * operation from the request line (`operationOf`).
 */
export class LocalAwsControl {
  readonly counters = new Counters();
  readonly faults = new FaultRegistry();
  readonly quotas = new QuotaLimiter();
  readonly pages = new PageTracker();
  /** Scale meshes seeded in this process (through the admin endpoint or at start). */
  readonly scaleMeshes: ScaleMesh[] = [];
  private readonly request = new AsyncLocalStorage<{ gone: Promise<void> }>();

  constructor(
    private readonly options: {
      /** The stand-in's store, for `POST /_local-aws/scale`. */
      store?: DataZoneStore;
      /** Where seeded scale meshes are recorded (`scale-mesh.json`). */
      scaleMeshFile?: string;
    } = {},
  ) {}

  /** Seeds a scale mesh into the running stand-in and records it. */
  seedScale(spec: unknown): ScaleMesh {
    if (!this.options.store)
      throw new ScaleSpecError('This endpoint has no DataZone store.');
    const mesh = seedScaleMesh(this.options.store, spec);
    this.scaleMeshes.push(mesh);
    if (this.options.scaleMeshFile)
      writeScaleMeshes(this.options.scaleMeshFile, this.scaleMeshes);
    return mesh;
  }

  /** Install with `dataZone.use(control.dataZoneMiddleware())`. */
  dataZoneMiddleware(): Middleware {
    return async (call, next) => {
      const operation = call.operation;
      this.counters.call('datazone', operation);
      const page = this.pages.pageOf(operation, call.input.nextToken);
      if (!this.quotas.take(call.ctx.caller.accountId, operation)) {
        this.counters.outcome('datazone', operation, 'throttled');
        return wire(throttleAnswer('datazone', call.ctx.requestId));
      }
      const decision = this.faults.decide({
        service: 'datazone',
        operation,
        page,
      });
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      const fail = decision.fail;
      if (fail) {
        const answer = await this.failWith(
          fail,
          'datazone',
          operation,
          call.ctx.requestId,
          this.request.getStore()?.gone,
        );
        if (answer) return wire(answer);
      }
      const response = await next();
      if (response.status < 300) {
        const token = nextTokenOf(response.body);
        if (token) this.pages.record(operation, page, token);
      }
      return response;
    };
  }

  /**
   * Applies a failing rule: the error answer for throttle/error, or undefined after a
   * timeout hold ends (the call is then served normally).
   */
  private async failWith(
    rule: FaultRule,
    service: string,
    operation: string,
    requestId: string,
    gone: Promise<void> | undefined,
  ): Promise<ErrorAnswer | undefined> {
    if (rule.kind === 'throttle') {
      this.counters.outcome(service, operation, 'throttled');
      return throttleAnswer(service, requestId);
    }
    this.counters.outcome(service, operation, 'faulted');
    if (rule.kind === 'error')
      return serverErrorAnswer(service, rule.status ?? 500, requestId);
    await this.faults.hold(rule, gone);
    return undefined;
  }

  /** Wraps the router: counts and faults every non-DataZone call; admin paths pass. */
  wrapRouter(route: Route): Route {
    return async (req, res) => {
      const url = req.url ?? '/';
      if (url.startsWith(`${ADMIN_PREFIX}/`)) {
        await route(req, res);
        return;
      }
      const gone = new Promise<void>(resolve => res.once('close', resolve));
      const scope = sigV4Scope(req.headers, url);
      if (scope?.service === 'datazone') {
        await this.request.run({ gone }, () => route(req, res));
        return;
      }
      const service = scope?.service ?? 'unsigned';
      const operation = operationOf(
        scope?.service,
        req.method ?? 'GET',
        url,
        req.headers,
      );
      this.counters.call(service, operation);
      if (this.faults.active) {
        const decision = this.faults.decide({ service, operation });
        if (decision.latencyMs > 0) await sleep(decision.latencyMs);
        if (decision.fail) {
          const answer = await this.failWith(
            decision.fail,
            service,
            operation,
            randomUUID(),
            gone,
          );
          if (answer) {
            if (!res.writableEnded) {
              res.writeHead(answer.status, answer.headers);
              res.end(answer.body);
            }
            return;
          }
          if (res.writableEnded || res.destroyed) return;
        }
      }
      await route(req, res);
    };
  }

  /**
   * Serves `/_local-aws/{counters,faults,quotas,scale}`; returns false for other admin
   * paths (health and the 404 stay with the caller).
   */
  async admin(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, , resource, id] = url.pathname.split('/');
    const method = req.method ?? 'GET';
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body, null, 2)}\n`);
    };
    const methodNotAllowed = () =>
      send(405, { message: `${method} is not allowed on ${url.pathname}` });
    try {
      switch (resource) {
        case 'counters':
          if (method === 'GET') send(200, this.counters.snapshot());
          else if (method === 'DELETE') send(200, this.counters.reset());
          else methodNotAllowed();
          return true;
        case 'faults': {
          if (method === 'GET') {
            send(200, {
              rules: this.faults.list(),
              holding: this.faults.holding,
            });
          } else if (method === 'DELETE') {
            const removed = this.faults.clear(id);
            if (id && removed === 0)
              send(404, { message: `No fault rule ${id}` });
            else send(200, { removed, rules: this.faults.list() });
          } else if (method === 'PUT' || method === 'POST') {
            const body = await readJson(req);
            const list: unknown[] = Array.isArray(body)
              ? body
              : (body as { rules?: unknown[] })?.rules ?? [body];
            const specs: FaultSpec[] = list.map(parseFaultSpec);
            if (method === 'PUT') this.faults.replace(specs);
            else specs.forEach(s => this.faults.add(s));
            send(200, { rules: this.faults.list() });
          } else methodNotAllowed();
          return true;
        }
        case 'quotas':
          if (method === 'GET') send(200, this.quotas.get());
          else if (method === 'PUT')
            send(200, this.quotas.set(await readJson(req)));
          else if (method === 'DELETE') {
            this.quotas.reset();
            send(200, this.quotas.get());
          } else methodNotAllowed();
          return true;
        case 'scale':
          if (method === 'GET') send(200, { meshes: this.scaleMeshes });
          else if (method === 'POST')
            send(200, this.seedScale(await readJson(req)));
          else methodNotAllowed();
          return true;
        default:
          return false;
      }
    } catch (error) {
      if (
        error instanceof FaultSpecError ||
        error instanceof QuotaSettingsError ||
        error instanceof ScaleSpecError ||
        error instanceof SyntaxError
      ) {
        send(400, { message: error.message });
        return true;
      }
      throw error;
    }
  }

  /** Ends every timeout hold and forgets faults, quotas and page tracking (on stop). */
  close() {
    this.faults.clear();
    this.quotas.reset();
    this.pages.clear();
  }
}

function wire(answer: ErrorAnswer): WireResponse {
  return { status: answer.status, headers: answer.headers, body: answer.body };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  return JSON.parse(text);
}

/** For tests and tools that want the error encodings directly. */
export { errorAnswer };
