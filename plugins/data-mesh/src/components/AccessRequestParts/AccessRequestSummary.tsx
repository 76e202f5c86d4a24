import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { AccessRequest } from '@data-mesh-portal/plugin-data-mesh-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { ReactNode } from 'react';
import { AccessRequestStatusChip } from './AccessRequestStatusChip';
import {
  ACCESS_LEVEL_LABEL,
  durationText,
  formatDate,
  formatDateTime,
  isCatalogRef,
  relativeDays,
} from './format';

const useStyles = makeStyles(theme => ({
  item: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1.5),
    marginBottom: theme.spacing(1.5),
  },
  heading: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  // Label / value pairs; one column on narrow screens.
  details: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    [theme.breakpoints.down('xs')]: {
      gridTemplateColumns: 'minmax(0, 1fr)',
    },
    '& dt': {
      color: theme.palette.text.secondary,
      fontWeight: 500,
    },
    '& dd': {
      margin: 0,
      overflowWrap: 'anywhere',
      [theme.breakpoints.down('xs')]: { marginBottom: theme.spacing(0.5) },
    },
  },
  purpose: { whiteSpace: 'pre-wrap' },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));

function Ref(props: { entityRef: string; title?: string }) {
  return isCatalogRef(props.entityRef) ? (
    <EntityRefLink entityRef={props.entityRef} title={props.title} />
  ) : (
    <>{props.entityRef}</>
  );
}

/**
 * One access request: what, for whom, why, how long, its status and the
 * decision; the actions that apply to it go in `actions`.
 */
export function AccessRequestSummary(props: {
  request: AccessRequest;
  /** Shows which data product or dataset it is for (in lists across entities). */
  showEntity?: boolean;
  /** Heading level of the entity title inside the list. */
  headingComponent?: 'h3' | 'h4' | 'h5' | 'h6';
  children?: ReactNode;
  actions?: ReactNode;
}) {
  const { request, showEntity, children, actions } = props;
  const classes = useStyles();
  const headingId = `access-request-${request.id}`;
  return (
    <Box
      component="li"
      className={classes.item}
      aria-labelledby={headingId}
      data-testid="access-request"
      style={{ listStyle: 'none' }}
    >
      <div className={classes.heading}>
        <Typography
          id={headingId}
          variant="subtitle2"
          component={props.headingComponent ?? 'h4'}
        >
          {showEntity ? (
            <Ref entityRef={request.entityRef} title={request.entityTitle} />
          ) : (
            <>
              {request.targetKind === 'dataset' ? 'Dataset ' : 'Data product '}
              {request.entityTitle ?? request.entityRef}
            </>
          )}
        </Typography>
        <AccessRequestStatusChip status={request.status} />
      </div>
      <dl className={classes.details}>
        <dt>Requested by</dt>
        <dd>
          <Ref entityRef={request.requesterRef} /> on{' '}
          {formatDateTime(request.createdAt)}
          {request.source === 'datazone' ? ' (in the DataZone portal)' : ''}
        </dd>
        <dt>For team</dt>
        <dd>
          <Ref entityRef={request.teamRef} />
        </dd>
        <dt>Purpose</dt>
        <dd className={classes.purpose}>{request.purpose}</dd>
        <dt>Access</dt>
        <dd>{ACCESS_LEVEL_LABEL[request.accessLevel]}</dd>
        <dt>Duration</dt>
        <dd>{durationText(request)}</dd>
        {request.expiresAt && (
          <>
            <dt>{request.status === 'active' ? 'Expires' : 'Was to expire'}</dt>
            <dd>
              {formatDate(request.expiresAt)}
              {request.status === 'active'
                ? ` (${relativeDays(request.expiresAt)})`
                : ''}
            </dd>
          </>
        )}
        {request.reviewerRef && (
          <>
            <dt>Decided by</dt>
            <dd>
              <Ref entityRef={request.reviewerRef} />
              {request.decidedAt
                ? ` on ${formatDateTime(request.decidedAt)}`
                : ''}
            </dd>
          </>
        )}
        {request.decisionReason && (
          <>
            <dt>
              {request.status === 'rejected' || request.status === 'revoked'
                ? 'Reason'
                : 'Comment'}
            </dt>
            <dd className={classes.purpose}>{request.decisionReason}</dd>
          </>
        )}
      </dl>
      {request.failureReason && (
        <Box mt={1}>
          <Alert severity="error">{request.failureReason}</Alert>
        </Box>
      )}
      {children}
      {actions && <div className={classes.actions}>{actions}</div>}
    </Box>
  );
}
