import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  LineageGraph,
  LineageGraphNode,
  LineageNodeKind,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  KeyboardEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useNavigate } from 'react-router-dom';

const NODE_WIDTH = 188;
const NODE_HEIGHT = 46;

const KIND_LABEL: Record<LineageNodeKind, string> = {
  dataset: 'Dataset',
  job: 'Job',
  consumer: 'Consumer',
  dashboard: 'Dashboard',
};

const KIND_COLOR: Record<LineageNodeKind, string> = {
  dataset: '#1565c0',
  job: '#6a1b9a',
  consumer: '#2e7d32',
  dashboard: '#ef6c00',
};

const useStyles = makeStyles(theme => ({
  node: {
    cursor: 'default',
    '&[role="link"], &[role="button"]': { cursor: 'pointer' },
    '&:focus': { outline: 'none' },
    '&:focus > rect, &:hover > rect': { strokeWidth: 3 },
  },
  box: { fill: theme.palette.background.paper, strokeWidth: 1.5 },
  root: { strokeWidth: 3 },
  title: { fill: theme.palette.text.primary, fontSize: 13, fontWeight: 500 },
  subtitle: { fill: theme.palette.text.secondary, fontSize: 11 },
  // Positioned, not scrolling: DependencyGraph's full-screen button stays in the
  // top-right corner of the frame while the drawing scrolls.
  frame: { position: 'relative', width: '100%' },
  scroller: { overflow: 'auto', width: '100%' },
}));

const truncate = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

function subtitleOf(node: LineageGraphNode): string {
  if (node.kind === 'job' && node.lastRun?.at) {
    return `Job · last run ${new Date(node.lastRun.at).toLocaleDateString()}`;
  }
  if (node.kind === 'dataset' && !node.entityRef) {
    return 'Dataset · not in the catalog';
  }
  return KIND_LABEL[node.kind];
}

type NodeData = LineageGraphNode & {
  href?: string;
  onOpen?: () => void;
};

function roleOf(node: NodeData): 'link' | 'button' | undefined {
  if (node.href) return 'link';
  return node.onOpen ? 'button' : undefined;
}

const EDGE_LABEL: Record<
  LineageGraph['edges'][number]['kind'],
  string | undefined
> = {
  lineage: undefined,
  consumes: 'access',
  dashboard: 'reads',
};

