import { useApi } from '@backstage/core-plugin-api';
import { AccessRequest } from '@data-mesh-portal/plugin-data-mesh-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataMeshAccessRequestsApiRef } from '../../api/AccessRequestsClient';
import { formatDateTime } from '../AccessRequestParts';

/**
 * Whether AWS shows an active request's grant right now (Lake Formation
 * permissions or DataZone subscription grants), read through the backend.
 */
export function GrantCheck(props: { request: AccessRequest }) {
  const { request } = props;
  const api = useApi(dataMeshAccessRequestsApiRef);
  const check = useAsyncRetry(
    () => api.verifyGrant(request.id),
    [api, request.id, request.updatedAt],
  );
  if (check.loading && !check.value) {
    return (
      <Box display="flex" alignItems="center" mt={1} role="status">
        <CircularProgress size={16} aria-hidden />
        <Typography variant="body2" style={{ marginLeft: 8 }}>
          Checking the grant in AWS…
        </Typography>
      </Box>
    );
  }
  if (check.error) {
    return (
      <Box mt={1}>
        <Alert
          severity="warning"
          action={
            <Button color="inherit" size="small" onClick={check.retry}>
              Check again
            </Button>
          }
        >
          Could not check the grant in AWS: {check.error.message}
        </Alert>
      </Box>
    );
  }
  const v = check.value!;
  if (!v.granted) {
    return (
      <Box mt={1}>
        <Alert severity="warning" data-testid="grant-unverified">
          AWS does not show this grant right now
          {v.detail ? `: ${v.detail}` : ''}. Ask the owners of the data product
          to check it; the portal also re-checks grants regularly.
        </Alert>
      </Box>
    );
  }
  const tables = v.tables
    .map(t => `${t.permissions.join(', ')} on ${t.databaseName}.${t.tableName}`)
    .join('; ');
  return (
    <Box mt={1}>
      <Alert severity="success" data-testid="grant-verified">
        Verified in AWS ({v.mode === 'datazone' ? 'DataZone' : 'Lake Formation'}
        ) at {formatDateTime(v.checkedAt)}
        {tables ? `: ${tables}` : ''}
        {v.subscriptionGrantStatuses?.length
          ? ` (subscription grants: ${v.subscriptionGrantStatuses.join(', ')})`
          : ''}
        {v.principal ? `, granted to ${v.principal}` : ''}.
      </Alert>
    </Box>
  );
}
