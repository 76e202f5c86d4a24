import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  configApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useEffect, useRef } from 'react';
import useAsync from 'react-use/esm/useAsync';

/** The portal's access policy, as the backend reads it (`dataMesh.accessRequests`, visible to the frontend). */
export interface AccessPolicy {
  defaultDurationDays: number;
  maxDurationDays: number;
}

export function useAccessPolicy(): AccessPolicy {
  const config = useApi(configApiRef);
  const maxDurationDays =
    config.getOptionalNumber('dataMesh.accessRequests.maxDurationDays') ?? 365;
  const defaultDurationDays = Math.min(
    config.getOptionalNumber('dataMesh.accessRequests.defaultDurationDays') ??
      90,
    maxDurationDays,
  );
  return { defaultDurationDays, maxDurationDays };
}

/** A team the signed-in user belongs to. */
export interface UserTeam {
  ref: string;
  title: string;
}

/**
 * The signed-in user and the teams they may request access for: the groups
 * among their ownership refs (what the backend checks), titled from the
 * catalog when it answers.
 */
export function useCurrentUser() {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    const groupRefs = identity.ownershipEntityRefs.filter(ref => {
      try {
        return parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group';
      } catch {
        return false;
      }
    });
    let titles: Record<string, string> = {};
    if (groupRefs.length > 0) {
      try {
        const { items } = await catalogApi.getEntitiesByRefs({
          entityRefs: groupRefs,
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'spec.profile.displayName',
          ],
        });
        titles = Object.fromEntries(
          items.flatMap(item =>
            item
              ? [
                  [
                    stringifyEntityRef(item),
                    (item.spec?.profile as { displayName?: string } | undefined)
                      ?.displayName ??
                      item.metadata.title ??
                      item.metadata.name,
                  ],
                ]
              : [],
          ),
        );
      } catch {
        // Titles are a nicety; the refs still work.
      }
    }
    const teams: UserTeam[] = groupRefs.map(ref => ({
      ref,
      title: titles[ref] ?? parseEntityRef(ref).name,
    }));
    return { userRef: identity.userEntityRef, teams };
  }, [identityApi, catalogApi]);
}

/** Calls `tick` every `intervalMs` while `enabled`. */
export function usePolling(
  tick: () => void,
  intervalMs: number,
  enabled: boolean,
) {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!enabled) return undefined;
    const timer = setInterval(() => latest.current(), intervalMs);
    return () => clearInterval(timer);
  }, [enabled, intervalMs]);
}
