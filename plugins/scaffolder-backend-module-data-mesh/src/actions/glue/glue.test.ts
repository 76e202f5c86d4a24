import {
  CreateDatabaseCommand,
  GetCrawlerCommand,
  GetDatabaseCommand,
  GetTableCommand,
  GlueClient,
} from '@aws-sdk/client-glue';
import {
  ActionTestEnv,
  checkpointStore,
  expectInputError,
  runAction,
  startActionTestEnv,
} from '../../__testUtils__/harness';
import { createGlueCreateCrawlerAction } from './createCrawler';
import { createGlueCreateDatabaseAction } from './createDatabase';
import { createGlueCreateTableAction } from './createTable';

jest.setTimeout(60_000);

let env: ActionTestEnv;
let glue: GlueClient;
beforeAll(async () => {
  env = await startActionTestEnv();
  glue = await env.clients.getClient(GlueClient, env.producer);
});
afterAll(() => env?.stop());

describe('data-mesh:glue:create-database', () => {
  it('creates the database with no IAMAllowedPrincipals default and accepts it again', async () => {
    const action = createGlueCreateDatabaseAction({ clients: env.clients });
    const input = {
      ...env.producer,
      databaseName: 'orders_db',
      locationUri: 's3://dm-glue/orders/',
      description: 'Orders',
    };
    const out = await runAction(action, input);
    expect(out).toMatchObject({
      databaseName: 'orders_db',
      databaseArn: `arn:aws:glue:us-east-1:${env.producer.accountId}:database/orders_db`,
      created: true,
    });
    const db = await glue.send(new GetDatabaseCommand({ Name: 'orders_db' }));
    expect(db.Database?.LocationUri).toBe('s3://dm-glue/orders/');
    expect(db.Database?.CreateTableDefaultPermissions ?? []).toEqual([]);
    const again = await runAction(action, input, { taskId: 'another-task' });
    expect(again.created).toBe(false);
  });

  it('refuses an existing database at another location', async () => {
    await glue.send(
      new CreateDatabaseCommand({
        DatabaseInput: { Name: 'elsewhere_db', LocationUri: 's3://other/' },
      }),
    );
    const action = createGlueCreateDatabaseAction({ clients: env.clients });
    await expectInputError(
      runAction(action, {
        ...env.producer,
        databaseName: 'elsewhere_db',
        locationUri: 's3://dm-glue/x/',
      }),
      /databaseName: database elsewhere_db already exists with location s3:\/\/other\//,
    );
  });

  it.each([
    [
      { databaseName: 'Orders' },
      /databaseName: may contain only lowercase letters, digits and underscores/,
    ],
    [
      { databaseName: '1orders' },
      /databaseName: must start with a lowercase letter/,
    ],
    [{ databaseName: 'orders-db' }, /databaseName: may contain only/],
    [{ databaseName: '' }, /databaseName: must be 1 to 255 characters/],
    [
      { databaseName: 'ok', locationUri: 'https://bucket/' },
      /locationUri: must be an S3 URI/,
    ],
    [
      { databaseName: 'ok', locationUri: 's3://Bad_Bucket/' },
      /locationUri: bucket name may contain only lowercase/,
    ],
  ])('rejects %j before any AWS call', async (override, message) => {
    const before = env.calls.length;
    await expectInputError(
      runAction(createGlueCreateDatabaseAction({ clients: env.clients }), {
        ...env.producer,
        ...override,
      }),
      message,
    );
    expect(env.calls.length).toBe(before);
  });
});

