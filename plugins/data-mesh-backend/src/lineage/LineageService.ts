import {
  DataZoneClient,
  GetLineageNodeCommand,
} from '@aws-sdk/client-datazone';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_ARN,
  ANNOTATION_AWS_REGION,
  ANNOTATION_DATAZONE_ASSET_ID,
  ANNOTATION_DATAZONE_DOMAIN_ID,
  ANNOTATION_GLUE_DATABASE,
  ANNOTATION_GLUE_TABLE,
  LineageGraph,
} from '@data-mesh-portal/plugin-data-mesh-common';
import {
  AwsClientFactory,
  mapAwsError,
} from '@data-mesh-portal/plugin-data-mesh-node';
import { Semaphore } from '../slo/cache';
import { DashboardSource } from '../dashboards/QuickSightDashboards';
import { datasetsOf } from '../catalog/datasets';
import {
  assetIdOf,
  buildLineageGraph,
  DashboardTables,
  LineageEntityIndex,
  parseGlueTableArn,
} from './graph';
import { LineageNodeRecord, LineageWalk, walkLineage } from './graphWalk';

/** Settings of the lineage service (from `dataMesh.lineage`). */
export interface LineageSettings {
  /** GetLineageNode calls in flight at once per request. */
  concurrency: number;
  /** Most DataZone nodes one graph walks. */
  maxNodes: number;
}

export const DEFAULT_LINEAGE_SETTINGS: LineageSettings = {
  concurrency: 8,
  maxNodes: 1000,
};

/** DataZone domain id → where it is (from the DataZone provider's config). */
export type DataZoneDomains = Record<
  string,
  { region: string; accountId?: string }
>;

const CATALOG_CHUNK = 50;

/** The DataZone lineage identifiers of a dataset: its Glue table ARN (the node's sourceIdentifier), then its asset id. */
function startIdentifiers(entity: Entity): string[] {
  const a = entity.metadata.annotations ?? {};
  const ids: string[] = [];
  const arn = a[ANNOTATION_AWS_ARN];
  if (parseGlueTableArn(arn)) ids.push(arn);
  else if (
    a[ANNOTATION_GLUE_DATABASE] &&
    a[ANNOTATION_GLUE_TABLE] &&
    a[ANNOTATION_AWS_ACCOUNT_ID] &&
    a[ANNOTATION_AWS_REGION]
  ) {
    ids.push(
      `arn:aws:glue:${a[ANNOTATION_AWS_REGION]}:${a[ANNOTATION_AWS_ACCOUNT_ID]}:table/${a[ANNOTATION_GLUE_DATABASE]}/${a[ANNOTATION_GLUE_TABLE]}`,
    );
  }
  if (a[ANNOTATION_DATAZONE_ASSET_ID])
    ids.push(a[ANNOTATION_DATAZONE_ASSET_ID]);
  return ids;
}

function mergeWalks(walks: LineageWalk[]): LineageWalk {
  const merged: LineageWalk = {
    starts: [],
    nodes: new Map(),
    links: [],
    jobOfRun: new Map(),
    truncated: false,
  };
  for (const walk of walks) {
    merged.starts.push(...walk.starts);
    for (const [id, node] of walk.nodes)
      if (!merged.nodes.has(id)) merged.nodes.set(id, node);
    merged.links.push(...walk.links);
    for (const [run, job] of walk.jobOfRun) merged.jobOfRun.set(run, job);
    merged.truncated ||= walk.truncated;
  }
  return merged;
}

/**
 * Assembles lineage graphs: walks DataZone lineage (GetLineageNode, bounded
 * depth, node count and concurrency) from the entity's datasets, links nodes
 * to the catalog entities the caller can see, and adds consumers and
 * QuickSight dashboards.
 */
