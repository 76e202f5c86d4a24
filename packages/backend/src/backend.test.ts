import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { backendDatabaseConfig } from '@data-mesh-portal/test-utils';
import request from 'supertest';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { demoSignInModule } from './modules/demoSignIn';
import { demoPermissionPolicyModule } from './modules/permissionPolicy';

const repoRoot = path.resolve(__dirname, '../../..');

function config(database: object, extra: object = {}) {
  return mockServices.rootConfig.factory({
    data: {
      backend: { baseUrl: 'http://localhost:7007', database },
      app: { baseUrl: 'http://localhost:3000' },
      auth: {
        environment: 'development',
        providers: { demo: { allowedUsers: ['alice', 'bob'] } },
      },
      permission: { enabled: true },
      catalog: {
        rules: [{ allow: ['User', 'Group', 'System', 'Component', 'API'] }],
        processingInterval: { seconds: 1 },
        locations: [
          {
            type: 'file',
            target: path.join(repoRoot, 'catalog/demo-org.yaml'),
          },
        ],
      },
      ...extra,
    },
  });
}

async function waitForEntity(server: any, ref: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-name/${ref}`)
      .set('Authorization', mockCredentials.service.header());
    if (res.status === 200) return res.body;
    if (Date.now() > deadline) {
      throw new Error(`${ref} not in the catalog: ${res.status} ${JSON.stringify(res.body)}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

describe.each(['SQLITE_3', 'POSTGRES_15'] as const)(
  'the portal backend on %s',
  databaseId => {
    it('starts, ingests the demo organisation and serves it from the catalog', async () => {
      const backend = await startTestBackend({
        features: [
          config(backendDatabaseConfig(databaseId)),
          catalogPlugin,
          permissionPlugin,
          demoPermissionPolicyModule,
        ],
      });
      try {
        const alice = await waitForEntity(backend.server, 'user/default/alice');
        expect(alice.spec.profile.email).toBe('alice@retail.example');
        const team = await waitForEntity(backend.server, 'group/default/sales-domain');
        expect(team.spec.parent).toBe('retail');

        const denied = await request(backend.server)
          .get('/api/catalog/entities/by-name/user/default/nobody')
          .set('Authorization', mockCredentials.service.header());
        expect(denied.status).toBe(404);
      } finally {
        await backend.stop();
      }
    }, 60_000);
  },
);

describe('demo sign-in', () => {
  it('issues a token for a demo person, resolved through the catalog, and refuses others', async () => {
    const backend = await startTestBackend({
      features: [
        config(backendDatabaseConfig('SQLITE_3')),
        catalogPlugin,
        authPlugin,
        demoSignInModule,
      ],
    });
    try {
      await waitForEntity(backend.server, 'user/default/alice');
      const res = await request(backend.server)
        .get('/api/auth/demo/refresh')
        .set('x-demo-user', 'alice')
        .set('x-requested-with', 'XMLHttpRequest');
      expect(res.status).toBe(200);
      expect(res.body.backstageIdentity.identity).toMatchObject({
        userEntityRef: 'user:default/alice',
        ownershipEntityRefs: expect.arrayContaining([
          'user:default/alice',
          'group:default/sales-domain',
        ]),
      });
      expect(res.body.backstageIdentity.token).toEqual(expect.any(String));

      const notListed = await request(backend.server)
        .get('/api/auth/demo/refresh')
        .set('x-demo-user', 'carol')
        .set('x-requested-with', 'XMLHttpRequest');
      expect(notListed.status).toBe(401);

      const missing = await request(backend.server)
        .get('/api/auth/demo/refresh')
        .set('x-requested-with', 'XMLHttpRequest');
      expect(missing.status).toBe(401);
    } finally {
      await backend.stop();
    }
  }, 60_000);

  it('refuses to start when configured in a production environment', async () => {
    await expect(
      startTestBackend({
        features: [
          config(backendDatabaseConfig('SQLITE_3'), {
            auth: {
              environment: 'production',
              providers: { demo: {} },
            },
          }),
          authPlugin,
          demoSignInModule,
        ],
      }),
    ).rejects.toThrow(/must not be configured in production/);
  });
});
