import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  DescribeResourceCommand,
  GetLFTagCommand,
  GetResourceLFTagsCommand,
  LakeFormationClient,
  ListPermissionsCommand,
} from '@aws-sdk/client-lakeformation';
import {
  ActionTestEnv,
  checkpointStore,
  createGlueFixtures,
  expectInputError,
  runAction,
  startActionTestEnv,
} from '../../__testUtils__/harness';
import { createLakeFormationAttachLfTagsAction } from './attachLfTags';
import { createLakeFormationCreateLfTagsAction } from './createLfTags';
import { createLakeFormationGrantAction } from './grant';
import { createLakeFormationRegisterLocationAction } from './registerLocation';

jest.setTimeout(60_000);

let env: ActionTestEnv;
let lf: LakeFormationClient;
let analystRole: string;
beforeAll(async () => {
  env = await startActionTestEnv();
  lf = await env.clients.getClient(LakeFormationClient, env.producer);
  await createGlueFixtures(env, 'lf_db', 's3://dm-lf/lf_db/', [
    'orders',
    'lines',
    'secret',
  ]);
  const iam = await env.clients.getClient(IAMClient, env.producer);
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: 'sales-analysts',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [],
      }),
    }),
  );
  analystRole = role.Role!.Arn!;
});
afterAll(() => env?.stop());

async function permissionsOf(principal: string) {
  const seen: string[] = [];
  for (const resource of [
    { Database: { Name: 'lf_db' } },
    ...['orders', 'lines', 'secret'].map(Name => ({
      Table: { DatabaseName: 'lf_db', Name },
    })),
  ]) {
    const listed = await lf.send(
      new ListPermissionsCommand({
        Principal: { DataLakePrincipalIdentifier: principal },
        Resource: resource,
      }),
    );
    for (const p of listed.PrincipalResourcePermissions ?? []) {
      let what = JSON.stringify(p.Resource);
      if (p.Resource?.Table) what = `table:lf_db.${p.Resource.Table.Name}`;
      if (p.Resource?.Database) what = `database:${p.Resource.Database.Name}`;
      seen.push(
        `${p.Principal?.DataLakePrincipalIdentifier} ${what} ${[
          ...(p.Permissions ?? []),
        ]
          .sort()
          .join('+')} grantable=${
          (p.PermissionsWithGrantOption ?? []).join('+') || '-'
        }`,
      );
    }
  }
  return seen.sort();
}

describe('data-mesh:lakeformation:register-location', () => {
  it('registers the location once and accepts it again', async () => {
    const action = createLakeFormationRegisterLocationAction({
      clients: env.clients,
    });
    const out = await runAction(action, {
      ...env.producer,
      location: 's3://dm-lf/lf_db/',
    });
    expect(out).toMatchObject({
      resourceArn: 'arn:aws:s3:::dm-lf/lf_db',
      created: true,
    });
    const described = await lf.send(
      new DescribeResourceCommand({ ResourceArn: 'arn:aws:s3:::dm-lf/lf_db' }),
    );
    expect(described.ResourceInfo?.ResourceArn).toBe(
      'arn:aws:s3:::dm-lf/lf_db',
    );
    expect(
      (
        await runAction(
          action,
          { ...env.producer, location: 's3://dm-lf/lf_db' },
          { taskId: 'again' },
        )
      ).created,
    ).toBe(false);
  });

  it.each([
    [{ location: 'dm-lf/lf_db' }, /location: must be an S3 URI/],
    [
      { location: 's3://dm-lf/lf_db', roleArn: 'role/x' },
      /roleArn: must be an IAM role ARN/,
    ],
  ])('rejects %j before any AWS call', async (override, message) => {
    const before = env.calls.length;
    await expectInputError(
      runAction(
        createLakeFormationRegisterLocationAction({ clients: env.clients }),
        { ...env.producer, ...override },
      ),
      message,
    );
    expect(env.calls.length).toBe(before);
  });
});

