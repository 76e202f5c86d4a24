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
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  LINEAGE_DEFAULT_DEPTH,
  LINEAGE_MAX_DEPTH,
  LineageGraph,
} from '@data-mesh-portal/plugin-data-mesh-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataMeshLineageApiRef } from '../../api/DataMeshLineageApi';
import {
  DashboardEmbedDialog,
  DashboardToOpen,
} from '../DashboardsCard/DashboardEmbedDialog';
import { LineageGraphView } from './LineageGraphView';

function ColumnLineageTable(props: { graph: LineageGraph }) {
  const { graph } = props;
  const titles = new Map(graph.nodes.map(n => [n.id, n.title]));
  if (graph.columnEdges.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        DataZone has no column-level lineage for these datasets.
      </Typography>
    );
  }
  return (
    <Table size="small" data-testid="column-lineage">
      <TableHead>
        <TableRow>
          <TableCell>Column</TableCell>
          <TableCell>Derived from</TableCell>
          <TableCell>By</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {graph.columnEdges.map(edge => (
          <TableRow
            key={`${edge.from}.${edge.fromColumn}>${edge.to}.${edge.toColumn}`}
          >
            <TableCell>
              {titles.get(edge.to)}.{edge.toColumn}
            </TableCell>
            <TableCell>
              {titles.get(edge.from)}.{edge.fromColumn}
            </TableCell>
            <TableCell>
              {[
                edge.via ? titles.get(edge.via) : undefined,
                edge.transformation,
              ]
                .filter(Boolean)
                .join(' · ') || '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Props of {@link LineageView}. */
export interface LineageViewProps {
  /** `card` (the entity card) or `page` (the full-page tab, with column lineage). */
  variant: 'card' | 'page';
}

/**
 * The lineage graph of the current data product or dataset: DataZone lineage
 * (datasets and the jobs between them) with consumers and dashboards, to a
 * chosen depth.
 */
export function LineageView(props: LineageViewProps) {
  const { variant } = props;
  const { entity } = useEntity();
  const api = useApi(dataMeshLineageApiRef);
  const entityLink = useEntityRefLink();
  const entityRef = stringifyEntityRef(entity);
  const [depth, setDepth] = useState(LINEAGE_DEFAULT_DEPTH);
  const [dashboard, setDashboard] = useState<DashboardToOpen>();
  const onOpenDashboard = useCallback(
    (d: DashboardToOpen) => setDashboard(d),
    [],
  );
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getLineage(getCompoundEntityRef(entity), depth),
    [api, entityRef, depth],
  );

  const depthSelect = (
    <FormControl size="small" variant="outlined">
      <InputLabel id="lineage-depth-label">Depth</InputLabel>
      <Select
        labelId="lineage-depth-label"
        label="Depth"
        value={depth}
        onChange={event => setDepth(Number(event.target.value))}
        inputProps={{ 'aria-label': 'Depth', 'data-testid': 'lineage-depth' }}
      >
        {Array.from({ length: LINEAGE_MAX_DEPTH }, (_, i) => i + 1).map(n => (
          <MenuItem key={n} value={n}>
            {n} {n === 1 ? 'level' : 'levels'}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
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
  } else if (
    !value ||
    value.nodes.length === 0 ||
    (value.edges.length === 0 && value.nodes.length <= 1)
  ) {
    content = (
      <EmptyState
        missing="data"
        title="No lineage recorded"
        description="DataZone has no lineage for this data yet, and nobody consumes it. Producers make it appear by posting an OpenLineage run event to DataZone for each pipeline run (see the data-mesh plugin README, “Lineage for producers”)."
      />
    );
  } else {
    const graph = value;
    content = (
      <>
        {graph.truncated && (
          <Alert severity="info">
            The graph stops at the node limit: choose a smaller depth to see all
            of it.
          </Alert>
        )}
        {graph.warnings.map(warning => (
          <Alert severity="warning" key={warning}>
            {warning}
          </Alert>
        ))}
        <LineageGraphView
          graph={graph}
          onOpenDashboard={onOpenDashboard}
          maxHeight={variant === 'page' ? '75vh' : 480}
          minHeight={variant === 'page' ? 320 : 160}
          zoom={variant === 'page' ? 'enabled' : 'enable-on-click'}
        />
        <Typography variant="caption" color="textSecondary" component="p">
          {graph.nodes.length} nodes · upstream on the left, downstream on the
          right · select a catalog node to open its page
          {variant === 'card' && graph.columnEdges.length > 0
            ? ` · ${graph.columnEdges.length} column-level links on the Lineage tab`
            : ''}
        </Typography>
        {variant === 'page' && (
          <Box mt={2}>
            <Typography variant="h6">Column lineage</Typography>
            <ColumnLineageTable graph={graph} />
          </Box>
        )}
      </>
    );
  }

  const body = (
    <>
      <Box display="flex" justifyContent="flex-end" mb={1}>
        {depthSelect}
      </Box>
      {content}
      <DashboardEmbedDialog
        dashboard={dashboard}
        onClose={() => setDashboard(undefined)}
      />
    </>
  );
  if (variant === 'page') return <Box p={2}>{body}</Box>;
  return (
    <InfoCard
      title="Lineage"
      subheader="Where this data comes from and where it goes (DataZone, catalog, QuickSight)"
      deepLink={{
        title: 'Full lineage',
        link: `${entityLink(entity)}/lineage`,
      }}
    >
      {body}
    </InfoCard>
  );
}

/** Lineage card for data product and dataset pages. */
export function LineageCard() {
  return <LineageView variant="card" />;
}

/** Full-page lineage tab for data product and dataset pages, with column lineage. */
export function LineageContent() {
  return <LineageView variant="page" />;
}
