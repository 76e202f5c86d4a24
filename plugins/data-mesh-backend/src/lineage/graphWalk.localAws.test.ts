import {
  DataZoneClient,
  GetLineageNodeCommand,
  GetLineageNodeCommandOutput,
} from '@aws-sdk/client-datazone';
import { LocalAws, startLocalAws } from '@data-mesh-portal/local-aws';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoLineageEvents } from './__fixtures__/demoLineage';
import { walkLineage } from './graphWalk';
import { glueTableDataset, postOpenLineageRunEvent } from './postRunEvent';

jest.setTimeout(180_000);

// Posts the demo lineage through the producer snippet (the README's) to the
// local DataZone, then walks it with the real SDK client. With
// RECORD_LINEAGE_FIXTURES=1 it also records every GetLineageNode answer for
// the pure tests (graph.test.ts).
describe('lineage against the local DataZone', () => {
  let aws: LocalAws;
  let client: DataZoneClient;
  let domainId: string;
  const recorded: Record<string, unknown> = {};

  beforeAll(async () => {
    aws = await startLocalAws({ seed: true });
    client = new DataZoneClient(aws.clientConfig());
    domainId = aws.demo!.domainId;
  });

  afterAll(async () => {
    client?.destroy();
    await aws?.stop();
  });

  const load = async (id: string) => {
    try {
      const output: Partial<GetLineageNodeCommandOutput> = await client.send(
        new GetLineageNodeCommand({
          domainIdentifier: domainId,
          identifier: id,
        }),
      );
      delete output.$metadata;
      recorded[id] = output;
      return output;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') {
        recorded[id] = null;
        return undefined;
      }
      throw error;
    }
  };

  it('posts run events with PostLineageEventCommand and walks them three levels', async () => {
    const { region } = aws;
    const accountId = aws.accounts.producer;
    for (const event of demoLineageEvents({ region, accountId })) {
      const id = await postOpenLineageRunEvent(client, domainId, event);
      expect(id).toBeTruthy();
    }

    const orders = glueTableDataset({
      region,
      accountId,
      database: 'supply_suppliers_parts',
      table: 'supplier',
    });
    const start = `${orders.namespace}:${orders.name}`;
    const walk = await walkLineage({
      starts: [start],
      depth: 3,
      maxNodes: 500,
      load,
    });

    const byLevel = (level: number, role = 'dataset') =>
      [...walk.nodes.values()]
        .filter(n => n.level === level && n.role === role)
        .map(n => n.record.sourceIdentifier)
        .sort();
    expect(byLevel(0)).toEqual([start]);
    expect(byLevel(-1)).toEqual(['s3://retail-landing/supplier']);
    expect(byLevel(1)).toEqual([
      `arn:aws:glue:${region}:${accountId}:table/supply_suppliers_parts/partsupp`,
    ]);
    expect(byLevel(2)).toEqual([
      `arn:aws:glue:${region}:${accountId}:table/supply_inventory/inventory_forecast`,
    ]);
    const jobs = [...walk.nodes.values()]
      .filter(n => n.role === 'job')
      .map(n => n.record.name)
      .sort();
    expect(jobs).toEqual([
      'forecast_inventory',
      'ingest_supplier',
      'supplier_part_rollup',
    ]);
    // Every run is folded into a job found through its upstream nodes.
    const runs = [...walk.nodes.entries()].filter(([, n]) => n.role === 'run');
    expect(runs).toHaveLength(3);
    for (const [id] of runs) expect(walk.jobOfRun.get(id)).toBeDefined();
    expect(walk.truncated).toBe(false);

    // The asset of a demo table is named on its lineage node.
    const ordersNode = [...walk.nodes.values()].find(n => n.level === 0)!;
    const assetId = aws
      .demo!.dataProducts.find(p => p.database === 'supply_suppliers_parts')!
      .assets.find(a => a.table === 'supplier')!.assetId;
    expect(
      ordersNode.record.formsOutput?.some(f => f.content?.includes(assetId)),
    ).toBe(true);

    // Depth 1 stops after one level each way.
    const shallow = await walkLineage({
      starts: [start],
      depth: 1,
      maxNodes: 500,
      load,
    });
    expect(
      Math.max(...[...shallow.nodes.values()].map(n => Math.abs(n.level))),
    ).toBe(1);

    // A data product starts from each of its datasets.
    const lineitem = glueTableDataset({
      region,
      accountId,
      database: 'supply_suppliers_parts',
      table: 'part',
    });
    const product = await walkLineage({
      starts: [start, `${lineitem.namespace}:${lineitem.name}`],
      depth: 3,
      maxNodes: 500,
      load,
    });
    expect(product.starts).toHaveLength(2);
    expect(
      [...product.nodes.values()].filter(n => n.role === 'job'),
    ).toHaveLength(4);

    if (process.env.RECORD_LINEAGE_FIXTURES) {
      writeFileSync(
        join(__dirname, '__fixtures__', 'lineageNodes.json'),
        `${JSON.stringify(
          {
            region,
            accountId,
            domainId,
            start,
            supplierAssetId: assetId,
            nodes: recorded,
          },
          null,
          2,
        )}\n`,
      );
    }
  });
});
