import {
  CreateBucketCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import { addProblems, inputError, parseInput } from '../../lib/input';
import {
  actionSchemas,
  AwsClients,
  ResourceLedger,
  awsError,
  awsErrorName,
  resourceSchema,
  targetFields,
  withLedger,
} from '../../lib/common';
import { bucketNameProblems } from '../../lib/rules';
import { examples } from './createBucket.examples';

export const CREATE_BUCKET_ACTION_ID = 'data-mesh:s3:create-bucket';

const tagValue = (what: string) => z.string().min(1).max(256).describe(what);

const inputSchema = z
  .object({
    bucketName: z
      .string()
      .describe(
        'Bucket name: 3–63 lowercase letters, digits and hyphens, globally unique',
      )
      .superRefine((name, ctx) => addProblems(ctx, bucketNameProblems(name))),
    ...targetFields,
    encryption: z
      .enum(['SSE-KMS', 'SSE-S3'])
      .default('SSE-KMS')
      .describe(
        'Default encryption: SSE-KMS (the AWS managed aws/s3 key, or kmsKeyArn) or SSE-S3 (AES-256)',
      ),
    kmsKeyArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/+=,.@-]+$/,
        'must be a KMS key or alias ARN',
      )
      .optional()
      .describe('KMS key for SSE-KMS; the AWS managed aws/s3 key when omitted'),
    owner: tagValue('Owning group entity ref, tagged as "owner"'),
    domain: tagValue('Data mesh domain, tagged as "domain"'),
    product: tagValue('Data product name, tagged as "data-product"'),
    tags: z
      .record(z.string().min(1).max(256))
      .default({})
      .describe(
        'More tags (at most 47 besides owner, domain and data-product)',
      ),
  })
  .superRefine((input, ctx) => {
    if (input.kmsKeyArn && input.encryption !== 'SSE-KMS') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['kmsKeyArn'],
        message: 'is only used with encryption SSE-KMS',
      });
    }
    const keys = Object.keys(input.tags);
    if (keys.length > 47) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['tags'],
        message:
          'at most 50 tags per bucket, 3 of which are owner, domain and data-product',
      });
    }
    for (const key of keys) {
      if (key.length > 128 || key.toLowerCase().startsWith('aws:')) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['tags', key],
          message: 'tag keys are 1–128 characters and may not start with aws:',
        });
      }
    }
  });

const outputSchema = z.object({
  bucketName: z.string().describe('The bucket name'),
  bucketArn: z.string().describe('arn:aws:s3:::<bucket>'),
  location: z.string().describe('s3://<bucket>/, for Glue and Lake Formation'),
  created: z
    .boolean()
    .describe('false when the bucket already existed in the account'),
  resources: z.array(resourceSchema).describe('What exists after this step'),
});

/**
 * `data-mesh:s3:create-bucket`: a bucket with the suite's secure defaults.
 *
 * @public
 */