describe('data-mesh:glue:create-table', () => {
  const table = () => ({
    ...env.producer,
    databaseName: 'orders_db',
    tableName: 'orders',
    description: 'One row per order',
    columns: [
      { name: 'order_id', type: 'bigint', description: 'Order key' },
      { name: 'total', type: 'decimal(12,2)' },
      { name: 'lines', type: 'array<struct<sku:string,qty:int>>' },
    ],
    partitionKeys: [{ name: 'order_date', type: 'date' }],
    location: 's3://dm-glue/orders/orders',
    format: 'parquet',
  });

  beforeAll(async () => {
    await runAction(createGlueCreateDatabaseAction({ clients: env.clients }), {
      ...env.producer,
      databaseName: 'orders_db',
      locationUri: 's3://dm-glue/orders/',
    });
  });

  it('creates the table with its columns, partitions, format and location; an identical one is accepted', async () => {
    const action = createGlueCreateTableAction({ clients: env.clients });
    const out = await runAction(action, table());
    expect(out).toMatchObject({
      created: true,
      location: 's3://dm-glue/orders/orders/',
      tableArn: `arn:aws:glue:us-east-1:${env.producer.accountId}:table/orders_db/orders`,
    });
    const got = await glue.send(
      new GetTableCommand({ DatabaseName: 'orders_db', Name: 'orders' }),
    );
    expect(
      got.Table?.StorageDescriptor?.Columns?.map(c => [
        c.Name,
        c.Type,
        c.Comment,
      ]),
    ).toEqual([
      ['order_id', 'bigint', 'Order key'],
      ['total', 'decimal(12,2)', undefined],
      ['lines', 'array<struct<sku:string,qty:int>>', undefined],
    ]);
    expect(got.Table?.PartitionKeys?.map(c => c.Name)).toEqual(['order_date']);
    expect(
      got.Table?.StorageDescriptor?.SerdeInfo?.SerializationLibrary,
    ).toContain('ParquetHiveSerDe');
    expect(got.Table?.Parameters?.classification).toBe('parquet');
    expect(
      (await runAction(action, table(), { taskId: 'again' })).created,
    ).toBe(false);
  });

  it('refuses an existing table with other columns', async () => {
    const action = createGlueCreateTableAction({ clients: env.clients });
    await expectInputError(
      runAction(action, {
        ...table(),
        columns: [{ name: 'other', type: 'string' }],
      }),
      /tableName: table orders_db.orders already exists with other columns/,
    );
  });

  it('names a missing database', async () => {
    await expectInputError(
      runAction(createGlueCreateTableAction({ clients: env.clients }), {
        ...table(),
        databaseName: 'missing_db',
      }),
      /databaseName: Glue database missing_db does not exist/,
    );
  });

  it.each([
    [{ columns: [] }, /columns: needs at least one column/],
    [
      { columns: [{ name: 'Bad Name', type: 'string' }] },
      /columns\[0\].name: must be 1 to 255 lowercase/,
    ],
    [
      { columns: [{ name: 'a', type: 'varchar' }] },
      /columns\[0\].type: "varchar" is not a Glue column type/,
    ],
    [
      { columns: [{ name: 'a', type: 'decimal(40,2)' }] },
      /columns\[0\].type: "decimal\(40,2\)" is not a Glue column type/,
    ],
    [{ columns: [{ name: 'a', type: 'map<string>' }] }, /columns\[0\].type/],
    [
      { columns: [{ name: 'a', type: 'text' }] },
      /columns\[0\].type: "text" is not a Glue column type/,
    ],
    [
      {
        columns: [
          { name: 'a', type: 'int' },
          { name: 'a', type: 'int' },
        ],
      },
      /columns\[1\].name: column a appears twice/,
    ],
    [
      { partitionKeys: [{ name: 'order_id', type: 'int' }] },
      /partitionKeys\[0\].name: column order_id appears twice/,
    ],
    [{ tableName: 'Orders' }, /tableName: may contain only lowercase/],
    [{ format: 'xlsx' }, /format: Invalid enum value/],
    [{ location: 's3://ok-bucket/*' }, /location: must not contain wildcards/],
  ])('rejects %j before any AWS call', async (override, message) => {
    const before = env.calls.length;
    await expectInputError(
      runAction(createGlueCreateTableAction({ clients: env.clients }), {
        ...table(),
        ...override,
      }),
      message,
    );
    expect(env.calls.length).toBe(before);
  });

  it('resumes after CreateTable succeeded but its answer was lost, creating nothing twice', async () => {
    const action = createGlueCreateTableAction({ clients: env.clients });
    const checkpoints = checkpointStore();
    env.sent.clear();
    env.failNext('CreateTableCommand', 'after');
    const input = { ...table(), tableName: 'lost_answer' };
    await expect(runAction(action, input, { checkpoints })).rejects.toThrow(
      /nothing was created by this step/,
    );
    const out = await runAction(action, input, { checkpoints });
    // The retry found the table it had made, identical: accepted, not recreated.
    expect(out.created).toBe(false);
    expect(env.sent.get('CreateTableCommand')).toBe(2);
    expect(env.sent.get('GetTableCommand')).toBe(1);
  });
});

