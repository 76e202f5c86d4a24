import {
  HttpAuthService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  approveAccessRequestSchema,
  createAccessRequestSchema,
  listAccessRequestsQuerySchema,
  rejectAccessRequestSchema,
  revokeAccessRequestSchema,
} from '@data-mesh-portal/plugin-data-mesh-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { AccessRequestService, Caller } from './AccessRequestService';
import { databaseUnavailableHandler } from '../database/unavailable';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  service: AccessRequestService;
}

/** Request bodies are small JSON documents; anything bigger is refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;

const idSchema = z.string().uuid('must be a request id');
const auditQuerySchema = z
  .object({
    entityRef: z.string().min(1).max(255),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      if (issue.code === 'unrecognized_keys') {
        return `${issue.keys.join(', ')} ${issue.keys.length > 1 ? 'are' : 'is'} not accepted here (identity comes from your sign-in)`;
      }
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    });
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return result.data;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, userInfo, service } = options;
  const router = Router();
  router.use(express.json({ limit: MAX_BODY_BYTES }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  async function caller(req: Request): Promise<Caller> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const info = await userInfo.getUserInfo(credentials);
    return {
      credentials,
      userRef: credentials.principal.userEntityRef,
      ownershipRefs: info.ownershipEntityRefs,
      request: req,
    };
  }

  router.post('/access-requests', async (req, res) => {
    const who = await caller(req);
    const body = parse(createAccessRequestSchema, req.body, 'access request');
    res.status(201).json(await service.create(body, who));
  });

  router.get('/access-requests', async (req, res) => {
    const who = await caller(req);
    const query = parse(listAccessRequestsQuerySchema, req.query, 'query');
    res.json(await service.list(query, who));
  });

  router.get('/access-requests/:id', async (req, res) => {
    const who = await caller(req);
    res.json(await service.get(parse(idSchema, req.params.id, 'id'), who));
  });

  router.get('/access-requests/:id/grant', async (req, res) => {
    const who = await caller(req);
    res.json(await service.verifyGrant(parse(idSchema, req.params.id, 'id'), who));
  });

  router.get('/access-requests/:id/events', async (req, res) => {
    const who = await caller(req);
    res.json({ items: await service.events(parse(idSchema, req.params.id, 'id'), who) });
  });

  router.post('/access-requests/:id/approve', async (req, res) => {
    const who = await caller(req);
    const id = parse(idSchema, req.params.id, 'id');
    const body = parse(approveAccessRequestSchema, req.body, 'approval');
    res.json(await service.approve(id, body, who));
  });

  router.post('/access-requests/:id/reject', async (req, res) => {
    const who = await caller(req);
    const id = parse(idSchema, req.params.id, 'id');
    const body = parse(rejectAccessRequestSchema, req.body, 'rejection');
    res.json(await service.reject(id, body, who));
  });

  router.post('/access-requests/:id/withdraw', async (req, res) => {
    const who = await caller(req);
    const id = parse(idSchema, req.params.id, 'id');
    const body = parse(revokeAccessRequestSchema, req.body, 'withdrawal');
    res.json(await service.withdraw(id, body, who));
  });

  router.post('/access-requests/:id/revoke', async (req, res) => {
    const who = await caller(req);
    const id = parse(idSchema, req.params.id, 'id');
    const body = parse(revokeAccessRequestSchema, req.body, 'revocation');
    res.json(await service.revoke(id, body, who));
  });

  router.get('/audit-events', async (req, res) => {
    const who = await caller(req);
    const query = parse(auditQuerySchema, req.query, 'query');
    res.json(
      await service.productEvents(query.entityRef, { limit: query.limit, offset: query.offset }, who),
    );
  });

  router.use(databaseUnavailableHandler());
  return router;
}
