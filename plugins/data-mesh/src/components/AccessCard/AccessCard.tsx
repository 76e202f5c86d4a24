import {
  Entity,
  parseEntityRef,
  RELATION_HAS_PART,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import {
  AccessRequest,
  isDataProductEntity,
  isDatasetEntity,
} from '@data-mesh-portal/plugin-data-mesh-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataMeshAccessRequestsApiRef } from '../../api/AccessRequestsClient';
import {
  AccessRequestSummary,
  days,
  formatDate,
  isInFlight,
  relativeDays,
  RequestActions,
  reviewerDecisions,
  sameRef,
  shortRef,
  useAccessPolicy,
  useCurrentUser,
  usePolling,
} from '../AccessRequestParts';
import { GrantCheck } from './GrantCheck';
import { DatasetOption, RequestAccessDialog } from './RequestAccessDialog';

/** How often the card re-reads the user's requests while one is pending. */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;

function productRefOf(entity: Entity): string | undefined {
  const system = entity.spec?.system;
  if (typeof system !== 'string' || !system) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(system, {
        defaultKind: 'system',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

function byNewest(a: AccessRequest, b: AccessRequest) {
  return b.createdAt.localeCompare(a.createdAt);
}

function Section(props: { title: string; children: React.ReactNode }) {
  return (
    <Box component="section" mb={2}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function RequestList(props: { children: React.ReactNode; label: string }) {
  return (
    <ul aria-label={props.label} style={{ margin: 0, padding: 0 }}>
      {props.children}
    </ul>
  );
}

/**
 * Access card for data product (`System`, data-product) and dataset (`API`,
 * dataset) pages: whether the user or their teams have access (checked in
 * AWS, with its expiry), their requests with live status, the *Request
 * access* dialog; for reviewers, the pending requests to approve or reject
 * and the active grants to revoke.
 *
 * @public
 */
export function AccessCard(props: { pollIntervalMs?: number }) {
  const pollIntervalMs = props.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const { entity } = useEntity();
  const api = useApi(dataMeshAccessRequestsApiRef);
  const catalogApi = useApi(catalogApiRef);
  const policy = useAccessPolicy();
  const user = useCurrentUser();
  const [dialogOpen, setDialogOpen] = useState(false);

  const entityRef = stringifyEntityRef(entity);
  const title = entity.metadata.title ?? entity.metadata.name;
  const isProduct = isDataProductEntity(entity);
  const productRef = isProduct ? undefined : productRefOf(entity);

  // Requests by the user or for their teams, on this entity (and, on a
  // product, its datasets); on a dataset also those for its whole product.
  const mine = useAsyncRetry(async () => {
    const [own, product] = await Promise.all([
      api.listAccessRequests({ view: 'mine', entityRef, limit: 100 }),
      productRef
        ? api.listAccessRequests({
            view: 'mine',
            entityRef: productRef,
            limit: 100,
          })
        : undefined,
    ]);
    const items = [
      ...own.items,
      ...(product?.items ?? []).filter(r => sameRef(r.entityRef, productRef)),
    ];
    const unique = new Map(items.map(r => [r.id, r]));
    return [...unique.values()].sort(byNewest);
  }, [api, entityRef, productRef]);

  // What the API lets this user review here; empty for everyone else.
  const review = useAsyncRetry(
    () =>
      api.listAccessRequests({
        view: 'review',
        entityRef,
        status: ['pending', 'active', 'failed'],
        limit: 100,
      }),
    [api, entityRef],
  );

  const datasets = useAsync(async (): Promise<DatasetOption[]> => {
    if (!isProduct) return [];
    const refs = (entity.relations ?? [])
      .filter(
        r =>
          r.type === RELATION_HAS_PART &&
          parseEntityRef(r.targetRef).kind.toLocaleLowerCase('en-US') === 'api',
      )
      .map(r => r.targetRef);
    if (refs.length === 0) return [];
    const { items } = await catalogApi.getEntitiesByRefs({ entityRefs: refs });
    return items
      .filter((e): e is Entity => !!e && isDatasetEntity(e))
      .map(e => ({
        ref: stringifyEntityRef(e),
        title: e.metadata.title ?? e.metadata.name,
      }))
      .sort((a, b) => a.title.localeCompare(b.title));
  }, [catalogApi, entity, isProduct]);

  const inFlight = (mine.value ?? []).some(isInFlight);
  usePolling(mine.retry, pollIntervalMs, inFlight);

  const refresh = () => {
    mine.retry();
    review.retry();
  };

  if ((mine.loading && !mine.value) || user.loading) {
    return (
      <InfoCard title="Access">
        <Progress />
        <Typography variant="body2">Loading your access…</Typography>
      </InfoCard>
    );
  }

  if (mine.error || user.error) {
    const error = (mine.error ?? user.error)!;
    return (
      <InfoCard title="Access">
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={mine.retry}>
              Retry
            </Button>
          }
        >
          Could not load your access to {title}: {error.message}. Retry in a
          moment; if it keeps failing, tell the data platform team (the
          data-mesh backend may be down).
        </Alert>
      </InfoCard>
    );
  }

  const requests = mine.value ?? [];
  const active = requests.filter(r => r.status === 'active');
  const others = requests.filter(r => r.status !== 'active');
  const teams = user.value?.teams ?? [];
  const userRef = user.value?.userRef;
  const reviewItems = review.value?.items ?? [];
  const toReview = reviewItems.filter(r => r.status === 'pending');
  const grants = reviewItems.filter(r => r.status !== 'pending');

  return (
    <InfoCard title="Access">
      <Section title="Your access">
        {active.length === 0 ? (
          <Typography variant="body2" paragraph>
            Neither you nor your teams have access to {title} yet.
            {teams.length > 0 && ' Request it for one of your teams below.'}
          </Typography>
        ) : (
          <RequestList label="Your active access">
            {active.map(r => (
              <AccessRequestSummary key={r.id} request={r}>
                <Typography variant="body2">
                  <strong>{shortRef(r.teamRef)}</strong> has {r.accessLevel}{' '}
                  access until {formatDate(r.expiresAt)} (
                  {relativeDays(r.expiresAt)}).
                </Typography>
                <GrantCheck request={r} />
              </AccessRequestSummary>
            ))}
          </RequestList>
        )}
        {teams.length > 0 ? (
          <Button
            variant="contained"
            color="primary"
            onClick={() => setDialogOpen(true)}
          >
            Request access
          </Button>
        ) : (
          <Alert severity="info">
            Access is granted to teams, and you are not a member of any team in
            the catalog. Ask your team lead to add you to your team, then
            request access here.
          </Alert>
        )}
      </Section>

      {others.length > 0 && (
        <Section title="Your requests">
          <div aria-live="polite">
            {inFlight && (
              <Typography variant="body2" color="textSecondary" paragraph>
                This card updates by itself while a request is under review.
              </Typography>
            )}
            <RequestList label="Your requests">
              {others.map(r => (
                <AccessRequestSummary
                  key={r.id}
                  request={r}
                  actions={
                    r.status === 'pending' &&
                    sameRef(r.requesterRef, userRef) ? (
                      <RequestActions
                        request={r}
                        decisions={['withdraw']}
                        onChanged={refresh}
                      />
                    ) : undefined
                  }
                />
              ))}
            </RequestList>
          </div>
        </Section>
      )}

      {review.error && (
        <Alert
          severity="warning"
          action={
            <Button color="inherit" size="small" onClick={review.retry}>
              Retry
            </Button>
          }
        >
          Could not load the requests you may review: {review.error.message}
        </Alert>
      )}

      {toReview.length > 0 && (
        <Section title={`Requests to review (${toReview.length})`}>
          <RequestList label="Requests to review">
            {toReview.map(r => (
              <AccessRequestSummary
                key={r.id}
                request={r}
                actions={
                  <RequestActions
                    request={r}
                    decisions={reviewerDecisions(r)}
                    onChanged={refresh}
                  />
                }
              />
            ))}
          </RequestList>
        </Section>
      )}

      {grants.length > 0 && (
        <Section title="Access granted to teams">
          <RequestList label="Access granted to teams">
            {grants.map(r => (
              <AccessRequestSummary
                key={r.id}
                request={r}
                actions={
                  <RequestActions
                    request={r}
                    decisions={reviewerDecisions(r)}
                    onChanged={refresh}
                  />
                }
              />
            ))}
          </RequestList>
        </Section>
      )}

      {dialogOpen && (
        <RequestAccessDialog
          open
          onClose={() => setDialogOpen(false)}
          entityRef={entityRef}
          entityTitle={title}
          isProduct={isProduct}
          datasets={datasets.value ?? []}
          teams={teams}
          policy={policy}
          onSubmitted={refresh}
        />
      )}
      <Typography variant="caption" color="textSecondary" component="p">
        Grants last at most {days(policy.maxDurationDays)}; reviewers are the
        owning team and the contract&apos;s approvers.
      </Typography>
    </InfoCard>
  );
}