describe('LF-tags', () => {
  it('creates tags, then adds missing values without removing any', async () => {
    const action = createLakeFormationCreateLfTagsAction({
      clients: env.clients,
    });
    const out = await runAction(action, {
      ...env.producer,
      tags: [{ key: 'classification', values: ['internal', 'confidential'] }],
    });
    expect(out.resources).toEqual([
      { type: 'lf-tag', id: 'classification', status: 'created' },
    ]);
    const again = await runAction(
      action,
      {
        ...env.producer,
        tags: [{ key: 'classification', values: ['public', 'internal'] }],
      },
      { taskId: 'again' },
    );
    expect(again.resources).toEqual([
      { type: 'lf-tag', id: 'classification', status: 'updated' },
    ]);
    const tag = await lf.send(
      new GetLFTagCommand({ TagKey: 'classification' }),
    );
    expect([...(tag.TagValues ?? [])].sort()).toEqual([
      'confidential',
      'internal',
      'public',
    ]);
  });

  it('attaches values to the database and a table', async () => {
    const action = createLakeFormationAttachLfTagsAction({
      clients: env.clients,
    });
    await runAction(action, {
      ...env.producer,
      assignments: [
        {
          databaseName: 'lf_db',
          tags: [{ key: 'classification', value: 'internal' }],
        },
        {
          databaseName: 'lf_db',
          tableName: 'secret',
          tags: [{ key: 'classification', value: 'confidential' }],
        },
      ],
    });
    const onTable = await lf.send(
      new GetResourceLFTagsCommand({
        Resource: { Table: { DatabaseName: 'lf_db', Name: 'secret' } },
      }),
    );
    expect(onTable.LFTagsOnTable).toEqual([
      expect.objectContaining({
        TagKey: 'classification',
        TagValues: ['confidential'],
      }),
    ]);
    const onDb = await lf.send(
      new GetResourceLFTagsCommand({
        Resource: { Database: { Name: 'lf_db' } },
      }),
    );
    expect(onDb.LFTagOnDatabase).toEqual([
      expect.objectContaining({
        TagKey: 'classification',
        TagValues: ['internal'],
      }),
    ]);
  });

  it('refuses an undefined value or key before attaching anything', async () => {
    const action = createLakeFormationAttachLfTagsAction({
      clients: env.clients,
    });
    env.sent.clear();
    await expectInputError(
      runAction(action, {
        ...env.producer,
        assignments: [
          {
            databaseName: 'lf_db',
            tableName: 'orders',
            tags: [{ key: 'classification', value: 'top-secret' }],
          },
        ],
      }),
      /assignments\[0\].tags\[0\].value: top-secret is not a value of LF-tag classification/,
    );
    await expectInputError(
      runAction(action, {
        ...env.producer,
        assignments: [
          { databaseName: 'lf_db', tags: [{ key: 'nokey', value: 'x' }] },
        ],
      }),
      /assignments\[0\].tags\[0\].key: LF-tag nokey is not defined/,
    );
    expect(env.sent.get('AddLFTagsToResourceCommand')).toBeUndefined();
  });

  it('fails on the partial failures Lake Formation returns inside a 200, listing them', async () => {
    const action = createLakeFormationAttachLfTagsAction({
      clients: env.clients,
    });
    // Defined when checked, gone when attached: Lake Formation answers 200 with Failures[].
    env.sent.clear();
    const lfClient = lf as any;
    const remove = (next: any, context: any) => async (args: any) => {
      if (context.commandName === 'AddLFTagsToResourceCommand') {
        args.input.LFTags = [
          ...args.input.LFTags,
          { TagKey: 'vanished', TagValues: ['x'] },
        ];
      }
      return next(args);
    };
    lfClient.middlewareStack.add(remove, {
      step: 'initialize',
      name: 'testVanishedTag',
    });
    try {
      const failure = runAction(action, {
        ...env.producer,
        assignments: [
          {
            databaseName: 'lf_db',
            tableName: 'orders',
            tags: [{ key: 'classification', value: 'internal' }],
          },
        ],
      });
      await expect(failure).rejects.toThrow(
        /vanished=x: EntityNotFoundException .*Attached: classification=internal/,
      );
    } finally {
      lfClient.middlewareStack.remove('testVanishedTag');
    }
  });

  it.each([
    [
      { tags: [{ key: 'Classification', values: ['a'] }] },
      /tags\[0\].key: may contain only lowercase/,
    ],
    [
      { tags: [{ key: 'k'.repeat(129), values: ['a'] }] },
      /tags\[0\].key: must be 1 to 128 characters/,
    ],
    [
      { tags: [{ key: 'k', values: [] }] },
      /tags\[0\].values: needs at least one value/,
    ],
    [
      {
        tags: [
          { key: 'k', values: Array.from({ length: 51 }, (_, i) => `v${i}`) },
        ],
      },
      /tags\[0\].values: at most 50 values per call/,
    ],
    [
      { tags: [{ key: 'k', values: ['*'] }] },
      /tags\[0\].values\[0\]: may contain only .*no wildcards/,
    ],
    [
      { tags: [{ key: 'k', values: ['v'.repeat(257)] }] },
      /tags\[0\].values\[0\]: must be 1 to 256 characters/,
    ],
    [
      { tags: [{ key: 'k', values: ['a', 'a'] }] },
      /tags\[0\].values: values must be unique/,
    ],
    [
      {
        tags: [
          { key: 'k', values: ['a'] },
          { key: 'k', values: ['b'] },
        ],
      },
      /tags\[1\].key: LF-tag k appears twice/,
    ],
  ])('rejects %j before any AWS call', async (override, message) => {
    const before = env.calls.length;
    await expectInputError(
      runAction(
        createLakeFormationCreateLfTagsAction({ clients: env.clients }),
        { ...env.producer, ...override },
      ),
      message,
    );
    expect(env.calls.length).toBe(before);
  });
});

