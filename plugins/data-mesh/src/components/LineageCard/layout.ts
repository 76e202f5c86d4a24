// Lays out lineage graphs left to right with dagre (a layered, Sugiyama-style
// layout library). Every node has the same size, so nothing is measured in the
// DOM and the layout runs once per graph, before the first paint; the catalog's
// DependencyGraph instead lays out around a measuring pass, twice or more, which
// made 500-node graphs take seconds.
import dagre from '@dagrejs/dagre';

/** Where one node goes: its top-left corner. */
export interface PlacedNode {
  x: number;
  y: number;
  /** Column, left to right (upstream to downstream). */
  rank: number;
}

/** A drawn edge: an SVG path from the right side of `from` to the left side of `to`. */
export interface PlacedEdge {
  from: string;
  to: string;
  path: string;
  /** Middle of the curve (for a label). */
  labelX: number;
  labelY: number;
}

export interface LineageLayout {
  width: number;
  height: number;
  nodes: Map<string, PlacedNode>;
  edges: PlacedEdge[];
}

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Horizontal space between columns. */
  rankGap: number;
  /** Vertical space between nodes of a column. */
  nodeGap: number;
  padding: number;
  /**
   * Nodes without edges go in the column of the first of these that has edges
   * (e.g. the entity asked for, so a product's dataset without lineage sits with
   * its siblings rather than in the leftmost column).
   */
  alignIsolatedWith?: string[];
}

type Point = { x: number; y: number };

/** A smooth curve through dagre's edge points: horizontal tangents at each point. */
function curveThrough(points: Point[]): string {
  let path = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const dx = (b.x - a.x) / 2;
    path += ` C${a.x + dx},${a.y} ${b.x - dx},${b.y} ${b.x},${b.y}`;
  }
  return path;
}

/**
 * Lays out `nodes` in columns so that edges go left to right (dagre breaks
 * cycles), ordered to cross few edges. Self-loops, duplicate edges and edges to
 * unknown nodes are left out.
 */
export function layoutLineage(
  nodes: ReadonlyArray<{ id: string }>,
  edges: ReadonlyArray<{ from: string; to: string }>,
  options: LayoutOptions,
): LineageLayout {
  const { nodeWidth, nodeHeight, rankGap, nodeGap, padding } = options;
  const known = new Set(nodes.map(node => node.id));
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({
    rankdir: 'LR',
    ranksep: rankGap,
    nodesep: nodeGap,
    marginx: padding,
    marginy: padding,
  });
  graph.setDefaultEdgeLabel(() => ({}));

  const connected = new Set<string>();
  const kept: Array<{ from: string; to: string }> = [];
  for (const edge of edges) {
    if (!known.has(edge.from) || !known.has(edge.to) || edge.from === edge.to) continue;
    if (graph.hasEdge(edge.from, edge.to)) continue;
    connected.add(edge.from).add(edge.to);
    kept.push(edge);
    graph.setNode(edge.from, { width: nodeWidth, height: nodeHeight });
    graph.setNode(edge.to, { width: nodeWidth, height: nodeHeight });
    graph.setEdge(edge.from, edge.to);
  }
  const isolated = nodes.filter(node => !connected.has(node.id));
  const anchor = (options.alignIsolatedWith ?? []).find(id => connected.has(id));
  if (!anchor) {
    // Nothing to align with: dagre places them in the first column.
    for (const node of isolated) {
      graph.setNode(node.id, { width: nodeWidth, height: nodeHeight });
    }
  }
  dagre.layout(graph);

  // Columns from the x dagre chose (same-size nodes: one x per rank).
  const placed = new Map<string, PlacedNode>();
  const columnXs = [...new Set(graph.nodes().map(id => graph.node(id).x))].sort(
    (a, b) => a - b,
  );
  const rankOf = new Map(columnXs.map((x, rank) => [x, rank]));
  let width = graph.graph().width ?? padding * 2;
  let height = graph.graph().height ?? padding * 2;
  for (const id of graph.nodes()) {
    const { x, y } = graph.node(id);
    placed.set(id, {
      x: x - nodeWidth / 2,
      y: y - nodeHeight / 2,
      rank: rankOf.get(x)!,
    });
  }
  if (anchor) {
    // Below the anchor's column, one after the other.
    const column = placed.get(anchor)!;
    let y = Math.max(
      ...[...placed.values()].filter(p => p.rank === column.rank).map(p => p.y),
    );
    for (const node of isolated) {
      y += nodeHeight + nodeGap;
      placed.set(node.id, { x: column.x, y, rank: column.rank });
    }
    height = Math.max(height, y + nodeHeight + padding);
  }
  if (nodes.length === 0) {
    width = padding * 2;
    height = padding * 2;
  }

  const placedEdges: PlacedEdge[] = kept.map(edge => {
    const points: Point[] = [...(graph.edge(edge.from, edge.to).points ?? [])];
    const from = placed.get(edge.from)!;
    const to = placed.get(edge.to)!;
    if (from.rank < to.rank && points.length >= 2) {
      // Leave from the right side and arrive at the left side (dagre aims at the
      // node's centre, which sends edges to distant rows out of the top or bottom,
      // across the nodes stacked there); its bends in between are kept.
      points[0] = { x: from.x + nodeWidth, y: from.y + nodeHeight / 2 };
      points[points.length - 1] = { x: to.x, y: to.y + nodeHeight / 2 };
    }
    const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    return {
      from: edge.from,
      to: edge.to,
      path: curveThrough(points),
      labelX: middle.x,
      labelY: middle.y,
    };
  });
  return { width, height, nodes: placed, edges: placedEdges };
}
