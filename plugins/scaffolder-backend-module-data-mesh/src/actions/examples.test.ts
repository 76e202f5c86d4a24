import { JsonObject } from '@backstage/types';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import {
  ActionTestEnv,
  runAction,
  startActionTestEnv,
} from '../__testUtils__/harness';
import { createDataMeshActions } from '.';

jest.setTimeout(90_000);

let env: ActionTestEnv;
let actions: TemplateAction<any, any, any>[];
const sync = {
  syncDataProduct: jest
    .fn()
    .mockResolvedValue({ entityRefs: ['system:default/orders-x'] }),
};
beforeAll(async () => {
  env = await startActionTestEnv();
  actions = createDataMeshActions({ clients: env.clients, sync });
  const iam = await env.clients.getClient(IAMClient, env.producer);
  // The role the grant example names.
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'sales-domain-analysts',
      AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
    }),
  );
});
afterAll(() => env?.stop());

function stepsOf(action: TemplateAction<any, any, any>) {
  return (action.examples ?? []).flatMap(example =>
    (
      yaml.parse(example.example).steps as {
        action: string;
        input: Record<string, unknown>;
      }[]
    ).map(step => ({ ...step, description: example.description })),
  );
}

// The examples name ids of a real domain; run them against the seeded one.
function localise(input: Record<string, unknown>): JsonObject {
  const demo = env.local.demo!;
  const text = JSON.stringify(input)
    .replace(/dzd_4p9n6sw4qt9xgn/g, demo.domainId)
    .replace(/po1v8iiuso92sn/g, demo.projects.sales.id)
    .replace(/y9vfhm44b7l0lc/g, demo.projects.sales.environmentId)
    .replace(/b3lbjqmcqv6kl4/g, demo.domainUnits.sales)
    .replace(
      /\$\{\{ steps\.publish\.output\.dataProductId \}\}/g,
      demo.dataProducts[0].id,
    );
  return JSON.parse(text);
}

describe("the actions' examples", () => {
  it('every action has examples, each naming the action it documents', () => {
    for (const action of actions) {
      const steps = stepsOf(action);
      expect([action.id, steps.length > 0]).toEqual([action.id, true]);
      for (const step of steps) {
        expect(step.action).toBe(action.id);
      }
    }
  });

  it('every example is valid input and dry-runs without AWS calls', async () => {
    const before = env.calls.length;
    for (const action of actions) {
      for (const step of stepsOf(action)) {
        await expect(
          runAction(action, localise(step.input), { dryRun: true }),
        ).resolves.toBeDefined();
      }
    }
    expect(env.calls.length).toBe(before);
  });

  it('the examples, run in provisioning order, build a product against the local AWS', async () => {
    const order = [
      'data-mesh:datazone:resolve-project',
      'data-mesh:s3:create-bucket',
      'data-mesh:glue:create-database',
      'data-mesh:glue:create-table',
      'data-mesh:glue:create-crawler',
      'data-mesh:lakeformation:register-location',
      'data-mesh:lakeformation:create-lf-tags',
      'data-mesh:lakeformation:attach-lf-tags',
      'data-mesh:lakeformation:grant',
      // Imports sales_orders.orders as an asset; publish then reuses it.
      'data-mesh:datazone:run-data-source',
      'data-mesh:datazone:publish',
      'data-mesh:catalog:sync-product',
    ];
    const ran: string[] = [];
    const outputs: Record<string, Record<string, any>> = {};
    for (const id of order) {
      const action = actions.find(a => a.id === id)!;
      for (const step of stepsOf(action)) {
        const out = await runAction(action, localise(step.input), {
          taskId: `examples-${id}`,
        });
        expect(out).toBeDefined();
        outputs[id] = out;
        ran.push(`${id}: ${step.description}`);
      }
    }
    expect(ran.length).toBeGreaterThanOrEqual(order.length);
    expect(actions.map(a => a.id).sort()).toEqual([...order].sort());
    expect(outputs['data-mesh:datazone:run-data-source']).toMatchObject({
      runStatus: 'SUCCESS',
    });
    // The product groups the asset the data source imported.
    expect(
      outputs['data-mesh:datazone:publish'].resources.find(
        (r: any) => r.type === 'datazone-asset',
      ).status,
    ).toBe('existed');
  });
});
