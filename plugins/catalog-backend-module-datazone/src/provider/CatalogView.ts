import { AuthService } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * What the provider reads from the catalog itself: users to match project
 * members by email, and what it owns already (for the removal guard after a
 * restart). Tests can pass their own.
 *
 * @public
 */
export interface DataZoneCatalogView {
  /** Lower-cased email → user entity ref. */
  usersByEmail(): Promise<Map<string, string>>;
  /** Refs of the entities the catalog holds from `location`. */
  entityRefsAt(location: string): Promise<Set<string>>;
}

// The catalog client reuses keep-alive sockets; one the catalog's HTTP server
// closes as idle at the moment a request goes out fails with ECONNRESET.
// Nothing was processed then, so the read is safely repeated once.
function isConnectionReset(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === 'ECONNRESET' || /ECONNRESET|socket hang up/.test(e?.message ?? '');
}

async function retryOnReset<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isConnectionReset(error)) {
      return await fn();
    }
    throw error;
  }
}

/**
 * {@link DataZoneCatalogView} over the catalog service: one call each, with
 * only the fields needed.
 *
 * @public
 */
export class CatalogServiceView implements DataZoneCatalogView {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async usersByEmail(): Promise<Map<string, string>> {
    const { items } = await retryOnReset(async () =>
      this.catalog.getEntities(
        {
          filter: { kind: 'User' },
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.profile.email'],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      ),
    );
    const users = new Map<string, string>();
    for (const user of items) {
      const email = (user.spec?.profile as { email?: unknown } | undefined)?.email;
      if (typeof email === 'string' && email.includes('@')) {
        const key = email.trim().toLocaleLowerCase('en-US');
        // Two users with one email: the first by ref wins, deterministically.
        const ref = stringifyEntityRef(user);
        const existing = users.get(key);
        if (!existing || ref < existing) {
          users.set(key, ref);
        }
      }
    }
    return users;
  }

  async entityRefsAt(location: string): Promise<Set<string>> {
    const { items } = await retryOnReset(async () =>
      this.catalog.getEntities(
        {
          filter: { [`metadata.annotations.${ANNOTATION_LOCATION}`]: location },
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      ),
    );
    return new Set(items.map(entity => stringifyEntityRef(entity)));
  }
}
