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
    const { items } = await this.catalog.getEntities(
      {
        filter: { kind: 'User' },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.profile.email'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
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
    const { items } = await this.catalog.getEntities(
      {
        filter: { [`metadata.annotations.${ANNOTATION_LOCATION}`]: location },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return new Set(items.map(entity => stringifyEntityRef(entity)));
  }
}