export class LineageService {
  private readonly settings: LineageSettings;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      clientFactory: AwsClientFactory;
      logger: LoggerService;
      domains: DataZoneDomains;
      dashboards?: DashboardSource;
      settings?: Partial<LineageSettings>;
      /** Region of domains missing from `domains` when the entity names none. */
      defaultRegion?: string;
    },
  ) {
    this.settings = {
      concurrency:
        deps.settings?.concurrency ?? DEFAULT_LINEAGE_SETTINGS.concurrency,
      maxNodes: deps.settings?.maxNodes ?? DEFAULT_LINEAGE_SETTINGS.maxNodes,
    };
  }

  /** The graph of an entity the caller has already been allowed to read. */
  async graph(
    entity: Entity,
    credentials: BackstageCredentials,
    depth: number,
  ): Promise<LineageGraph> {
    const entityRef = stringifyEntityRef(entity);
    const roots = await datasetsOf(this.deps.catalog, entity, credentials);
    const warnings: string[] = [];

    // One walk per DataZone domain (usually one), all sharing the node limit.
    const byDomain = new Map<
      string,
      { region: string; accountId?: string; starts: string[] }
    >();
    for (const root of roots) {
      const a = root.metadata.annotations ?? {};
      const domainId = a[ANNOTATION_DATAZONE_DOMAIN_ID];
      const ids = startIdentifiers(root);
      if (!domainId || ids.length === 0) continue;
      const known = this.deps.domains[domainId];
      const region =
        known?.region ?? a[ANNOTATION_AWS_REGION] ?? this.deps.defaultRegion;
      if (!region) continue;
      const entry = byDomain.get(domainId) ?? {
        region,
        accountId: known?.accountId,
        starts: [],
      };
      entry.starts.push(...ids);
      byDomain.set(domainId, entry);
    }
    const semaphore = new Semaphore(this.settings.concurrency);
    let budget = this.settings.maxNodes;
    const walks: LineageWalk[] = [];
    for (const [domainId, { region, accountId, starts }] of byDomain) {
      const client = await this.deps.clientFactory.getClient(DataZoneClient, {
        region,
        accountId,
      });
      const walk = await walkLineage({
        starts,
        depth,
        maxNodes: budget,
        load: id => semaphore.run(() => this.getNode(client, domainId, id)),
      });
      budget = Math.max(0, budget - walk.nodes.size);
      walks.push(walk);
    }
    const walk = mergeWalks(walks);

    const [index, dashboards] = await Promise.all([
      this.entityIndex(walk, roots, credentials),
      this.dashboardTables(warnings),
    ]);
    const graph = buildLineageGraph({
      entityRef,
      depth,
      rootEntities: roots,
      walk,
      entityIndex: index,
      dashboards,
      warnings,
    });
    this.deps.logger.debug(
      `Lineage of ${entityRef} (depth ${depth}): ${graph.nodes.length} nodes, ${graph.edges.length} edges, ${walk.nodes.size} DataZone nodes`,
    );
    return graph;
  }

  private async getNode(
    client: DataZoneClient,
    domainId: string,
    identifier: string,
  ): Promise<LineageNodeRecord | undefined> {
    try {
      return await client.send(
        new GetLineageNodeCommand({ domainIdentifier: domainId, identifier }),
      );
    } catch (error) {
      const mapped = mapAwsError(error, {
        operation: 'DataZone GetLineageNode',
        resource: `node ${identifier} in ${domainId}`,
      });
      if (mapped instanceof NotFoundError) return undefined;
      // Whatever went wrong at AWS, the lineage is unavailable, not broken.
      throw mapped instanceof ServiceUnavailableError
        ? mapped
        : new ServiceUnavailableError(
            `DataZone lineage could not be read: ${mapped.message}`,
          );
    }
  }

  /** The dataset entities, visible to the caller, that walked DataZone datasets stand for. */
  private async entityIndex(
    walk: LineageWalk,
    roots: Entity[],
    credentials: BackstageCredentials,
  ): Promise<LineageEntityIndex> {
    const assetIds = new Set<string>();
    const arns = new Set<string>();
    for (const node of walk.nodes.values()) {
      if (node.role !== 'dataset') continue;
      const assetId = assetIdOf(node.record);
      if (assetId) assetIds.add(assetId);
      if (
        node.record.sourceIdentifier &&
        parseGlueTableArn(node.record.sourceIdentifier)
      ) {
        arns.add(node.record.sourceIdentifier);
      }
    }
    const queries: Array<Record<string, string[]>> = [];
    const chunk = (key: string, values: string[]) => {
      for (let i = 0; i < values.length; i += CATALOG_CHUNK) {
        queries.push({
          [`metadata.annotations.${key}`]: values.slice(i, i + CATALOG_CHUNK),
        });
      }
    };
    chunk(ANNOTATION_DATAZONE_ASSET_ID, [...assetIds]);
    chunk(ANNOTATION_AWS_ARN, [...arns]);
    const results = await Promise.all(
      queries.map(filter =>
        this.deps.catalog.getEntities(
          { filter: { kind: 'API', 'spec.type': 'dataset', ...filter } },
          { credentials },
        ),
      ),
    );
    return new LineageEntityIndex([...roots, ...results.flatMap(r => r.items)]);
  }

  private async dashboardTables(
    warnings: string[],
  ): Promise<DashboardTables[]> {
    if (!this.deps.dashboards) return [];
    try {
      const index = await this.deps.dashboards.index();
      return index.map(d => ({
        dashboardId: d.dashboardId,
        name: d.name,
        tables: d.dataSets.flatMap(s => s.tables),
      }));
    } catch (error) {
      warnings.push(
        `QuickSight dashboards could not be read: ${(error as Error).message}`,
      );
      return [];
    }
  }
}
