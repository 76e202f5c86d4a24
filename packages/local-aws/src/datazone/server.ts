import { randomUUID, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deref } from '@smithy/core/schema';
import { NormalizedSchema } from '@smithy/core/schema';
import type { Schema } from '@smithy/types';
import { DataZoneError } from './errors';
import {
  allOperationModels,
  operationModel,
  type OperationModel,
} from './model/operations';
import { bindInput, type RawRequest } from './wire/parse';
import { toWire } from './wire/serialize';
import { validateInput } from './wire/validate';
import { DataZoneStore } from './store';
import type { Caller, RequestContext } from './context';
import type { HandlerMap } from './handlers/types';
import { coreHandlers, workflowHandlers } from './handlers';
import { NO_AWS_EFFECTS, type AwsEffects } from './effects';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a middleware sees: the operation, its bound input and the caller. */
export interface OperationCall {
  operation: string;
  input: Record<string, unknown>;
  ctx: RequestContext;
}

/**
 * Wraps every operation call after binding and validation. Issue-5 fault injection,
 * quotas and call counters, and issue-4 access checks plug in here without touching
 * the handlers.
 */
export type Middleware = (
  call: OperationCall,
  next: () => Promise<WireResponse>,
) => Promise<WireResponse>;

function jsonHeaders(): Record<string, string> {
  return { 'content-type': 'application/json' };
}

interface Route {
  model: OperationModel;
  input: Schema;
  output: Schema;
  idempotencyMember?: string;
}

export class DataZoneStandIn {
  private routes: Route[] = [];
  private readonly known = allOperationModels();
  private readonly middleware: Middleware[] = [];
  private readonly handlers: HandlerMap = {};

  constructor(
    readonly store: DataZoneStore = new DataZoneStore(),
    readonly region = 'us-east-1',
    private effects: AwsEffects = NO_AWS_EFFECTS,
  ) {
    this.register(coreHandlers);
    this.register(workflowHandlers);
  }

  /** Connects the stand-in to the AWS it grants in and reads from (moto, in the local AWS). */
  setEffects(effects: AwsEffects) {
    this.effects = effects;
  }

  /** Adds or replaces operations (later issues register theirs here). */
  register(handlers: HandlerMap) {
    Object.assign(this.handlers, handlers);
    this.routes = Object.keys(this.handlers)
      .map(name => {
        const model = operationModel(name);
        const input = deref(model.schema[4] as Schema) as Schema;
        const output = deref(model.schema[5] as Schema) as Schema;
        let idempotencyMember: string | undefined;
        const ns = NormalizedSchema.of(input);
        if (!ns.isUnitSchema()) {
          for (const [member, s] of ns.structIterator()) {
            if (s.isIdempotencyToken()) idempotencyMember = member;
          }
        }
        return { model, input, output, idempotencyMember };
      })
      .sort((a, b) => b.model.specificity - a.model.specificity);
  }

  use(middleware: Middleware) {
    this.middleware.push(middleware);
  }

  /** Node http entry point; the router calls this for requests signed for `datazone`. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    caller: Caller,
  ): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const response = await this.dispatch(
      {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      },
      caller,
    );
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  }

  async dispatch(request: RawRequest, caller: Caller): Promise<WireResponse> {
    const requestId = randomUUID();
    try {
      const match = this.match(request);
      const labels: Record<string, string> = {};
      match.model.labels.forEach((label, i) => {
        labels[label] = decodeURIComponent(match.captures[i]);
      });
      const input = bindInput(match.route.input, labels, request);
      validateInput(match.model.name, input);
      const ctx: RequestContext = {
        operation: match.model.name,
        caller,
        requestId,
        region: this.region,
        effects: this.effects,
      };
      const call: OperationCall = { operation: match.model.name, input, ctx };
      const chain = this.middleware.reduceRight<() => Promise<WireResponse>>(
        (next, mw) => () => mw(call, next),
        () => this.invoke(match.route, call),
      );
      const response = await chain();
      response.headers['x-amzn-requestid'] = requestId;
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  }

  private async invoke(
    route: Route,
    call: OperationCall,
  ): Promise<WireResponse> {
    const { input, ctx } = call;
    const token = route.idempotencyMember
      ? (input[route.idempotencyMember] as string | undefined)
      : undefined;
    const key = token
      ? `${ctx.operation}/${input.domainIdentifier ?? ''}/${token}`
      : undefined;
    let fingerprint = '';
    if (key) {
      const { [route.idempotencyMember!]: _omit, ...rest } = input;
      fingerprint = createHash('sha256')
        .update(stableJson(rest))
        .digest('base64url');
      const previous = this.store.state.idempotency[key];
      if (previous) {
        if (previous.fingerprint !== fingerprint) {
          throw new DataZoneError(
            'ConflictException',
            `The client token ${token} was already used with different request parameters.`,
          );
        }
        return {
          status: previous.status,
          headers: jsonHeaders(),
          body: previous.body,
        };
      }
    }
    const output = await this.handlers[ctx.operation](input, ctx, this.store);
    let body = '';
    try {
      const wire = toWire(route.output, output ?? {});
      body = JSON.stringify(wire ?? {});
    } catch (error) {
      // A handler produced something the SDK could not parse: a stand-in bug.
      throw new DataZoneError(
        'InternalServerException',
        `Stand-in output error: ${(error as Error).message}`,
      );
    }
    const status = route.model.successCode;
    if (key) {
      this.store.state.idempotency[key] = { fingerprint, status, body };
      this.store.changed();
    }
    return { status, headers: jsonHeaders(), body };
  }

  private match(request: RawRequest) {
    for (const route of this.routes) {
      if (route.model.method !== request.method) continue;
      const m = route.model.pattern.exec(request.path);
      if (m) return { route, model: route.model, captures: m.slice(1) };
    }
    const known = this.known.find(
      model =>
        model.method === request.method && model.pattern.test(request.path),
    );
    if (known) {
      throw new DataZoneError(
        'NotImplementedException',
        `The local DataZone stand-in does not implement ${known.name}.`,
      );
    }
    throw new DataZoneError(
      'UnknownOperationException',
      `No DataZone operation matches ${request.method} ${request.path}.`,
    );
  }
}

function errorResponse(error: unknown, requestId: string): WireResponse {
  const e =
    error instanceof DataZoneError
      ? error
      : new DataZoneError(
          'InternalServerException',
          (error as Error)?.message ?? String(error),
        );
  return {
    status: e.status,
    headers: {
      ...jsonHeaders(),
      'x-amzn-errortype': e.errorName,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify({ message: e.message }),
  };
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !Buffer.isBuffer(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
