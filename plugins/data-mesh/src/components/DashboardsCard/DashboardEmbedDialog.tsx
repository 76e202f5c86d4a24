import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { QUICKSIGHT_USER_NOT_FOUND_ERROR } from '@data-mesh-portal/plugin-data-mesh-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { dataMeshLineageApiRef } from '../../api/DataMeshLineageApi';

/** Which dashboard to show, and the data product or dataset it is opened from. */
export interface DashboardToOpen {
  dashboardId: string;
  title: string;
  entityRef: string;
}

/** Whether an error is the backend's "you have no QuickSight account". */
export function isNoQuickSightUser(error: unknown): error is ResponseError {
  return (
    error instanceof ResponseError &&
    error.response.status === 404 &&
    error.body?.error?.name === QUICKSIGHT_USER_NOT_FOUND_ERROR
  );
}

function EmbeddedDashboard(props: { dashboard: DashboardToOpen }) {
  const { dashboard } = props;
  const api = useApi(dataMeshLineageApiRef);
  // A new URL every time the dialog opens: they are single-use and personal.
  const { value, loading, error } = useAsync(
    () =>
      api.getEmbedUrl({
        entityRef: dashboard.entityRef,
        dashboardId: dashboard.dashboardId,
      }),
    [api, dashboard.entityRef, dashboard.dashboardId],
  );
  if (loading) return <Progress />;
  if (isNoQuickSightUser(error)) {
    return (
      <Alert severity="info" data-testid="no-quicksight-account">
        {error.body.error.message}
      </Alert>
    );
  }
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <iframe
      title={dashboard.title}
      src={value!.embedUrl}
      style={{ border: 0, width: '100%', height: '70vh' }}
      referrerPolicy="no-referrer"
      allow="fullscreen"
    />
  );
}

/** A dialog showing one QuickSight dashboard embedded through a fresh embed URL. */
export function DashboardEmbedDialog(props: {
  dashboard?: DashboardToOpen;
  onClose: () => void;
}) {
  const { dashboard, onClose } = props;
  return (
    <Dialog open={!!dashboard} onClose={onClose} fullWidth maxWidth="xl">
      <DialogTitle>{dashboard?.title}</DialogTitle>
      <DialogContent>
        {dashboard && <EmbeddedDashboard dashboard={dashboard} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
