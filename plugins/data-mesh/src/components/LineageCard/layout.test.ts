import { layoutLineage } from './layout';

const options = {
  nodeWidth: 188,
  nodeHeight: 46,
  rankGap: 64,
  nodeGap: 20,
  padding: 16,
};

/** The benchmark's shape: a root with fans of jobs and tables three levels each way. */
function bigGraph(size: number) {
  const nodes = [{ id: 'root' }];
  const edges: Array<{ from: string; to: string }> = [];
  let serial = 0;
  for (const direction of ['down', 'up']) {
    let left = (size - 1) / 2;
    let frontier = ['root'];
    for (let level = 1; level <= 3 && left > 1; level++) {
      const next: string[] = [];
      for (const dataset of frontier) {
        for (let j = 0; j < (dataset === 'root' ? 4 : 1) && left > 1; j++) {
          const job = `job${++serial}`;
          nodes.push({ id: job });
          left--;
          edges.push(
            direction === 'down'
              ? { from: dataset, to: job }
              : { from: job, to: dataset },
          );
          for (let i = 0; i < 4 && left > 0; i++) {
            const table = `t${++serial}`;
            nodes.push({ id: table });
            left--;
            next.push(table);
            edges.push(
              direction === 'down'
                ? { from: job, to: table }
                : { from: table, to: job },
            );
          }
        }
      }
      frontier = next;
    }
  }
  return { nodes, edges };
}

describe('layoutLineage', () => {
  it('puts every edge left to right, sources next to what they feed', () => {
    const layout = layoutLineage(
      [{ id: 'raw' }, { id: 'job' }, { id: 'out' }, { id: 'side' }],
      [
        { from: 'raw', to: 'job' },
        { from: 'job', to: 'out' },
        // A source feeding only the last column sits right before it.
        { from: 'side', to: 'out' },
      ],
      options,
    );
    const rank = (id: string) => layout.nodes.get(id)!.rank;
    expect([rank('raw'), rank('job'), rank('out'), rank('side')]).toEqual([
      0, 1, 2, 1,
    ]);
    expect(layout.width).toBe(16 * 2 + 3 * 188 + 2 * 64);
    expect(layout.edges).toHaveLength(3);
    expect(layout.edges[0].path).toMatch(/^M\d/);
  });

  it('survives cycles, self-loops, duplicate and dangling edges', () => {
    const layout = layoutLineage(
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
        { from: 'a', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'a', to: 'nowhere' },
      ],
      options,
    );
    expect(layout.nodes.size).toBe(3);
    expect(layout.edges).toHaveLength(3);
    const ranks = ['a', 'b', 'c'].map(id => layout.nodes.get(id)!.rank);
    expect(ranks).toEqual([0, 1, 2]);
  });

  it('never overlaps two nodes of a column, at 500 nodes', () => {
    const { nodes, edges } = bigGraph(501);
    const layout = layoutLineage(nodes, edges, options);
    expect(layout.nodes.size).toBe(nodes.length);
    const columns = new Map<number, number[]>();
    for (const placed of layout.nodes.values()) {
      columns.set(placed.rank, [...(columns.get(placed.rank) ?? []), placed.y]);
    }
    for (const ys of columns.values()) {
      ys.sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) {
        expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(46 + 20 - 1e-6);
      }
    }
    for (const edge of edges) {
      expect(layout.nodes.get(edge.from)!.rank).toBeLessThan(
        layout.nodes.get(edge.to)!.rank,
      );
    }
  });

  it('puts nodes without edges with the node they are aligned with', () => {
    const layout = layoutLineage(
      [{ id: 'raw' }, { id: 'job' }, { id: 'root' }, { id: 'alone' }],
      [
        { from: 'raw', to: 'job' },
        { from: 'job', to: 'root' },
      ],
      { ...options, alignIsolatedWith: ['alone', 'root'] },
    );
    expect(layout.nodes.get('alone')!.rank).toBe(2);
    expect(
      layoutLineage([{ id: 'alone' }], [], options).nodes.get('alone'),
    ).toMatchObject({ rank: 0 });
  });

  it('lays out nothing', () => {
    expect(layoutLineage([], [], options)).toMatchObject({
      width: 32,
      height: 32,
      edges: [],
    });
  });
});
