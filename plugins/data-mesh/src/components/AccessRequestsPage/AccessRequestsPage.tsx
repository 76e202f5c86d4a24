import { Content, Header, Page, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AccessRequestStatus,
  ListAccessRequestsQuery,
} from '@data-mesh-portal/plugin-data-mesh-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataMeshAccessRequestsApiRef } from '../../api/AccessRequestsClient';
import {
  AccessDecision,
  AccessRequestSummary,
  RequestActions,
  reviewerDecisions,
  sameRef,
  useCurrentUser,
} from '../AccessRequestParts';

const PAGE_SIZE = 20;

interface TabSpec {
  id: string;
  label: string;
  query: ListAccessRequestsQuery;
  empty: string;
  decisions: 'review' | 'mine';
}

const TABS: TabSpec[] = [
  {
    id: 'review',
    label: 'To review',
    query: { view: 'review', status: 'pending' },
    empty:
      'No requests are waiting for your review. Requests for the data products your teams own, or whose contracts name your team as approver, appear here.',
    decisions: 'review',
  },
  {
    id: 'active',
    label: 'Active grants',
    query: {
      view: 'review',
      status: ['active', 'approved', 'failed'] as AccessRequestStatus[],
    },
    empty:
      'No team has access to the data products you review. Approved requests appear here until they expire or you revoke them.',
    decisions: 'review',
  },
  {
    id: 'history',
    label: 'History',
    query: {
      view: 'review',
      status: [
        'rejected',
        'withdrawn',
        'revoked',
        'expired',
      ] as AccessRequestStatus[],
    },
    empty:
      'No decided requests yet: rejected, withdrawn, revoked and expired requests are kept here.',
    decisions: 'review',
  },
  {
    id: 'mine',
    label: 'My requests',
    query: { view: 'mine' },
    empty:
      'You and your teams have not requested access yet. Open a data product in the catalog and press "Request access".',
    decisions: 'mine',
  },
];

function RequestsTab(props: {
  spec: TabSpec;
  userRef?: string;
  onChanged: () => void;
}) {
  const { spec, userRef, onChanged } = props;
  const api = useApi(dataMeshAccessRequestsApiRef);
  const [offset, setOffset] = useState(0);
  const list = useAsyncRetry(
    () => api.listAccessRequests({ ...spec.query, limit: PAGE_SIZE, offset }),
    [api, spec, offset],
  );

  if (list.loading && !list.value) {
    return <Progress />;
  }
  if (list.error) {
    return (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={list.retry}>
            Retry
          </Button>
        }
      >
        Could not load the access requests: {list.error.message}. Retry in a
        moment; if it keeps failing, tell the data platform team.
      </Alert>
    );
  }
  const { items, totalCount } = list.value!;
  if (items.length === 0 && offset === 0) {
    return <Typography variant="body1">{spec.empty}</Typography>;
  }
  const decisionsFor = (r: (typeof items)[number]): AccessDecision[] => {
    if (spec.decisions === 'review') return reviewerDecisions(r);
    return r.status === 'pending' && sameRef(r.requesterRef, userRef)
      ? ['withdraw']
      : [];
  };
  const changed = () => {
    list.retry();
    onChanged();
  };
  return (
    <>
      <ul aria-label={spec.label} style={{ margin: 0, padding: 0 }}>
        {items.map(r => {
          const decisions = decisionsFor(r);
          return (
            <AccessRequestSummary
              key={r.id}
              request={r}
              showEntity
              headingComponent="h3"
              actions={
                decisions.length > 0 ? (
                  <RequestActions
                    request={r}
                    decisions={decisions}
                    onChanged={changed}
                  />
                ) : undefined
              }
            />
          );
        })}
      </ul>
      {totalCount > PAGE_SIZE && (
        <Box
          display="flex"
          alignItems="center"
          justifyContent="flex-end"
          flexWrap="wrap"
          mt={1}
          component="nav"
          aria-label="Pages"
        >
          <Typography variant="body2" style={{ marginRight: 16 }}>
            {offset + 1}–{Math.min(offset + items.length, totalCount)} of{' '}
            {totalCount}
          </Typography>
          <Button
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          >
            Previous
          </Button>
          <Button
            disabled={offset + PAGE_SIZE >= totalCount}
            onClick={() => setOffset(offset + PAGE_SIZE)}
          >
            Next
          </Button>
        </Box>
      )}
    </>
  );
}

/**
 * The reviewers' inbox: pending requests across every data product the user
 * may review, active grants (to revoke), the history of decisions, and the
 * user's own requests. The page header comes from the app (new frontend
 * system) or {@link AccessRequestsPage} (legacy).
 *
 * @public
 */
export function AccessRequestsContent() {
  const api = useApi(dataMeshAccessRequestsApiRef);
  const user = useCurrentUser();
  const [tab, setTab] = useState(0);
  const pending = useAsyncRetry(
    () =>
      api.listAccessRequests({ view: 'review', status: 'pending', limit: 1 }),
    [api],
  );
  const pendingCount = pending.value?.totalCount;
  return (
    <Content>
      <Paper>
        <Tabs
          value={tab}
          onChange={(_, value) => setTab(value)}
          indicatorColor="primary"
          textColor="primary"
          variant="scrollable"
          scrollButtons="auto"
          aria-label="Access requests"
        >
          {TABS.map((spec, i) => (
            <Tab
              key={spec.id}
              id={`access-requests-tab-${spec.id}`}
              aria-controls={`access-requests-panel-${spec.id}`}
              label={
                i === 0 && pendingCount
                  ? `${spec.label} (${pendingCount})`
                  : spec.label
              }
            />
          ))}
        </Tabs>
      </Paper>
      {TABS.map((spec, i) =>
        i === tab ? (
          <Box
            key={spec.id}
            role="tabpanel"
            id={`access-requests-panel-${spec.id}`}
            aria-labelledby={`access-requests-tab-${spec.id}`}
            mt={2}
          >
            <RequestsTab
              spec={spec}
              userRef={user.value?.userRef}
              onChanged={pending.retry}
            />
          </Box>
        ) : null,
      )}
    </Content>
  );
}

/**
 * The inbox as a full page with its own header, for the legacy frontend
 * system.
 *
 * @public
 */
export function AccessRequestsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Access requests"
        subtitle="Review requests for your data products, revoke grants, follow your own requests"
      />
      <AccessRequestsContent />
    </Page>
  );
}