describe('data-mesh:glue:create-crawler', () => {
  const crawler = () => ({
    ...env.producer,
    crawlerName: 'orders-crawler',
    roleArn: `arn:aws:iam::${env.producer.accountId}:role/DataMeshProducerAccess`,
    databaseName: 'orders_db',
    s3Targets: ['s3://dm-glue/orders/'],
  });

  it('creates the crawler and starts it once; a retry does not start it again', async () => {
    const action = createGlueCreateCrawlerAction({ clients: env.clients });
    const checkpoints = checkpointStore();
    env.sent.clear();
    const out = await runAction(action, crawler(), { checkpoints });
    expect(out).toMatchObject({
      crawlerName: 'orders-crawler',
      created: true,
      started: true,
    });
    const got = await glue.send(
      new GetCrawlerCommand({ Name: 'orders-crawler' }),
    );
    expect(got.Crawler).toMatchObject({
      DatabaseName: 'orders_db',
      Role: crawler().roleArn,
    });
    expect(got.Crawler?.Targets?.S3Targets?.[0].Path).toBe(
      's3://dm-glue/orders/',
    );
    await runAction(action, crawler(), { checkpoints });
    expect(env.sent.get('StartCrawlerCommand')).toBe(1);
    expect(env.sent.get('CreateCrawlerCommand')).toBe(1);
  });

  it('names a role that does not exist, creating nothing', async () => {
    const action = createGlueCreateCrawlerAction({ clients: env.clients });
    env.sent.clear();
    await expectInputError(
      runAction(action, {
        ...crawler(),
        crawlerName: 'no-role',
        roleArn: `arn:aws:iam::${env.producer.accountId}:role/NoSuchRole`,
      }),
      /roleArn: role .*NoSuchRole does not exist/,
    );
    expect(env.sent.get('CreateCrawlerCommand')).toBeUndefined();
  });

  it.each([
    [
      { roleArn: 'arn:aws:iam::111111111111:role/Other' },
      /roleArn: must be a role in account/,
    ],
    [
      { roleArn: 'arn:aws:iam::222222222222:role/*' },
      /roleArn: must name one IAM role, not a wildcard/,
    ],
    [{ s3Targets: [] }, /s3Targets: needs at least one S3 location/],
    [{ crawlerName: 'bad name' }, /crawlerName: must be 1 to 255/],
    [{ schedule: '0 6 * * *' }, /schedule: must be a Glue cron expression/],
  ])('rejects %j before any AWS call', async (override, message) => {
    const before = env.calls.length;
    await expectInputError(
      runAction(createGlueCreateCrawlerAction({ clients: env.clients }), {
        ...crawler(),
        ...override,
      }),
      message,
    );
    expect(env.calls.length).toBe(before);
  });

  const table0 = () => ({
    ...env.producer,
    databaseName: 'x',
    tableName: 't',
    columns: [{ name: 'a', type: 'int' }],
    location: 's3://dm-glue/t/',
  });

  it('makes no AWS call in a dry run of any Glue action', async () => {
    const before = env.calls.length;
    const outs = [
      await runAction(
        createGlueCreateDatabaseAction({ clients: env.clients }),
        { ...env.producer, databaseName: 'dry_db' },
        { dryRun: true },
      ),
      await runAction(
        createGlueCreateTableAction({ clients: env.clients }),
        { ...table0(), databaseName: 'dry_db' },
        { dryRun: true },
      ),
      await runAction(
        createGlueCreateCrawlerAction({ clients: env.clients }),
        { ...crawler(), databaseName: 'dry_db' },
        { dryRun: true },
      ),
    ];
    expect(env.calls.length).toBe(before);
    expect(outs.map(o => o.resources[0].status)).toEqual([
      'would-create',
      'would-create',
      'would-create',
    ]);
  });
});
