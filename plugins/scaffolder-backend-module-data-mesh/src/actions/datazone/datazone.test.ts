import {
  DataZoneClient,
  GetAssetCommand,
  GetDataProductCommand,
  GetDataSourceCommand,
  GetDataSourceRunCommand,
  GetListingCommand,
  ListDataSourceRunsCommand,
  ListDataSourcesCommand,
  SearchListingsCommand,
} from '@aws-sdk/client-datazone';
import {
  DATA_CONTRACT_FORM_TYPE_NAME,
  dataMeshEntityName,
  parseDataContract,
  readDataContractFormContent,
} from '@data-mesh-portal/plugin-data-mesh-common';
import {
  ActionTestEnv,
  checkpointStore,
  createGlueFixtures,
  expectInputError,
  runAction,
  startActionTestEnv,
} from '../../__testUtils__/harness';
import { createDataZonePublishAction } from './publish';
import { createDataZoneResolveProjectAction } from './resolveProject';
import { createDataZoneRunDataSourceAction } from './runDataSource';

jest.setTimeout(60_000);

let env: ActionTestEnv;
let dz: DataZoneClient;
let domainId: string;
let salesProjectId: string;
beforeAll(async () => {
  env = await startActionTestEnv();
  dz = await env.clients.getClient(DataZoneClient, {
    region: env.governance.region,
  });
  domainId = env.local.demo!.domainId;
  salesProjectId = env.local.demo!.projects.sales.id;
  await createGlueFixtures(
    env,
    'dz_returns',
    's3://dm-dz/dz_returns/',
    [
      'returns',
      'return_lines',
      'lost_answer',
      'retry_1',
      'retry_2',
      'retry_3',
      'retry_4',
      'retry_5',
    ],
    name => ({
      Description: `The ${name} table`,
      Parameters: { classification: 'parquet' },
      PartitionKeys: [{ Name: 'return_date', Type: 'date' }],
      StorageDescriptor: {
        Columns: [
          { Name: 'return_id', Type: 'bigint', Comment: 'Return key' },
          { Name: 'amount', Type: 'decimal(12,2)' },
        ],
      },
    }),
  );
});

afterAll(() => env?.stop());

const publishInput = (overrides: Record<string, unknown> = {}) => ({
  domainId,
  region: env.governance.region,
  projectId: salesProjectId,
  productName: 'Returns',
  description: 'Returned orders.',
  glueAccountId: env.producer.accountId,
  databaseName: 'dz_returns',
  tables: ['returns', 'return_lines'],
  contractDetails: {
    domain: 'Sales',
    owner: 'group:default/sales-domain',
    approverGroup: 'group:default/platform-team',
    classification: 'internal',
    slos: {
      freshnessHours: 24,
      frequency: 'daily',
      completenessPercent: 99.5,
      availabilityPercent: 99.9,
    },
  },
  ...overrides,
});

describe('data-mesh:datazone:resolve-project', () => {
  it("finds the group's project in a domain unit, its environment and the team's role", async () => {
    const demo = env.local.demo!;
    const out = await runAction(
      createDataZoneResolveProjectAction({ clients: env.clients }),
      {
        domainId,
        region: env.governance.region,
        owner: 'group:default/sales-domain',
        domainUnitId: demo.domainUnits.sales,
      },
    );
    expect(out).toMatchObject({
      projectId: demo.projects.sales.id,
      projectName: 'Sales domain team',
      environmentId: demo.projects.sales.environmentId,
      environmentRoleArn: `arn:aws:iam::${env.producer.accountId}:role/datazone_usr_${demo.projects.sales.environmentId}`,
      environmentAccountId: env.producer.accountId,
    });
  });

  it('asks which project when the group has several, and names unknown groups', async () => {
    const action = createDataZoneResolveProjectAction({ clients: env.clients });
    await expectInputError(
      runAction(action, {
        domainId,
        region: env.governance.region,
        owner: 'group:default/sales-domain',
      }),
      /owner: several projects belong to group:default\/sales-domain .*pass projectId or domainUnitId/,
    );
    await expectInputError(
      runAction(action, {
        domainId,
        region: env.governance.region,
        owner: 'group:default/nobody',
      }),
      /owner: no DataZone project .* is tagged backstage-group=group:default\/nobody/,
    );
    await expectInputError(
      runAction(action, {
        domainId,
        region: env.governance.region,
        projectId: 'nope',
      }),
      /projectId: project nope does not exist/,
    );
  });
});

