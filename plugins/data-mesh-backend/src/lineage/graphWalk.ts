// Walks DataZone lineage from start nodes, upstream and downstream, a bounded
// number of dataset levels each way. I/O-free: nodes come from a `load`
// function (GetLineageNode in the service, recorded responses in tests).

/** The parts of a GetLineageNode answer the graph uses (the SDK output's shape). */
export interface LineageNodeRecord {
  id?: string;
  name?: string;
  description?: string;
  typeName?: string;
  sourceIdentifier?: string;
  eventTimestamp?: Date;
  formsOutput?: Array<{
    formName?: string;
    typeName?: string;
    content?: string;
  }>;
  upstreamNodes?: Array<{ id?: string; eventTimestamp?: Date }>;
  downstreamNodes?: Array<{ id?: string; eventTimestamp?: Date }>;
}

/** What a DataZone lineage node is, from its type name. */
export type LineageNodeRole = 'dataset' | 'job' | 'run';

/**
 * Classifies a node by its type name. DataZone derives job, job run and
 * dataset nodes from OpenLineage run events; anything that is not a job or a
 * run (tables, views, files, assets) is data.
 */
export function lineageNodeRole(record: LineageNodeRecord): LineageNodeRole {
  const type = (record.typeName ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (
    type.includes('jobrun') ||
    /run(node)?(type)?$/.test(type.replace(/^amazondatazone/, ''))
  ) {
    return 'run';
  }
  if (type.includes('job')) {
    return 'job';
  }
  return 'dataset';
}

/** One node reached by the walk. */
export interface WalkedNode {
  record: LineageNodeRecord;
  role: LineageNodeRole;
  /** Dataset levels from the start: negative upstream, positive downstream. */
  level: number;
}

/** What {@link walkLineage} found. */
export interface LineageWalk {
  /** Start node ids that were found. */
  starts: string[];
  nodes: Map<string, WalkedNode>;
  /** DataZone links between walked nodes, upstream → downstream, deduplicated. */
  links: Array<{ from: string; to: string }>;
  /** Jobs of walked runs (run id → job id), found through the run's upstream job node. */
  jobOfRun: Map<string, string>;
  /** Whether the walk stopped at `maxNodes`. */
  truncated: boolean;
}

/** Options of {@link walkLineage}. */
export interface WalkLineageOptions {
  /** Node ids (or sourceIdentifiers) to start from. */
  starts: string[];
  /** Dataset levels to walk each way. */
  depth: number;
  /** Most nodes to walk (datasets, jobs and runs). */
  maxNodes: number;
  /** Reads one node; undefined when it does not exist. Called at most once per id. */
  load: (id: string) => Promise<LineageNodeRecord | undefined>;
}

type Direction = 'up' | 'down';

/**
 * Breadth-first over dataset levels: from each dataset at level L, the job
 * runs next to it in a direction are followed to the datasets on their other
 * side, which are at level L ± 1. Runs and jobs take the level of the dataset
 * they were reached from. Each direction has its own visited set, so cycles
 * end; a node reached both ways keeps the level nearer the start.
 */
export async function walkLineage(
  options: WalkLineageOptions,
): Promise<LineageWalk> {
  const { depth, maxNodes } = options;
  const cache = new Map<string, Promise<LineageNodeRecord | undefined>>();
  const load = (id: string) => {
    let pending = cache.get(id);
    if (!pending) {
      pending = options.load(id);
      cache.set(id, pending);
    }
    return pending;
  };

  const nodes = new Map<string, WalkedNode>();
  const links = new Map<string, { from: string; to: string }>();
  const jobOfRun = new Map<string, string>();
  let truncated = false;

  const addLink = (from: string, to: string) => {
    if (from !== to) links.set(`${from}\u0000${to}`, { from, to });
  };
  const place = (id: string, record: LineageNodeRecord, level: number) => {
    const existing = nodes.get(id);
    if (existing) {
      if (Math.abs(level) < Math.abs(existing.level)) existing.level = level;
      return true;
    }
    if (nodes.size >= maxNodes) {
      truncated = true;
      return false;
    }
    nodes.set(id, { record, role: lineageNodeRole(record), level });
    return true;
  };

  const startRecords = await Promise.all(
    options.starts.map(async id => ({ id, record: await load(id) })),
  );
  const starts: string[] = [];
  for (const { record } of startRecords) {
    // A start given by sourceIdentifier comes back with its generated id.
    const id = record?.id;
    if (!record || !id || starts.includes(id)) continue;
    starts.push(id);
    place(id, record, 0);
  }

  // Finds a run's job among its upstream neighbours (loading them, which the
  // upstream walk would do anyway).
  const findJob = async (runId: string, run: LineageNodeRecord) => {
    if (jobOfRun.has(runId)) return;
    const ups = (run.upstreamNodes ?? []).flatMap(r => (r.id ? [r.id] : []));
    const records = await Promise.all(ups.map(id => load(id)));
    records.forEach((record, i) => {
      if (record && lineageNodeRole(record) === 'job' && !jobOfRun.has(runId)) {
        jobOfRun.set(runId, ups[i]);
        if (place(ups[i], record, nodes.get(runId)?.level ?? 0)) {
          addLink(ups[i], runId);
        }
      }
    });
  };

  const walk = async (direction: Direction) => {
    const sign = direction === 'up' ? -1 : 1;
    const visited = new Set<string>(starts);
    let frontier = [...starts];
    for (let level = 1; level <= depth && frontier.length > 0; level++) {
      const next: string[] = [];
      // Runs and jobs between this level's datasets and the next.
      let between = frontier.map(id => ({ id, from: id }));
      const seenBetween = new Set<string>();
      while (between.length > 0) {
        const expansions = await Promise.all(
          between.map(async ({ id }) => {
            const record = nodes.get(id)?.record ?? (await load(id));
            const refs =
              (direction === 'up'
                ? record?.upstreamNodes
                : record?.downstreamNodes) ?? [];
            const ids = refs.flatMap(r => (r.id ? [r.id] : []));
            const neighbours = await Promise.all(
              ids.map(async nid => ({ nid, record: await load(nid) })),
            );
            return { id, neighbours };
          }),
        );
        const further: typeof between = [];
        for (const { id, neighbours } of expansions) {
          for (const { nid, record } of neighbours) {
            if (!record) continue;
            const role = lineageNodeRole(record);
            if (role === 'dataset') {
              if (!place(nid, record, sign * level)) continue;
              addLink(
                direction === 'up' ? nid : id,
                direction === 'up' ? id : nid,
              );
              if (!visited.has(nid)) {
                visited.add(nid);
                next.push(nid);
              }
            } else {
              // A run or job sits with the datasets it leads to.
              if (!place(nid, record, sign * level)) continue;
              addLink(
                direction === 'up' ? nid : id,
                direction === 'up' ? id : nid,
              );
              if (role === 'run') await findJob(nid, record);
              // A job is where a run comes from, not a way to more data.
              if (role === 'run' && !seenBetween.has(nid)) {
                seenBetween.add(nid);
                further.push({ id: nid, from: id });
              }
            }
          }
        }
        between = further;
      }
      frontier = next;
    }
  };

  await walk('up');
  await walk('down');

  return {
    starts,
    nodes,
    links: [...links.values()].filter(
      l => nodes.has(l.from) && nodes.has(l.to),
    ),
    jobOfRun,
    truncated,
  };
}
