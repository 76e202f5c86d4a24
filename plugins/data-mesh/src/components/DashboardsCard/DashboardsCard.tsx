import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DataMeshDashboard } from '@data-mesh-portal/plugin-data-mesh-common';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataMeshLineageApiRef } from '../../api/DataMeshLineageApi';
import { DashboardEmbedDialog, DashboardToOpen } from './DashboardEmbedDialog';

function describe(dashboard: DataMeshDashboard): string {
  const parts = [
    dashboard.owners.length
      ? `Owner${
          dashboard.owners.length > 1 ? 's' : ''
        }: ${dashboard.owners.join(', ')}`
      : 'Owner unknown',
    dashboard.lastUpdatedAt
      ? `updated ${new Date(dashboard.lastUpdatedAt).toLocaleString()}`
      : undefined,
    `reads ${dashboard.tables.map(t => `${t.database}.${t.table}`).join(', ')}`,
  ];
  return parts.filter(Boolean).join(' · ');
}

/**
 * The QuickSight dashboards built on a data product's or dataset's tables;
 * *Open* shows one embedded, through an embed URL made for the signed-in user
 * at that moment.
 */
export function DashboardsCard() {
  const { entity } = useEntity();
  const api = useApi(dataMeshLineageApiRef);
  const entityRef = stringifyEntityRef(entity);
  const [open, setOpen] = useState<DashboardToOpen>();
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getDashboards(getCompoundEntityRef(entity)),
    [api, entityRef],
  );

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = (
      <>
        <ResponseErrorPanel error={error} />
        <Button onClick={retry}>Try again</Button>
      </>
    );
  } else if (!value?.configured) {
    content = (
      <EmptyState
        missing="field"
        title="QuickSight is not set up"
        description="The portal has no QuickSight account configured (dataMesh.quickSight in app-config), so dashboards cannot be listed."
      />
    );
  } else if (value.dashboards.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title="No dashboards yet"
        description="No QuickSight dashboard reads this data product's tables."
      />
    );
  } else {
    content = (
      <List dense data-testid="dashboards-list">
        {value.dashboards.map(dashboard => (
          <ListItem key={dashboard.dashboardId}>
            <ListItemText
              primary={dashboard.name}
              secondary={describe(dashboard)}
            />
            <ListItemSecondaryAction>
              <Button
                size="small"
                variant="outlined"
                aria-label={`Open ${dashboard.name}`}
                onClick={() =>
                  setOpen({
                    dashboardId: dashboard.dashboardId,
                    title: dashboard.name,
                    entityRef,
                  })
                }
              >
                Open
              </Button>
            </ListItemSecondaryAction>
          </ListItem>
        ))}
      </List>
    );
  }

  return (
    <InfoCard
      title="Dashboards"
      subheader="QuickSight dashboards built on this data"
    >
      {content}
      <DashboardEmbedDialog
        dashboard={open}
        onClose={() => setOpen(undefined)}
      />
    </InfoCard>
  );
}
