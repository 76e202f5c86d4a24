import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, InputError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

/** Header the demo sign-in page (and test scripts) use to say who signs in. */
export const DEMO_USER_HEADER = 'x-demo-user';

type DemoSignInResult = { userName: string };

// Catalog user names are lower-case DNS-ish labels; anything else is refused before
// the catalog is asked, so the header cannot smuggle another kind or namespace.
const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * Dev-only "sign in as a demo person" provider (`auth.providers.demo`). The person must
 * exist as a User in the catalog; ownership comes from their catalog memberships. It
 * only activates when `auth.providers.demo` is configured, which only the local
 * app-config.yaml does, and refuses to start when `auth.environment` is production.
 */
export const demoSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config: rootConfig }) {
        if (
          rootConfig.has('auth.providers.demo') &&
          rootConfig.getOptionalString('auth.environment') === 'production'
        ) {
          throw new Error(
            'auth.providers.demo lets anyone sign in as anyone; it must not be configured in production',
          );
        }
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory<DemoSignInResult>({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async result => ({
                profile: { displayName: result.userName },
              }),
              initialize({ config }) {
                // `config` is auth.providers.demo; its presence is the opt-in.
                const allowed = config.getOptionalStringArray('allowedUsers');
                return { allowed };
              },
              async authenticate({ req }, ctx) {
                const { allowed } = ctx as { allowed?: string[] };
                const userName = req.header(DEMO_USER_HEADER)?.trim();
                if (!userName) {
                  throw new AuthenticationError(
                    `Missing ${DEMO_USER_HEADER} header: choose a demo person to sign in as`,
                  );
                }
                if (!USER_NAME.test(userName)) {
                  throw new InputError(`Invalid demo user name '${userName}'`);
                }
                if (allowed && !allowed.includes(userName)) {
                  throw new AuthenticationError(
                    `'${userName}' is not one of the demo people`,
                  );
                }
                return { result: { userName } };
              },
            }),
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: { kind: 'User', name: result.userName },
              });
            },
          }),
        });
      },
    });
  },
});
