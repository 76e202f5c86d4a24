import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  LineageGraph,
  LineageGraphNode,
  LineageNodeKind,
} from '@data-mesh-portal/plugin-data-mesh-common';
import IconButton from '@material-ui/core/IconButton';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import FullscreenIcon from '@material-ui/icons/Fullscreen';
import FullscreenExitIcon from '@material-ui/icons/FullscreenExit';
import ZoomInIcon from '@material-ui/icons/ZoomIn';
import ZoomOutIcon from '@material-ui/icons/ZoomOut';
import {
  KeyboardEvent,
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  WheelEvent,
} from 'react';
import { useNavigate } from 'react-router-dom';
import { layoutLineage } from './layout';

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
  frame: {
    width: '100%',
    backgroundColor: theme.palette.background.paper,
  },
  scroller: { overflow: 'auto', width: '100%' },
  // Above the drawing, not over it: the zoom and full-screen buttons stay in
  // view while the drawing scrolls, and hide no node.
  tools: { display: 'flex', justifyContent: 'flex-end' },
  edge: {
    fill: 'none',
    stroke: theme.palette.text.secondary,
    strokeWidth: 1.2,
  },
  arrow: { fill: theme.palette.text.secondary },
  edgeLabel: { fill: theme.palette.text.secondary, fontSize: 11 },
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

// Memoized: zooming or re-rendering the card does not redraw 500 nodes.
const LineageNode = memo(function LineageNodeView(props: {
  node: NodeData;
  x: number;
  y: number;
}) {
  const { node, x, y } = props;
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
      transform={`translate(${x},${y})`}
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
});

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
   * Ctrl/⌘ + wheel (and pinch) zoom: `enabled` (a page of its own) or
   * `enable-on-click` (a card: only once the graph was clicked). The plain wheel
   * always scrolls; the zoom buttons always work.
   */
  zoom?: 'enabled' | 'enable-on-click';
}

/**
 * The smallest scale a wide graph is drawn at to fit the frame: labels stay
 * legible (13 px titles at 0.8 are about 10 px) and more of the graph fits before
 * it scrolls.
 */
const MIN_SCALE = 0.8;
const ZOOM_STEP = 1.25;
const MIN_ZOOM = 0.25;
const MAX_ZOOM = 4;
const LAYOUT = {
  nodeWidth: NODE_WIDTH,
  nodeHeight: NODE_HEIGHT,
  rankGap: 64,
  nodeGap: 20,
  padding: 16,
};

const mean = (values: number[]) =>
  values.reduce((sum, v) => sum + v, 0) / values.length;