describe('data-mesh:lakeformation:grant', () => {
  it('grants DESCRIBE on the database and SELECT+DESCRIBE on the named tables only, to that principal only', async () => {
    const action = createLakeFormationGrantAction({ clients: env.clients });
    const out = await runAction(action, {
      ...env.producer,
      principalArn: analystRole,
      databaseName: 'lf_db',
      tables: ['orders', 'lines'],
    });
    expect(out.grants).toEqual([
      {
        principal: analystRole,
        resource: 'database:lf_db',
        permissions: ['DESCRIBE'],
      },
      {
        principal: analystRole,
        resource: 'table:lf_db.orders',
        permissions: ['SELECT', 'DESCRIBE'],
      },
      {
        principal: analystRole,
        resource: 'table:lf_db.lines',
        permissions: ['SELECT', 'DESCRIBE'],
      },
    ]);
    expect(await permissionsOf(analystRole)).toEqual([
      `${analystRole} database:lf_db DESCRIBE grantable=-`,
      `${analystRole} table:lf_db.lines DESCRIBE+SELECT grantable=-`,
      `${analystRole} table:lf_db.orders DESCRIBE+SELECT grantable=-`,
    ]);
  });

  it('refuses a principal that does not exist, granting nothing', async () => {
    const ghost = `arn:aws:iam::${env.producer.accountId}:role/ghost-team`;
    env.sent.clear();
    await expectInputError(
      runAction(createLakeFormationGrantAction({ clients: env.clients }), {
        ...env.producer,
        principalArn: ghost,
        databaseName: 'lf_db',
        tables: ['orders'],
      }),
      /principalArn: IAM role .*ghost-team does not exist; nothing was granted/,
    );
    expect(env.sent.get('BatchGrantPermissionsCommand')).toBeUndefined();
    expect(await permissionsOf(ghost)).toEqual([]);
  });

  it('refuses a table that does not exist, granting nothing', async () => {
    env.sent.clear();
    await expectInputError(
      runAction(createLakeFormationGrantAction({ clients: env.clients }), {
        ...env.producer,
        principalArn: analystRole,
        databaseName: 'lf_db',
        tables: ['orders', 'nope'],
      }),
      /tables\[1\]: Glue table lf_db.nope does not exist; nothing was granted/,
    );
    expect(env.sent.get('BatchGrantPermissionsCommand')).toBeUndefined();
  });

  it.each([
    [
      { permissions: ['ALL'] },
      /permissions\[0\]: only SELECT and DESCRIBE may be granted/,
    ],
    [
      { permissions: ['INSERT'] },
      /permissions\[0\]: only SELECT and DESCRIBE may be granted/,
    ],
    [{ tables: [] }, /tables: name at least one table/],
    [{ tables: ['*'] }, /tables\[0\]: may contain only lowercase/],
    [
      { principalArn: 'arn:aws:iam::222222222222:role/*' },
      /principalArn: must name one IAM role, not a wildcard/,
    ],
    [
      { principalArn: 'arn:aws:iam::222222222222:user/alice' },
      /principalArn: must be an IAM role ARN/,
    ],
    [
      { principalArn: 'IAM_ALLOWED_PRINCIPALS' },
      /principalArn: must be an IAM role ARN/,
    ],
  ])('rejects %j before any AWS call', async (override, message) => {
    const before = env.calls.length;
    await expectInputError(
      runAction(createLakeFormationGrantAction({ clients: env.clients }), {
        ...env.producer,
        principalArn: analystRole,
        databaseName: 'lf_db',
        tables: ['orders'],
        ...override,
      }),
      message,
    );
    expect(env.calls.length).toBe(before);
  });

  it('resumes after a failed grant call without granting twice', async () => {
    const action = createLakeFormationGrantAction({ clients: env.clients });
    const checkpoints = checkpointStore();
    env.sent.clear();
    env.failNext('BatchGrantPermissionsCommand', 'before');
    const input = {
      ...env.producer,
      principalArn: analystRole,
      databaseName: 'lf_db',
      tables: ['orders'],
      permissions: ['SELECT'],
    };
    await expect(runAction(action, input, { checkpoints })).rejects.toThrow(
      /What exists after this failure: nothing was created/,
    );
    await runAction(action, input, { checkpoints });
    await runAction(action, input, { checkpoints });
    expect(env.sent.get('BatchGrantPermissionsCommand')).toBe(1);
  });

  it('makes no AWS call in a dry run of any Lake Formation action', async () => {
    const before = env.calls.length;
    const out = await runAction(
      createLakeFormationGrantAction({ clients: env.clients }),
      {
        ...env.producer,
        principalArn: analystRole,
        databaseName: 'lf_db',
        tables: ['orders'],
      },
      { dryRun: true },
    );
    await runAction(
      createLakeFormationRegisterLocationAction({ clients: env.clients }),
      { ...env.producer, location: 's3://dm-lf/x/' },
      { dryRun: true },
    );
    await runAction(
      createLakeFormationCreateLfTagsAction({ clients: env.clients }),
      { ...env.producer, tags: [{ key: 'k', values: ['v'] }] },
      { dryRun: true },
    );
    await runAction(
      createLakeFormationAttachLfTagsAction({ clients: env.clients }),
      {
        ...env.producer,
        assignments: [
          { databaseName: 'lf_db', tags: [{ key: 'k', value: 'v' }] },
        ],
      },
      { dryRun: true },
    );
    expect(env.calls.length).toBe(before);
    expect(out.grants).toHaveLength(2);
  });
});