export function createS3CreateBucketAction(options: { clients: AwsClients }) {
  return createTemplateAction({
    id: CREATE_BUCKET_ACTION_ID,
    description:
      'Creates an S3 bucket for a data product: default encryption (SSE-KMS or SSE-S3), all public access blocked, versioning on, tagged with owner, domain and product. A bucket the account already owns is brought to these settings; one owned by another account is an error.',
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(CREATE_BUCKET_ACTION_ID, inputSchema, ctx.input);
      const bucket = input.bucketName;
      const bucketArn = `arn:aws:s3:::${bucket}`;
      const tags: Record<string, string> = {
        ...input.tags,
        owner: input.owner,
        domain: input.domain,
        'data-product': input.product,
      };
      const encryptionText =
        input.encryption === 'SSE-KMS'
          ? `SSE-KMS (${input.kmsKeyArn ?? 'aws/s3'})`
          : 'SSE-S3';

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create bucket ${bucket} in account ${
            input.accountId
          } (${
            input.region
          }) with ${encryptionText}, public access blocked, versioning on and tags ${JSON.stringify(
            tags,
          )}`,
        );
        ctx.output('bucketName', bucket);
        ctx.output('bucketArn', bucketArn);
        ctx.output('location', `s3://${bucket}/`);
        ctx.output('created', true);
        ctx.output('resources', [
          {
            type: 's3-bucket',
            id: bucket,
            arn: bucketArn,
            status: 'would-create',
          },
        ]);
        return;
      }

      const s3 = await options.clients.getClient(S3Client, {
        accountId: input.accountId,
        region: input.region,
      });
      const ledger = new ResourceLedger();
      await withLedger(ctx, ledger, async () => {
        const { created } = await ctx.checkpoint({
          key: `bucket.${bucket}`,
          fn: async () => ({
            created: await ensureBucket(s3, bucket, input.accountId),
          }),
        });
        ledger.record({
          type: 's3-bucket',
          id: bucket,
          arn: bucketArn,
          status: created ? 'created' : 'existed',
        });
        ctx.logger.info(
          created
            ? `Created bucket ${bucket}`
            : `Bucket ${bucket} already exists in account ${input.accountId}; applying the settings`,
        );

        await ctx.checkpoint({
          key: `bucket.${bucket}.public-access-block`,
          fn: async () => {
            await send(s3, 'S3 PutPublicAccessBlock', bucket, () =>
              s3.send(
                new PutPublicAccessBlockCommand({
                  Bucket: bucket,
                  ExpectedBucketOwner: input.accountId,
                  PublicAccessBlockConfiguration: {
                    BlockPublicAcls: true,
                    IgnorePublicAcls: true,
                    BlockPublicPolicy: true,
                    RestrictPublicBuckets: true,
                  },
                }),
              ),
            );
          },
        });
        ledger.record({
          type: 's3-public-access-block',
          id: bucket,
          status: 'updated',
        });

        await ctx.checkpoint({
          key: `bucket.${bucket}.encryption`,
          fn: async () => {
            await send(s3, 'S3 PutBucketEncryption', bucket, () =>
              s3.send(
                new PutBucketEncryptionCommand({
                  Bucket: bucket,
                  ExpectedBucketOwner: input.accountId,
                  ServerSideEncryptionConfiguration: {
                    Rules: [
                      input.encryption === 'SSE-KMS'
                        ? {
                            ApplyServerSideEncryptionByDefault: {
                              SSEAlgorithm: 'aws:kms',
                              ...(input.kmsKeyArn
                                ? { KMSMasterKeyID: input.kmsKeyArn }
                                : {}),
                            },
                            // Fewer KMS requests (and costs) per object.
                            BucketKeyEnabled: true,
                          }
                        : {
                            ApplyServerSideEncryptionByDefault: {
                              SSEAlgorithm: 'AES256',
                            },
                          },
                    ],
                  },
                }),
              ),
            );
          },
        });
        ledger.record({
          type: 's3-encryption',
          id: `${bucket} ${encryptionText}`,
          status: 'updated',
        });

        await ctx.checkpoint({
          key: `bucket.${bucket}.versioning`,
          fn: async () => {
            await send(s3, 'S3 PutBucketVersioning', bucket, () =>
              s3.send(
                new PutBucketVersioningCommand({
                  Bucket: bucket,
                  ExpectedBucketOwner: input.accountId,
                  VersioningConfiguration: { Status: 'Enabled' },
                }),
              ),
            );
          },
        });
        ledger.record({ type: 's3-versioning', id: bucket, status: 'updated' });

        await ctx.checkpoint({
          key: `bucket.${bucket}.tags`,
          fn: async () => {
            // PutBucketTagging replaces the whole set: keep tags an existing
            // bucket already had.
            const existing = created
              ? {}
              : await currentTags(s3, bucket, input.accountId);
            const merged = { ...existing, ...tags };
            await send(s3, 'S3 PutBucketTagging', bucket, () =>
              s3.send(
                new PutBucketTaggingCommand({
                  Bucket: bucket,
                  ExpectedBucketOwner: input.accountId,
                  Tagging: {
                    TagSet: Object.entries(merged).map(([Key, Value]) => ({
                      Key,
                      Value,
                    })),
                  },
                }),
              ),
            );
          },
        });
        ledger.record({ type: 's3-tags', id: bucket, status: 'updated' });

        ctx.output('bucketName', bucket);
        ctx.output('bucketArn', bucketArn);
        ctx.output('location', `s3://${bucket}/`);
        ctx.output('created', created);
        ctx.output('resources', ledger.resources);
      });
    },
  });
}

async function send<T>(
  _s3: S3Client,
  operation: string,
  bucket: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw awsError(error, operation, `bucket ${bucket}`);
  }
}

/**
 * Creates the bucket unless the account owns it already. Returns whether it
 * was created. A name taken by another account is an `InputError` on
 * `bucketName` (S3 names are global).
 */
async function ensureBucket(
  s3: S3Client,
  bucket: string,
  accountId: string,
): Promise<boolean> {
  const taken = () =>
    inputError(
      CREATE_BUCKET_ACTION_ID,
      'bucketName',
      `the bucket name ${bucket} is already taken by another AWS account (S3 bucket names are global); choose another name`,
    );
  let exists = false;
  try {
    await s3.send(
      new HeadBucketCommand({ Bucket: bucket, ExpectedBucketOwner: accountId }),
    );
    exists = true;
  } catch (error) {
    const name = awsErrorName(error);
    const status = (error as { $metadata?: { httpStatusCode?: number } })
      .$metadata?.httpStatusCode;
    if (status === 403 || name === 'Forbidden') {
      throw taken();
    }
    if (status !== 404 && name !== 'NotFound' && name !== 'NoSuchBucket') {
      throw awsError(error, 'S3 HeadBucket', `bucket ${bucket}`);
    }
  }
  // Even when HeadBucket answered, CreateBucket is what tells ours from
  // someone else's everywhere (some S3 implementations ignore
  // ExpectedBucketOwner): ours is 200 (us-east-1) or BucketAlreadyOwnedByYou.
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ObjectOwnership: 'BucketOwnerEnforced',
      }),
    );
  } catch (error) {
    const name = awsErrorName(error);
    if (name === 'BucketAlreadyOwnedByYou') {
      return false;
    }
    if (name === 'BucketAlreadyExists') {
      throw taken();
    }
    throw awsError(error, 'S3 CreateBucket', `bucket ${bucket}`);
  }
  return !exists;
}

async function currentTags(
  s3: S3Client,
  bucket: string,
  accountId: string,
): Promise<Record<string, string>> {
  try {
    const { TagSet } = await s3.send(
      new GetBucketTaggingCommand({
        Bucket: bucket,
        ExpectedBucketOwner: accountId,
      }),
    );
    return Object.fromEntries(
      (TagSet ?? []).map(tag => [tag.Key ?? '', tag.Value ?? '']),
    );
  } catch (error) {
    if (awsErrorName(error) === 'NoSuchTagSet') {
      return {};
    }
    throw awsError(error, 'S3 GetBucketTagging', `bucket ${bucket}`);
  }
}