describe('data-mesh:datazone:publish', () => {
  it('creates the assets with their schema form, the data product with a valid contract, and publishes it', async () => {
    const out = await runAction(
      createDataZonePublishAction({ clients: env.clients }),
      publishInput(),
    );
    expect(out.assetIds).toHaveLength(2);
    expect(out.listingStatus).toBe('ACTIVE');
    expect(out.entityRef).toBe(
      `system:default/${dataMeshEntityName({
        kind: 'data-product',
        id: out.dataProductId,
        name: 'Returns',
        domainId,
      })}`,
    );

    const asset = await dz.send(
      new GetAssetCommand({
        domainIdentifier: domainId,
        identifier: out.assetIds[0],
      }),
    );
    expect(asset.externalIdentifier).toBe(
      `arn:aws:glue:us-east-1:${env.producer.accountId}:table/dz_returns/returns`,
    );
    const schemaForm = JSON.parse(
      asset.formsOutput!.find(f => f.formName === 'GlueTableForm')!.content!,
    );
    expect(schemaForm.columns).toEqual([
      {
        columnName: 'return_id',
        dataType: 'bigint',
        description: 'Return key',
      },
      { columnName: 'amount', dataType: 'decimal(12,2)' },
    ]);

    const product = await dz.send(
      new GetDataProductCommand({
        domainIdentifier: domainId,
        identifier: out.dataProductId,
      }),
    );
    expect(product.items?.map(i => i.identifier)).toEqual(out.assetIds);
    const form = product.formsOutput!.find(
      f => f.typeName === DATA_CONTRACT_FORM_TYPE_NAME,
    )!;
    const parsed = parseDataContract(
      readDataContractFormContent(form.content)!,
    );
    if (!parsed.valid) throw new Error(JSON.stringify(parsed.errors));
    const contract = parsed.contract;
    expect(contract.id).toBe(out.contractId);
    expect(contract.schema?.map(s => s.name)).toEqual([
      'returns',
      'return_lines',
    ]);
    expect(contract.schema?.[0].properties?.map(p => p.name)).toEqual([
      'return_id',
      'amount',
      'return_date',
    ]);
    expect(contract.slaProperties?.map(s => s.property)).toEqual([
      'latency',
      'frequency',
      'availability',
    ]);
    expect(contract.roles?.[0].firstLevelApprovers).toBe(
      'group:default/platform-team',
    );

    const listing = await dz.send(
      new GetListingCommand({
        domainIdentifier: domainId,
        identifier: out.listingId,
      }),
    );
    expect(listing.status).toBe('ACTIVE');
    expect(listing.item?.dataProductListing?.dataProductId).toBe(
      out.dataProductId,
    );
    const found = await dz.send(
      new SearchListingsCommand({
        domainIdentifier: domainId,
        searchText: 'Returns',
        maxResults: 50,
      }),
    );
    expect(
      found.items?.some(i => i.dataProductListing?.listingId === out.listingId),
    ).toBe(true);
  });

  it('accepts a full ODCS contract, and refuses an invalid one before touching AWS', async () => {
    const before = env.calls.length;
    await expectInputError(
      runAction(
        createDataZonePublishAction({ clients: env.clients }),
        publishInput({
          contractDetails: undefined,
          contract: 'apiVersion: v3.1.0\nkind: DataContract\n',
        }),
      ),
      /contract: the data contract is not valid ODCS: .*is required/,
    );
    expect(env.calls.length).toBe(before);
  });

  it.each([
    [{ domainId: 'domain-1' }, /domainId: must be a DataZone domain id/],
    [
      { productName: 'x'.repeat(65) },
      /productName: DataZone data product names are at most 64 characters/,
    ],
    [{ tables: [] }, /tables: a data product needs at least one dataset/],
    [{ tables: ['a', 'a'] }, /tables: tables must be unique/],
    [
      { contractDetails: undefined },
      /contractDetails: give contract or contractDetails/,
    ],
    [
      { contractDetails: { owner: 'sales-domain' } },
      /contractDetails.owner: must be a group entity ref/,
    ],
    [
      {
        contractDetails: {
          owner: 'group:default/x',
          slos: { availabilityPercent: 120 },
        },
      },
      /contractDetails.slos.availabilityPercent: Number must be less than or equal to 100/,
    ],
    [
      { contractDetails: { owner: 'group:default/x', version: 'one' } },
      /contractDetails.version: must be a semantic version/,
    ],
  ])('rejects %j before any AWS call', async (override, message) => {
    const before = env.calls.length;
    await expectInputError(
      runAction(
        createDataZonePublishAction({ clients: env.clients }),
        publishInput(override),
      ),
      message,
    );
    expect(env.calls.length).toBe(before);
  });

  it('names a table that does not exist and creates nothing in DataZone', async () => {
    env.sent.clear();
    await expectInputError(
      runAction(
        createDataZonePublishAction({ clients: env.clients }),
        publishInput({
          productName: 'Missing',
          tables: ['returns', 'not_crawled_yet'],
        }),
      ),
      /tables\[1\]: Glue table dz_returns.not_crawled_yet does not exist/,
    );
    expect([...env.sent.keys()].filter(k => k.startsWith('Create'))).toEqual(
      [],
    );
  });

  it.each([
    ['CreateAssetCommand', 'before', 'retry_1'],
    ['CreateAssetCommand', 'after', 'retry_2'],
    ['CreateDataProductCommand', 'before', 'retry_3'],
    ['CreateDataProductCommand', 'after', 'retry_4'],
    ['CreateListingChangeSetCommand', 'after', 'retry_5'],
  ] as const)(
    'resumes after %s failed (%s the call), creating nothing twice',
    async (command, timing, table) => {
      const productName = `Retry ${command} ${timing}`.slice(0, 64);
      const action = createDataZonePublishAction({ clients: env.clients });
      const checkpoints = checkpointStore();
      const taskId = `task-${command}-${timing}`;
      env.failNext(command, timing);
      const input = publishInput({ productName, tables: [table] });
      const failure = await runAction(action, input, {
        checkpoints,
        taskId,
      }).then(
        () => undefined,
        e => e,
      );
      expect(failure?.message).toMatch(/What exists after this failure/);
      const out = await runAction(action, input, { checkpoints, taskId });
      // Exactly one asset for the table and one product of that name exist.
      const assets = env.local.dataZone.store.state.assets;
      const forTable = Object.values(assets).filter(a =>
        a.externalIdentifier?.endsWith(`table/dz_returns/${table}`),
      );
      expect(forTable).toHaveLength(1);
      expect(out.assetIds).toEqual([forTable[0].id]);
      const products = Object.values(
        env.local.dataZone.store.state.dataProducts,
      ).filter(p => p.revisions[p.revisions.length - 1].name === productName);
      expect(products).toHaveLength(1);
      expect(out.dataProductId).toBe(products[0].id);
      expect(out.listingStatus).toBe('ACTIVE');
    },
  );

  it('reuses the asset of an earlier task for the same table, and refuses a different product with a taken name', async () => {
    const action = createDataZonePublishAction({ clients: env.clients });
    const first = await runAction(
      action,
      publishInput({ productName: 'Lost answer', tables: ['lost_answer'] }),
      { taskId: 'one' },
    );
    const second = await runAction(
      action,
      publishInput({ productName: 'Lost answer', tables: ['lost_answer'] }),
      { taskId: 'two' },
    );
    expect(second.assetIds).toEqual(first.assetIds);
    expect(second.dataProductId).toBe(first.dataProductId);
    expect(
      second.resources
        .filter((r: any) => r.status === 'existed')
        .map((r: any) => r.type),
    ).toEqual(['datazone-asset', 'datazone-data-product']);
    await expectInputError(
      runAction(
        action,
        publishInput({ productName: 'Lost answer', tables: ['returns'] }),
        { taskId: 'three' },
      ),
      /productName: project .* already has a data product named "Lost answer" with other datasets \(1 of its 1 are not among this run's tables\)/,
    );
  });

  it('makes no AWS call in a dry run', async () => {
    const before = env.calls.length;
    const out = await runAction(
      createDataZonePublishAction({ clients: env.clients }),
      publishInput({ productName: 'Dry' }),
      { dryRun: true },
    );
    await runAction(
      createDataZoneResolveProjectAction({ clients: env.clients }),
      { domainId, region: 'us-east-1', owner: 'group:default/x' },
      { dryRun: true },
    );
    await runAction(
      createDataZoneRunDataSourceAction({ clients: env.clients }),
      {
        domainId,
        region: 'us-east-1',
        projectId: salesProjectId,
        environmentId: 'env1',
        databaseName: 'dz_returns',
      },
      { dryRun: true },
    );
    expect(env.calls.length).toBe(before);
    expect(out.resources.map((r: any) => r.type)).toEqual([
      'datazone-asset',
      'datazone-asset',
      'datazone-data-product',
      'datazone-listing',
    ]);
  });
});

describe('data-mesh:datazone:run-data-source', () => {
  it.each([
    [
      { environmentId: 'bad id' },
      /environmentId: must be a DataZone environment id/,
    ],
    [{ databaseName: 'Bad' }, /databaseName: may contain only lowercase/],
  ])('rejects %j before any AWS call', async (override, message) => {
    const before = env.calls.length;
    await expectInputError(
      runAction(createDataZoneRunDataSourceAction({ clients: env.clients }), {
        domainId,
        region: 'us-east-1',
        projectId: salesProjectId,
        environmentId: 'env1',
        databaseName: 'dz_returns',
        ...override,
      }),
      message,
    );
    expect(env.calls.length).toBe(before);
  });

  const runInput = (overrides: Record<string, unknown> = {}) => ({
    domainId,
    region: env.governance.region,
    projectId: salesProjectId,
    environmentId: env.local.demo!.projects.sales.environmentId,
    databaseName: 'dz_returns',
    ...overrides,
  });

  it("creates a Glue data source in the owning project and runs it: the database's tables become assets", async () => {
    const out = await runAction(
      createDataZoneRunDataSourceAction({ clients: env.clients }),
      runInput({ dataSourceName: 'dz-returns-import' }),
    );
    expect(out.runStatus).toBe('SUCCESS');
    expect(out.resources).toEqual([
      expect.objectContaining({
        type: 'datazone-data-source',
        id: out.dataSourceId,
        status: 'created',
      }),
      expect.objectContaining({
        type: 'datazone-data-source-run',
        id: out.runId,
        status: 'created',
      }),
    ]);
    const source = await dz.send(
      new GetDataSourceCommand({
        domainIdentifier: domainId,
        identifier: out.dataSourceId,
      }),
    );
    expect(source).toMatchObject({
      name: 'dz-returns-import',
      type: 'GLUE',
      projectId: salesProjectId,
      publishOnImport: false,
    });
    expect(
      source.configuration?.glueRunConfiguration
        ?.relationalFilterConfigurations?.[0]?.databaseName,
    ).toBe('dz_returns');
    const run = await dz.send(
      new GetDataSourceRunCommand({
        domainIdentifier: domainId,
        identifier: out.runId,
      }),
    );
    expect(run.status).toBe('SUCCESS');
    // Every table of the database (the publish tests' tables included) is imported.
    expect(run.runStatisticsForAssets?.failed ?? 0).toBe(0);
    expect(
      (run.runStatisticsForAssets?.added ?? 0) +
        (run.runStatisticsForAssets?.updated ?? 0) +
        (run.runStatisticsForAssets?.unchanged ?? 0),
    ).toBeGreaterThanOrEqual(8);
  });

  it('a retried task starts nothing twice; a new task reuses the data source by name and runs it again', async () => {
    const action = createDataZoneRunDataSourceAction({ clients: env.clients });
    const input = runInput({ dataSourceName: 'dz-returns-retry' });
    const checkpoints = checkpointStore();
    const first = await runAction(action, input, {
      checkpoints,
      taskId: 'task-run-retry',
    });
    const sentBefore = {
      create: env.sent.get('CreateDataSourceCommand') ?? 0,
      start: env.sent.get('StartDataSourceRunCommand') ?? 0,
    };
    const retried = await runAction(action, input, {
      checkpoints,
      taskId: 'task-run-retry',
    });
    expect(retried).toMatchObject({
      dataSourceId: first.dataSourceId,
      runId: first.runId,
    });
    expect(env.sent.get('CreateDataSourceCommand') ?? 0).toBe(
      sentBefore.create,
    );
    expect(env.sent.get('StartDataSourceRunCommand') ?? 0).toBe(
      sentBefore.start,
    );

    const again = await runAction(action, input, { taskId: 'task-run-again' });
    expect(again.dataSourceId).toBe(first.dataSourceId);
    expect(again.runId).not.toBe(first.runId);
    expect(again.resources[0]).toMatchObject({ status: 'existed' });
    const runs = await dz.send(
      new ListDataSourceRunsCommand({
        domainIdentifier: domainId,
        dataSourceIdentifier: first.dataSourceId,
      }),
    );
    expect(runs.items?.map(r => r.id)).toEqual([again.runId, first.runId]);
    // The schemas did not change between the runs: no new asset revisions.
    const second = await dz.send(
      new GetDataSourceRunCommand({
        domainIdentifier: domainId,
        identifier: again.runId,
      }),
    );
    expect(second.runStatisticsForAssets?.added ?? 0).toBe(0);
    expect(second.runStatisticsForAssets?.updated ?? 0).toBe(0);
  });

  it('resumes after StartDataSourceRun fails without creating a second data source', async () => {
    const action = createDataZoneRunDataSourceAction({ clients: env.clients });
    const input = runInput({ dataSourceName: 'dz-returns-fault' });
    const checkpoints = checkpointStore();
    env.failNext('StartDataSourceRunCommand', 'before');
    const failure = await runAction(action, input, {
      checkpoints,
      taskId: 'task-run-fault',
    }).then(
      () => undefined,
      e => e,
    );
    expect(failure?.message).toMatch(/What exists after this failure/);
    const out = await runAction(action, input, {
      checkpoints,
      taskId: 'task-run-fault',
    });
    expect(out.runStatus).toBe('SUCCESS');
    const sources = await dz.send(
      new ListDataSourcesCommand({
        domainIdentifier: domainId,
        projectIdentifier: salesProjectId,
        name: 'dz-returns-fault',
      }),
    );
    expect(
      sources.items?.filter(item => item.name === 'dz-returns-fault'),
    ).toHaveLength(1);
  });
});