/** The frame's inner width, followed as it resizes. */
function useFrameWidth() {
  const [width, setWidth] = useState(0);
  const observer = useRef<ResizeObserver>();
  const ref = useCallback((element: HTMLDivElement | null) => {
    observer.current?.disconnect();
    if (!element) return;
    setWidth(element.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    observer.current = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.current.observe(element);
  }, []);
  useEffect(() => () => observer.current?.disconnect(), []);
  return [ref, width] as const;
}

export function LineageGraphView(props: LineageGraphViewProps) {
  const {
    graph,
    onOpenDashboard,
    maxHeight = 480,
    minHeight = 160,
    zoom: zoomMode = 'enable-on-click',
  } = props;
  const classes = useStyles();
  const entityLink = useEntityRefLink();
  const frame = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement | null>(null);
  const [measure, frameWidth] = useFrameWidth();
  const [zoom, setZoom] = useState(1);
  const [wheelZoom, setWheelZoom] = useState(zoomMode === 'enabled');
  const [fullscreen, setFullscreen] = useState(false);

  const nodes = useMemo(() => {
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
    return graph.nodes.map((node): NodeData => {
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
    });
  }, [graph, entityLink, onOpenDashboard]);

  // Laid out once per graph (not on every render, zoom or resize).
  const layout = useMemo(
    () =>
      layoutLineage(graph.nodes, graph.edges, {
        ...LAYOUT,
        alignIsolatedWith: graph.nodes.filter(n => n.root).map(n => n.id),
      }),
    [graph],
  );

  // Drawn elements, kept across zoom changes and re-renders.
  const drawing = useMemo(() => {
    const kinds = new Map(
      graph.edges.map(e => [`${e.from}\u0000${e.to}`, e.kind]),
    );
    return (
      <>
        <g>
          {layout.edges.map(edge => {
            const label =
              EDGE_LABEL[
                kinds.get(`${edge.from}\u0000${edge.to}`) ?? 'lineage'
              ];
            return (
              <g key={`${edge.from}\u0000${edge.to}`}>
                <path
                  d={edge.path}
                  className={classes.edge}
                  markerEnd="url(#lineage-arrow)"
                />
                {label && (
                  <text
                    x={edge.labelX}
                    y={edge.labelY - 4}
                    textAnchor="middle"
                    className={classes.edgeLabel}
                  >
                    {label}
                  </text>
                )}
              </g>
            );
          })}
        </g>
        {nodes.map(node => {
          const at = layout.nodes.get(node.id)!;
          return <LineageNode key={node.id} node={node} x={at.x} y={at.y} />;
        })}
      </>
    );
  }, [graph.edges, layout, nodes, classes]);

  useEffect(() => {
    const onChange = () =>
      setFullscreen(
        !!frame.current && document.fullscreenElement === frame.current,
      );
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  const toggleFullscreen = () => {
    if (document.fullscreenElement) document.exitFullscreen?.();
    else frame.current?.requestFullscreen?.();
  };

  // The graph keeps a legible scale: fitted to the frame's width but never below
  // MIN_SCALE (a wide graph scrolls sideways instead of shrinking into a thin
  // strip) nor above its natural size; then zoomed.
  const visible = frameWidth || layout.width;
  const fit = Math.min(1, Math.max(MIN_SCALE, visible / layout.width));
  const scale = fit * zoom;
  const drawnWidth = Math.ceil(layout.width * scale);
  const drawnHeight = Math.ceil(layout.height * scale);
  const overflows = layout.width * MIN_SCALE > visible + 1 || zoom > 1;
  // Zooming keeps the middle of the view where it was.
  const keepCenter = useRef<{ x: number; y: number }>();
  const changeZoom = (factor: number) => {
    const element = scroller.current;
    if (element && element.scrollWidth > 0 && element.scrollHeight > 0) {
      keepCenter.current = {
        x: (element.scrollLeft + element.clientWidth / 2) / element.scrollWidth,
        y:
          (element.scrollTop + element.clientHeight / 2) / element.scrollHeight,
      };
    }
    setZoom(z => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z * factor)));
  };
  useLayoutEffect(() => {
    const element = scroller.current;
    const center = keepCenter.current;
    if (!element || !center) return;
    keepCenter.current = undefined;
    element.scrollLeft =
      center.x * element.scrollWidth - element.clientWidth / 2;
    element.scrollTop =
      center.y * element.scrollHeight - element.clientHeight / 2;
  }, [scale]);
  // A new graph opens on the entity it was asked for (the root), in the middle
  // of the view: a large graph is taller and wider than the frame.
  const rootScale = useRef(scale);
  rootScale.current = scale;
  useLayoutEffect(() => {
    const element = scroller.current;
    // A product has several: the middle of them.
    const roots = graph.nodes
      .filter(n => n.root)
      .map(n => layout.nodes.get(n.id)!)
      .filter(Boolean);
    if (!element || roots.length === 0) return;
    const k = rootScale.current;
    const cx = mean(roots.map(at => at.x + NODE_WIDTH / 2));
    const cy = mean(roots.map(at => at.y + NODE_HEIGHT / 2));
    element.scrollLeft = Math.max(0, cx * k - element.clientWidth / 2);
    element.scrollTop = Math.max(0, cy * k - element.clientHeight / 2);
    // Again once the frame's width is known (the fitted scale changes).
  }, [graph.nodes, layout, fit]);
  const onWheel = (event: WheelEvent) => {
    if (!wheelZoom || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    changeZoom(event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP);
  };
  // React's wheel listener is passive: preventDefault needs a native one.
  const onWheelRef = useRef(onWheel);
  onWheelRef.current = onWheel;
  useEffect(() => {
    const element = scroller.current;
    if (!element) return undefined;
    const listener = (event: globalThis.WheelEvent) =>
      onWheelRef.current(event as unknown as WheelEvent);
    // On a card, Ctrl/⌘ + wheel zooms once the graph was clicked.
    const arm = () => setWheelZoom(true);
    element.addEventListener('wheel', listener, { passive: false });
    element.addEventListener('pointerdown', arm);
    return () => {
      element.removeEventListener('wheel', listener);
      element.removeEventListener('pointerdown', arm);
    };
  }, []);

  return (
    <div className={classes.frame} data-testid="lineage-graph" ref={frame}>
      <div className={classes.tools}>
        <Tooltip title="Zoom out">
          <IconButton
            size="small"
            aria-label="Zoom out"
            onClick={() => changeZoom(1 / ZOOM_STEP)}
          >
            <ZoomOutIcon fontSize="small" />
          </IconButton>
        </Tooltip>
        <Tooltip title="Zoom in">
          <IconButton
            size="small"
            aria-label="Zoom in"
            onClick={() => changeZoom(ZOOM_STEP)}
          >
            <ZoomInIcon fontSize="small" />
          </IconButton>
        </Tooltip>
        <Tooltip title={fullscreen ? 'Leave full screen' : 'Full screen'}>
          <IconButton
            size="small"
            aria-label={fullscreen ? 'Leave full screen' : 'Full screen'}
            onClick={toggleFullscreen}
          >
            {fullscreen ? (
              <FullscreenExitIcon fontSize="small" />
            ) : (
              <FullscreenIcon fontSize="small" />
            )}
          </IconButton>
        </Tooltip>
      </div>
      <div
        className={classes.scroller}
        style={
          fullscreen
            ? { maxHeight: 'calc(100vh - 40px)', height: 'calc(100vh - 40px)' }
            : { maxHeight, minHeight }
        }
        data-testid="lineage-graph-scroller"
        ref={element => {
          scroller.current = element;
          measure(element);
        }}
      >
        <div
          style={{ width: drawnWidth, margin: '0 auto' }}
          data-layout-width={layout.width}
          data-scale={scale.toFixed(3)}
        >
          <svg
            id="lineage-graph-drawing"
            data-testid="lineage-graph-drawing"
            width={drawnWidth}
            height={drawnHeight}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            role="group"
            aria-label={`Lineage graph, ${graph.nodes.length} nodes`}
          >
            <defs>
              <marker
                id="lineage-arrow"
                viewBox="0 0 10 10"
                refX="10"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" className={classes.arrow} />
              </marker>
            </defs>
            {drawing}
          </svg>
        </div>
      </div>
      {overflows && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          data-testid="lineage-graph-overflow"
        >
          Scroll for the rest of the graph, zoom (buttons, or Ctrl/⌘ + wheel
          {zoomMode === 'enable-on-click' ? ' once clicked' : ''}), or open it
          full screen.
        </Typography>
      )}
    </div>
  );
}