function LineageNode(props: { node: NodeData }) {
  const { node } = props;
  const classes = useStyles();
  const navigate = useNavigate();
  const color = KIND_COLOR[node.kind];
  const activate = () => {
    if (node.onOpen) node.onOpen();
    else if (node.href) navigate(node.href);
  };
  const interactive = !!(node.href || node.onOpen);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate();
    }
  };
  const description = [
    `${KIND_LABEL[node.kind]}: ${node.title}`,
    node.entityRef,
    node.sourceIdentifier,
    node.lastRun?.at ? `last run ${node.lastRun.at}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <g
      className={classes.node}
      data-testid={`lineage-node-${node.id}`}
      data-kind={node.kind}
      role={roleOf(node)}
      aria-label={`${KIND_LABEL[node.kind]} ${node.title}`}
      tabIndex={interactive ? 0 : undefined}
      onClick={interactive ? activate : undefined}
      onKeyDown={interactive ? onKeyDown : undefined}
    >
      <title>{description}</title>
      <rect
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={node.kind === 'job' ? 23 : 6}
        className={`${classes.box} ${node.root ? classes.root : ''}`}
        stroke={color}
        strokeDasharray={
          node.kind === 'dataset' && !node.entityRef ? '4 3' : undefined
        }
      />
      <rect width={6} height={NODE_HEIGHT} rx={3} fill={color} />
      <text x={14} y={19} className={classes.title}>
        {truncate(node.title, 24)}
      </text>
      <text x={14} y={36} className={classes.subtitle}>
        {truncate(subtitleOf(node), 30)}
      </text>
    </g>
  );
}

/** Props of {@link LineageGraphView}. */
export interface LineageGraphViewProps {
  graph: LineageGraph;
  /** Opens a dashboard node (its id and the dataset entity it was reached from). */
  onOpenDashboard?: (dashboard: {
    dashboardId: string;
    title: string;
    entityRef: string;
  }) => void;
  /**
   * Largest height of the drawing area before it scrolls; the graph is drawn at its
   * natural size (legible labels) and scrolls both ways when larger.
   */
  maxHeight?: number | string;
  /** Smallest height of the drawing area. */
  minHeight?: number | string;
  /**
   * Wheel and drag zoom: `enabled` (a page of its own) or `enable-on-click` (a
   * card, so that the wheel scrolls the page until the graph is clicked).
   */
  zoom?: 'enabled' | 'enable-on-click';
}

/**
 * The smallest scale a wide graph is drawn at: labels stay legible (13 px titles
 * at 0.8 are about 10 px) and more of the graph fits before it scrolls.
 */
const MIN_SCALE = 0.8;

/**
 * The width the graph's layout needs, as DependencyGraph's drawing says
 * (viewBox), and whether that is wider than the frame at {@link MIN_SCALE}.
 */
function useLayoutWidth() {
  const [width, setWidth] = useState<number>();
  const [overflows, setOverflows] = useState(false);
  const observer = useRef<MutationObserver>();
  const ref = useCallback((root: HTMLDivElement | null) => {
    observer.current?.disconnect();
    if (!root) return;
    const read = () => {
      const box = root
        .querySelector('svg#dependency-graph')
        ?.getAttribute('viewBox')
        ?.split(/\s+/)
        .map(Number);
      const next = box?.[2];
      if (next && Number.isFinite(next) && next > 0) {
        setWidth(previous =>
          previous !== undefined && Math.abs(previous - next) < 1
            ? previous
            : Math.ceil(next),
        );
        const visible = root.parentElement?.clientWidth ?? 0;
        setOverflows(visible > 0 && next * MIN_SCALE > visible + 1);
      }
    };
    observer.current = new MutationObserver(read);
    observer.current.observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['viewBox'],
    });
    read();
  }, []);
  useEffect(() => () => observer.current?.disconnect(), []);
  return [ref, width, overflows] as const;
}

export function LineageGraphView(props: LineageGraphViewProps) {
  const {
    graph,
    onOpenDashboard,
    maxHeight = 480,
    minHeight = 160,
    zoom = 'enable-on-click',
  } = props;
  const classes = useStyles();
  const [measure, layoutWidth, overflows] = useLayoutWidth();
  const entityLink = useEntityRefLink();

  const { nodes, edges } = useMemo(() => {
    const byId = new Map(graph.nodes.map(n => [n.id, n]));
    const dashboardSource = new Map<string, string>();
    for (const edge of graph.edges) {
      const from = byId.get(edge.from);
      if (
        edge.kind === 'dashboard' &&
        from?.entityRef &&
        !dashboardSource.has(edge.to)
      ) {
        dashboardSource.set(edge.to, from.entityRef);
      }
    }
    return {
      nodes: graph.nodes.map(
        (node): DependencyGraphTypes.DependencyNode<NodeData> => {
          const data: NodeData = { ...node };
          if (node.entityRef) data.href = entityLink(node.entityRef);
          const source = dashboardSource.get(node.id);
          if (
            node.kind === 'dashboard' &&
            node.dashboardId &&
            source &&
            onOpenDashboard
          ) {
            const dashboardId = node.dashboardId;
            data.onOpen = () =>
              onOpenDashboard({
                dashboardId,
                title: node.title,
                entityRef: source,
              });
          }
          return data;
        },
      ),
      edges: graph.edges.map(edge => ({
        from: edge.from,
        to: edge.to,
        label: EDGE_LABEL[edge.kind],
      })),
    };
  }, [graph, entityLink, onOpenDashboard]);

  // The graph keeps a legible scale: the drawing is at least MIN_SCALE of its
  // layout's width (DependencyGraph would otherwise shrink a wide graph into a
  // thin strip to fit the card) and as tall as it needs (fit="grow"); the frame
  // scrolls beyond that, and says so.
  return (
    <div className={classes.frame} data-testid="lineage-graph">
      <div
        className={classes.scroller}
        style={{ maxHeight, minHeight }}
        data-testid="lineage-graph-scroller"
      >
        <div
          ref={measure}
          style={{
            minWidth: layoutWidth ? Math.ceil(layoutWidth * MIN_SCALE) : '100%',
          }}
          data-layout-width={layoutWidth}
        >
          <DependencyGraph<NodeData, unknown>
            nodes={nodes}
            edges={edges}
            direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
            renderNode={LineageNode}
            nodeMargin={20}
            rankMargin={64}
            paddingX={16}
            paddingY={16}
            zoom={zoom}
            curve="curveMonotoneX"
            showArrowHeads
            fit="grow"
          />
        </div>
      </div>
      {overflows && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          data-testid="lineage-graph-overflow"
        >
          Scroll sideways for the rest of the graph, or open it full screen.
        </Typography>
      )}
    </div>
  );
}
