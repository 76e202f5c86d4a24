import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  SloErrorBudget,
  SloHistoryDay,
  SloObjective,
  SloReport,
  SloStatus,
} from '@data-mesh-portal/plugin-data-mesh-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dataMeshSloApiRef } from '../../api/DataMeshSloApi';

const STATUS_LABEL: Record<SloStatus, string> = {
  met: 'Met',
  'at-risk': 'At risk',
  breached: 'Breached',
  unknown: 'Unknown',
};

const STATUS_COLOR: Record<SloStatus, string> = {
  met: '#2e7d32',
  'at-risk': '#ed6c02',
  breached: '#d32f2f',
  unknown: '#757575',
};

/** A status chip: colour plus text, so it reads without colour too. */
export function SloStatusChip(props: { status: SloStatus }) {
  const { status } = props;
  return (
    <Chip
      size="small"
      label={STATUS_LABEL[status]}
      data-testid={`slo-status-${status}`}
      style={{ backgroundColor: STATUS_COLOR[status], color: '#fff' }}
    />
  );
}

function relativeTime(iso: string | undefined): string {
  if (!iso) return '—';
  const ms = Date.now() - new Date(iso).getTime();
  if (Number.isNaN(ms)) return '—';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** 30 bars, one per day: the share of measured time in breach, at risk and met. */
export function SloHistorySparkline(props: { history: SloHistoryDay[] }) {
  const { history } = props;
  const width = 6;
  const gap = 2;
  const height = 28;
  const measured = history.filter(
    d => d.met + d.atRisk + d.breached > 0,
  ).length;
  return (
    <svg
      role="img"
      aria-label={`SLO history, ${history.length} days, ${measured} with measurements`}
      width={history.length * (width + gap)}
      height={height}
    >
      {history.map((day, index) => {
        const total = day.met + day.atRisk + day.breached;
        const x = index * (width + gap);
        if (total === 0) {
          return (
            <rect
              key={day.date}
              x={x}
              y={height - 3}
              width={width}
              height={3}
              fill="#bdbdbd"
            >
              <title>{`${day.date}: no measurement`}</title>
            </rect>
          );
        }
        const parts: Array<[number, string]> = [
          [day.breached, STATUS_COLOR.breached],
          [day.atRisk, STATUS_COLOR['at-risk']],
          [day.met, STATUS_COLOR.met],
        ];
        let y = 0;
        const pct = (n: number) => Math.round((n / total) * 100);
        return (
          <g key={day.date}>
            <title>{`${day.date}: ${pct(day.met)} % met, ${pct(
              day.atRisk,
            )} % at risk, ${pct(day.breached)} % breached`}</title>
            {parts.map(([minutes, color], part) => {
              const h = (minutes / total) * height;
              const rect =
                h > 0 ? (
                  <rect
                    key={part}
                    x={x}
                    y={y}
                    width={width}
                    height={h}
                    fill={color}
                  />
                ) : null;
              y += h;
              return rect;
            })}
          </g>
        );
      })}
    </svg>
  );
}

function ErrorBudget(props: { budget: SloErrorBudget }) {
  const { budget } = props;
  const target = `${(budget.target * 100).toFixed(
    budget.target >= 0.99 ? 1 : 0,
  )} %`;
  return (
    <Box>
      <Typography variant="subtitle2">
        Error budget ({budget.windowDays} days, target {target},{' '}
        {budget.targetSource})
      </Typography>
      {budget.remaining !== undefined ? (
        <Box display="flex" alignItems="center">
          <Box flexGrow={1} mr={1}>
            <LinearProgress
              variant="determinate"
              value={Math.round(budget.remaining * 100)}
              aria-label="Error budget left"
            />
          </Box>
          <Typography variant="body2">
            {Math.round(budget.remaining * 100)} % left
          </Typography>
        </Box>
      ) : null}
      <Typography variant="body2" color="textSecondary">
        {budget.reason}
      </Typography>
    </Box>
  );
}

function ObjectivesTable(props: {
  objectives: SloObjective[];
  showDataset: boolean;
}) {
  const { objectives, showDataset } = props;
  // Columns keep a readable width on a narrow card (the table scrolls
  // sideways instead of breaking names and values letter by letter).
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Service-level objectives">
        <TableHead>
          <TableRow>
            <TableCell>Objective</TableCell>
            <TableCell>Target</TableCell>
            <TableCell>Current</TableCell>
            <TableCell>Status</TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>Measured</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {objectives.map(objective => (
            <TableRow key={objective.id}>
              <TableCell style={{ minWidth: 160, overflowWrap: 'anywhere' }}>
                <Typography variant="body2">{objective.title}</Typography>
                {showDataset && objective.dataset ? (
                  <Typography variant="caption" color="textSecondary">
                    {objective.dataset.title ?? objective.dataset.name}
                  </Typography>
                ) : null}
              </TableCell>
              <TableCell style={{ minWidth: 110 }}>
                {objective.target}
              </TableCell>
              <TableCell style={{ minWidth: 90 }}>
                {objective.current ?? '—'}
              </TableCell>
              <TableCell style={{ minWidth: 180 }}>
                <Tooltip title={objective.reason}>
                  <span>
                    <SloStatusChip status={objective.status} />
                  </span>
                </Tooltip>
                <Typography
                  variant="caption"
                  display="block"
                  color="textSecondary"
                >
                  {objective.reason}
                </Typography>
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                <Tooltip
                  title={`${objective.measuredAt ?? 'not measured'}${
                    objective.source ? ` · ${objective.source}` : ''
                  }`}
                >
                  <span>{relativeTime(objective.measuredAt)}</span>
                </Tooltip>
                {objective.flags?.includes('clock-skew') ? (
                  <Typography variant="caption" display="block" color="error">
                    clock skew
                  </Typography>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** The report's body, without fetching: each state of the card. */
export function SloReportView(props: { report: SloReport }) {
  const { report } = props;
  if (report.contractState !== 'valid') {
    const invalid = report.contracts.filter(c => c.state === 'invalid');
    let message =
      'No data contract with service levels: this data promises no SLAs yet.';
    if (report.contractState === 'invalid') {
      message =
        'The data contract is not valid, so its service levels cannot be evaluated.';
    } else if (report.contracts.length === 0) {
      message =
        'This data product has no datasets yet, so there are no service levels to show.';
    }
    return (
      <Box data-testid="slo-no-contract">
        <Typography variant="body1" gutterBottom>
          {message}
        </Typography>
        {invalid.map(contract => (
          <Box key={contract.entityRef} mb={1}>
            <Typography variant="subtitle2">
              {contract.title ?? contract.name}
            </Typography>
            <ul>
              {(contract.errors ?? []).map(error => (
                <li key={`${error.path}:${error.message}`}>
                  <Typography variant="body2" component="span">
                    <code>{error.path}</code>: {error.message}
                  </Typography>
                </li>
              ))}
            </ul>
          </Box>
        ))}
        <Typography variant="body2">
          Add <code>slaProperties</code> and <code>quality</code> rules to the
          product's ODCS data contract (the DataZone data contract form of the
          product).{' '}
          {report.helpUrl ? (
            <Link to={report.helpUrl}>How to write a data contract</Link>
          ) : null}
        </Typography>
      </Box>
    );
  }
  const showDataset = report.contracts.length > 1;
  return (
    <Box>
      <Box display="flex" flexWrap="wrap" alignItems="center" mb={1}>
        {(['breached', 'at-risk', 'unknown', 'met'] as SloStatus[]).map(
          status => (
            <Box key={status} mr={2} display="flex" alignItems="center">
              <SloStatusChip status={status} />
              <Typography variant="body2" style={{ marginLeft: 4 }}>
                {report.summary[status]}
              </Typography>
            </Box>
          ),
        )}
      </Box>
      <ObjectivesTable
        objectives={report.objectives}
        showDataset={showDataset}
      />
      <Box mt={2} display="flex" flexWrap="wrap" alignItems="flex-start">
        <Box mr={4} mb={1}>
          <Typography variant="subtitle2">Last 30 days</Typography>
          <SloHistorySparkline history={report.history} />
        </Box>
        <Box flexGrow={1} minWidth={240}>
          <ErrorBudget budget={report.errorBudget} />
        </Box>
      </Box>
      <Typography variant="caption" color="textSecondary">
        Evaluated {relativeTime(report.evaluatedAt)} from live AWS signals.
      </Typography>
    </Box>
  );
}

/**
 * Service levels of a data product or dataset: each objective of its data
 * contract with target, current value, status, when it was measured, a
 * 30-day history and the error budget.
 *
 * @public
 */
export function SloCard() {
  const { entity } = useEntity();
  const api = useApi(dataMeshSloApiRef);
  const ref = getCompoundEntityRef(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getSloReport(ref),
    [api, ref.kind, ref.namespace, ref.name],
  );
  return (
    <InfoCard
      title="Service levels"
      subheader="From the data contract, measured live"
    >
      {loading && !value ? <Progress /> : null}
      {error ? (
        <Box>
          <ResponseErrorPanel
            error={error}
            title="Could not load the service levels"
          />
          <Button size="small" onClick={() => retry()}>
            Try again
          </Button>
        </Box>
      ) : null}
      {value && !error ? <SloReportView report={value} /> : null}
    </InfoCard>
  );
}
