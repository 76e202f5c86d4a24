import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { InputError } from '@backstage/errors';
import {
  ActionTestEnv,
  checkpointStore,
  runAction,
  startActionTestEnv,
} from '../../__testUtils__/harness';
import { createS3CreateBucketAction } from './createBucket';

jest.setTimeout(60_000);

let env: ActionTestEnv;
let s3: S3Client;
beforeAll(async () => {
  env = await startActionTestEnv();
  s3 = await env.clients.getClient(S3Client, env.producer);
});
afterAll(() => env?.stop());

const base = () => ({
  accountId: env.producer.accountId,
  region: env.producer.region,
  owner: 'group:default/sales-domain',
  domain: 'Sales',
  product: 'Orders',
});

describe('data-mesh:s3:create-bucket', () => {
  it('creates an encrypted, private, versioned, tagged bucket', async () => {
    const action = createS3CreateBucketAction({ clients: env.clients });
    const out = await runAction(action, {
      ...base(),
      bucketName: 'dm-orders-a',
    });
    expect(out).toMatchObject({
      bucketName: 'dm-orders-a',
      bucketArn: 'arn:aws:s3:::dm-orders-a',
      location: 's3://dm-orders-a/',
      created: true,
    });
    const enc = await s3.send(
      new GetBucketEncryptionCommand({ Bucket: 'dm-orders-a' }),
    );
    expect(enc.ServerSideEncryptionConfiguration?.Rules?.[0]).toMatchObject({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
      BucketKeyEnabled: true,
    });
    const pab = await s3.send(
      new GetPublicAccessBlockCommand({ Bucket: 'dm-orders-a' }),
    );
    expect(pab.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const versioning = await s3.send(
      new GetBucketVersioningCommand({ Bucket: 'dm-orders-a' }),
    );
    expect(versioning.Status).toBe('Enabled');
    const tags = await s3.send(
      new GetBucketTaggingCommand({ Bucket: 'dm-orders-a' }),
    );
    expect(tags.TagSet).toEqual(
      expect.arrayContaining([
        { Key: 'owner', Value: 'group:default/sales-domain' },
        { Key: 'domain', Value: 'Sales' },
        { Key: 'data-product', Value: 'Orders' },
      ]),
    );
  });

  it('uses SSE-S3 when asked', async () => {
    const action = createS3CreateBucketAction({ clients: env.clients });
    await runAction(action, {
      ...base(),
      bucketName: 'dm-orders-sse-s3',
      encryption: 'SSE-S3',
    });
    const enc = await s3.send(
      new GetBucketEncryptionCommand({ Bucket: 'dm-orders-sse-s3' }),
    );
    expect(
      enc.ServerSideEncryptionConfiguration?.Rules?.[0]
        .ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    ).toBe('AES256');
  });

  it('accepts a bucket the account already owns, keeps its other tags and reports it as existing', async () => {
    const action = createS3CreateBucketAction({ clients: env.clients });
    await runAction(
      action,
      { ...base(), bucketName: 'dm-orders-owned' },
      { taskId: 'first' },
    );
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: 'dm-orders-owned',
        Tagging: {
          TagSet: [
            { Key: 'keep-me', Value: 'yes' },
            { Key: 'owner', Value: 'someone' },
          ],
        },
      }),
    );
    const out = await runAction(
      action,
      { ...base(), bucketName: 'dm-orders-owned' },
      { taskId: 'second' },
    );
    expect(out.created).toBe(false);
    expect(out.resources[0]).toMatchObject({
      type: 's3-bucket',
      status: 'existed',
    });
    const tags = await s3.send(
      new GetBucketTaggingCommand({ Bucket: 'dm-orders-owned' }),
    );
    expect(tags.TagSet).toEqual(
      expect.arrayContaining([
        { Key: 'keep-me', Value: 'yes' },
        { Key: 'owner', Value: 'group:default/sales-domain' },
      ]),
    );
  });

  it('rejects a bucket name taken by another account, naming the field', async () => {
    const governanceS3 = await env.clients.getClient(S3Client, {
      region: env.governance.region,
    });
    await governanceS3.send(
      new CreateBucketCommand({ Bucket: 'dm-someone-elses' }),
    );
    const action = createS3CreateBucketAction({ clients: env.clients });
    const failure = runAction(action, {
      ...base(),
      bucketName: 'dm-someone-elses',
    });
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(
      /bucketName: the bucket name dm-someone-elses is already taken by another AWS account/,
    );
    await expect(failure).rejects.toThrow(
      /What exists after this failure: nothing was created by this step/,
    );
  });

  it.each([
    ['Upper-Case', /bucketName: may contain only lowercase/],
    ['ab', /bucketName: must be 3 to 63 characters/],
    ['a'.repeat(64), /bucketName: must be 3 to 63 characters/],
    ['-leading', /bucketName: must begin and end/],
    ['trailing-', /bucketName: must begin and end/],
    ['has.dots', /bucketName: must not contain dots/],
    ['192.168.1.10', /bucketName: must not look like an IP address/],
    ['xn--punycode', /bucketName: must not start with "xn--"/],
    ['sthree-bucket', /bucketName: must not start with "sthree-"/],
    ['my-bucket-s3alias', /bucketName: must not end with "-s3alias"/],
    ['my-bucket--ol-s3', /bucketName: must not end with "--ol-s3"/],
  ])(
    'rejects the bucket name %s before any AWS call',
    async (bucketName, message) => {
      const before = env.calls.length;
      const action = createS3CreateBucketAction({ clients: env.clients });
      await expect(
        runAction(action, { ...base(), bucketName }),
      ).rejects.toThrow(message);
      expect(env.calls.length).toBe(before);
    },
  );

  it.each([
    [{ accountId: '1234' }, /accountId: must be a 12-digit AWS account id/],
    [{ region: 'Europe' }, /region: must be an AWS region/],
    [{ encryption: 'NONE' }, /encryption: Invalid enum value/],
    [
      {
        encryption: 'SSE-S3',
        kmsKeyArn: 'arn:aws:kms:us-east-1:222222222222:key/abc',
      },
      /kmsKeyArn: is only used with encryption SSE-KMS/,
    ],
    [{ kmsKeyArn: 'my-key' }, /kmsKeyArn: must be a KMS key or alias ARN/],
    [{ owner: '' }, /owner: String must contain at least 1/],
    [
      { tags: { 'aws:reserved': 'x' } },
      /tags.aws:reserved: tag keys are 1–128 characters and may not start with aws:/,
    ],
  ])('rejects %j before any AWS call', async (override, message) => {
    const before = env.calls.length;
    const action = createS3CreateBucketAction({ clients: env.clients });
    const failure = runAction(action, {
      ...base(),
      bucketName: 'dm-valid-name',
      ...override,
    });
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
    expect(env.calls.length).toBe(before);
  });

  it('makes no AWS call in a dry run and says what it would create', async () => {
    const before = env.calls.length;
    const action = createS3CreateBucketAction({ clients: env.clients });
    const out = await runAction(
      action,
      { ...base(), bucketName: 'dm-dry-run' },
      { dryRun: true },
    );
    expect(env.calls.length).toBe(before);
    expect(out.resources).toEqual([
      {
        type: 's3-bucket',
        id: 'dm-dry-run',
        arn: 'arn:aws:s3:::dm-dry-run',
        status: 'would-create',
      },
    ]);
  });

  it.each([
    'CreateBucketCommand',
    'PutPublicAccessBlockCommand',
    'PutBucketEncryptionCommand',
    'PutBucketVersioningCommand',
    'PutBucketTaggingCommand',
  ])('resumes after %s failed, doing nothing twice', async command => {
    const bucketName = `dm-retry-${command
      .replace('Command', '')
      .toLowerCase()}`.slice(0, 63);
    const action = createS3CreateBucketAction({ clients: env.clients });
    const checkpoints = checkpointStore();
    env.sent.clear();
    env.failNext(command, 'before');
    const failure = runAction(
      action,
      { ...base(), bucketName },
      { checkpoints },
    );
    await expect(failure).rejects.toThrow(/What exists after this failure/);
    const out = await runAction(
      action,
      { ...base(), bucketName },
      { checkpoints },
    );
    expect(out.bucketName).toBe(bucketName);
    for (const step of [
      'CreateBucketCommand',
      'PutPublicAccessBlockCommand',
      'PutBucketEncryptionCommand',
      'PutBucketVersioningCommand',
      'PutBucketTaggingCommand',
    ]) {
      expect([step, env.sent.get(step)]).toEqual([step, 1]);
    }
    expect(out.created).toBe(true);
  });
});
