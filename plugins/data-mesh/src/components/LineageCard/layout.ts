// A left-to-right layered layout for lineage graphs, in linear time per pass.
//
// Every node has the same size, so there is nothing to measure: the layout is
// computed once per graph, before the first paint (dagre, which the catalog's
// DependencyGraph runs, needs ~0.4–0.9 s per pass at 500 nodes and runs at least
// twice, around a DOM measuring pass).

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
  /** Ordering and placement passes (default 4). */
  passes?: number;
  /**
   * Nodes without edges go in the column of the first of these that has edges
   * (e.g. the entity asked for, so a product's dataset without lineage sits with
   * its siblings rather than in the leftmost column).
   */
  alignIsolatedWith?: string[];
}

const mean = (values: number[]) =>
  values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * Lays out `nodes` in columns so that every edge goes left to right (cycles are
 * broken at the edge that closes them), sources sit right before what they
 * feed, nodes are ordered to cross few edges (barycenters) and placed level with
 * their neighbours without overlapping.
 */
export function layoutLineage(
  nodes: ReadonlyArray<{ id: string }>,
  edges: ReadonlyArray<{ from: string; to: string }>,
  options: LayoutOptions,
): LineageLayout {
  const { nodeWidth, nodeHeight, rankGap, nodeGap, padding } = options;
  const passes = options.passes ?? 4;
  const n = nodes.length;
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const seen = new Set<string>();
  const kept: Array<[number, number, { from: string; to: string }]> = [];
  for (const edge of edges) {
    const a = index.get(edge.from);
    const b = index.get(edge.to);
    const key = `${edge.from}\u0000${edge.to}`;
    if (a === undefined || b === undefined || a === b || seen.has(key))
      continue;
    seen.add(key);
    kept.push([a, b, edge]);
  }

  // Break cycles: an edge to a node still on the DFS stack is reversed for ranking.
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const forward: number[][] = nodes.map(() => []);
  const adjacency: number[][] = nodes.map(() => []);
  for (const [a, b] of kept) adjacency[a].push(b);
  for (let s = 0; s < n; s++) {
    if (state[s]) continue;
    const stack: Array<[number, number]> = [[s, 0]];
    state[s] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i < adjacency[v].length) {
        top[1]++;
        const w = adjacency[v][i];
        if (state[w] === 0) {
          state[w] = 1;
          forward[v].push(w);
          stack.push([w, 0]);
        } else if (state[w] === 2) {
          forward[v].push(w);
        } else {
          forward[w].push(v); // closes a cycle: ranked the other way
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  for (let v = 0; v < n; v++) forward[v] = [...new Set(forward[v])];
  const preds: number[][] = nodes.map(() => []);
  for (let v = 0; v < n; v++) for (const w of forward[v]) preds[w].push(v);

  // Longest path from the sources (Kahn's order), then sources pulled right next
  // to the first node they feed.
  const indegree = preds.map(p => p.length);
  const order: number[] = [];
  for (let v = 0; v < n; v++) if (indegree[v] === 0) order.push(v);
  for (let i = 0; i < order.length; i++) {
    for (const w of forward[order[i]]) if (--indegree[w] === 0) order.push(w);
  }
  const rank = new Array<number>(n).fill(0);
  for (const v of order)
    for (const w of forward[v]) rank[w] = Math.max(rank[w], rank[v] + 1);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i];
    if (preds[v].length === 0 && forward[v].length > 0) {
      rank[v] = Math.min(...forward[v].map(w => rank[w])) - 1;
    }
  }
  const minRank = n ? Math.min(...rank) : 0;
  for (let v = 0; v < n; v++) rank[v] -= minRank;
  const anchor = (options.alignIsolatedWith ?? [])
    .map(id => index.get(id))
    .find(v => v !== undefined && (preds[v].length || forward[v].length));
  if (anchor !== undefined) {
    for (let v = 0; v < n; v++) {
      if (!preds[v].length && !forward[v].length) rank[v] = rank[anchor];
    }
  }
  const ranks = n ? Math.max(...rank) + 1 : 0;

  // Columns, ordered by barycenters of the neighbours' positions, sweeping
  // right then left; a node without neighbours on that side keeps its place.
  const columns: number[][] = Array.from({ length: ranks }, () => []);
  for (let v = 0; v < n; v++) columns[rank[v]].push(v);
  const position = new Float64Array(n);
  const number = () =>
    columns.forEach(column => column.forEach((v, i) => (position[v] = i)));
  number();
  const neighboursLeft = (v: number) => preds[v];
  const neighboursRight = (v: number) => forward[v];
  for (let pass = 0; pass < passes; pass++) {
    const right = pass % 2 === 0;
    const sequence = right
      ? columns.map((_, r) => r)
      : columns.map((_, r) => ranks - 1 - r);
    for (const r of sequence) {
      const column = columns[r];
      const key = column.map(v => {
        const near = right ? neighboursLeft(v) : neighboursRight(v);
        return near.length ? mean(near.map(w => position[w])) : position[v];
      });
      const sorted = column
        .map((v, i) => ({ v, k: key[i], i }))
        .sort((a, b) => a.k - b.k || a.i - b.i)
        .map(e => e.v);
      columns[r] = sorted;
      sorted.forEach((v, i) => (position[v] = i));
    }
  }

  // Vertical places: each node as level with its neighbours as the column's order
  // and spacing allow (the mean of a top-down and a bottom-up packing, both valid).
  const pitch = nodeHeight + nodeGap;
  const y = new Float64Array(n);
  const tallest = Math.max(0, ...columns.map(c => c.length));
  columns.forEach(column => {
    const offset = ((tallest - column.length) * pitch) / 2;
    column.forEach((v, i) => (y[v] = offset + i * pitch));
  });
  const place = (column: number[], desired: number[]) => {
    const down = new Float64Array(column.length);
    const up = new Float64Array(column.length);
    for (let i = 0; i < column.length; i++) {
      down[i] =
        i === 0 ? desired[0] : Math.max(desired[i], down[i - 1] + pitch);
    }
    for (let i = column.length - 1; i >= 0; i--) {
      up[i] =
        i === column.length - 1
          ? desired[i]
          : Math.min(desired[i], up[i + 1] - pitch);
    }
    column.forEach((v, i) => (y[v] = (down[i] + up[i]) / 2));
  };
  for (let pass = 0; pass < passes; pass++) {
    const right = pass % 2 === 0;
    const sequence = right
      ? columns.map((_, r) => r)
      : columns.map((_, r) => ranks - 1 - r);
    for (const r of sequence) {
      const column = columns[r];
      if (column.length === 0) continue;
      place(
        column,
        column.map(v => {
          const near = [...preds[v], ...forward[v]];
          return near.length ? mean(near.map(w => y[w])) : y[v];
        }),
      );
    }
  }

  const top = n ? Math.min(...Array.from(y)) : 0;
  const placed = new Map<string, PlacedNode>();
  let bottom = 0;
  nodes.forEach((node, v) => {
    const py = padding + y[v] - top;
    bottom = Math.max(bottom, py + nodeHeight);
    placed.set(node.id, {
      x: padding + rank[v] * (nodeWidth + rankGap),
      y: py,
      rank: rank[v],
    });
  });
  const width = n
    ? padding * 2 + ranks * nodeWidth + (ranks - 1) * rankGap
    : padding * 2;
  const height = n ? bottom + padding : padding * 2;

  const placedEdges: PlacedEdge[] = kept.map(([a, b, edge]) => {
    const from = placed.get(nodes[a].id)!;
    const to = placed.get(nodes[b].id)!;
    const x1 = from.x + nodeWidth;
    const y1 = from.y + nodeHeight / 2;
    const x2 = to.x;
    const y2 = to.y + nodeHeight / 2;
    // A backward edge (closing a cycle) swings out on both sides.
    const bend = Math.max(rankGap / 2, Math.abs(x2 - x1) / 2);
    const path = `M${x1},${y1} C${x1 + bend},${y1} ${
      x2 - bend
    },${y2} ${x2},${y2}`;
    return {
      from: edge.from,
      to: edge.to,
      path,
      labelX: (x1 + x2) / 2,
      labelY: (y1 + y2) / 2,
    };
  });
  return { width, height, nodes: placed, edges: placedEdges };
}
