import {
  DescribeResourceCommand,
  LakeFormationClient,
  RegisterResourceCommand,
} from '@aws-sdk/client-lakeformation';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
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
import { addProblems, parseInput } from '../../lib/input';
import { parseS3Uri, roleArnProblems, s3UriProblems } from '../../lib/rules';
import { examples } from './registerLocation.examples';

export const REGISTER_LOCATION_ACTION_ID =
  'data-mesh:lakeformation:register-location';

const inputSchema = z.object({
  location: z
    .string()
    .describe(
      'The S3 location to put under Lake Formation, e.g. s3://my-bucket/ or s3://my-bucket/orders/',
    )
    .superRefine((uri, ctx) => addProblems(ctx, s3UriProblems(uri))),
  roleArn: z
    .string()
    .optional()
    .describe(
      "Role Lake Formation uses to reach the data; Lake Formation's service-linked role when omitted",
    )
    .superRefine(
      (arn, ctx) => arn !== undefined && addProblems(ctx, roleArnProblems(arn)),
    ),
  hybridAccessEnabled: z
    .boolean()
    .default(false)
    .describe(
      'Keep IAM-based access working next to Lake Formation permissions (off: Lake Formation alone decides)',
    ),
  ...targetFields,
});

const outputSchema = z.object({
  resourceArn: z.string().describe('The registered S3 ARN'),
  created: z.boolean().describe('false when it was already registered'),
  resources: z.array(resourceSchema).describe('What exists after this step'),
});

/** The S3 ARN Lake Formation registers for an s3:// URI (no trailing slash). */
export function s3LocationArn(uri: string): string {
  const { bucket, prefix } = parseS3Uri(uri)!;
  const path = prefix.replace(/\/+$/, '');
  return `arn:aws:s3:::${bucket}${path ? `/${path}` : ''}`;
}

/**
 * `data-mesh:lakeformation:register-location`.
 *
 * @public
 */
export function createLakeFormationRegisterLocationAction(options: {
  clients: AwsClients;
}) {
  return createTemplateAction({
    id: REGISTER_LOCATION_ACTION_ID,
    description:
      "Registers the product's S3 location with Lake Formation, so access to its tables is governed by Lake Formation permissions. A location already registered is accepted.",
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(
        REGISTER_LOCATION_ACTION_ID,
        inputSchema,
        ctx.input,
      );
      const resourceArn = s3LocationArn(input.location);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would register ${resourceArn} with Lake Formation in account ${
            input.accountId
          } using ${input.roleArn ?? 'the service-linked role'}`,
        );
        ctx.output('resourceArn', resourceArn);
        ctx.output('created', true);
        ctx.output('resources', [
          {
            type: 'lf-data-location',
            id: resourceArn,
            arn: resourceArn,
            status: 'would-create',
          },
        ]);
        return;
      }
      const lf = await options.clients.getClient(LakeFormationClient, input);
      const ledger = new ResourceLedger();
      await withLedger(ctx, ledger, async () => {
        const { created } = await ctx.checkpoint({
          key: `lf-location.${resourceArn}`,
          fn: async () => {
            try {
              await lf.send(
                new RegisterResourceCommand({
                  ResourceArn: resourceArn,
                  ...(input.roleArn
                    ? { RoleArn: input.roleArn }
                    : { UseServiceLinkedRole: true }),
                  HybridAccessEnabled: input.hybridAccessEnabled,
                }),
              );
              return { created: true };
            } catch (error) {
              if (awsErrorName(error) !== 'AlreadyExistsException') {
                throw awsError(
                  error,
                  'Lake Formation RegisterResource',
                  resourceArn,
                );
              }
            }
            await lf
              .send(new DescribeResourceCommand({ ResourceArn: resourceArn }))
              .catch(error => {
                throw awsError(
                  error,
                  'Lake Formation DescribeResource',
                  resourceArn,
                );
              });
            return { created: false };
          },
        });
        ledger.record({
          type: 'lf-data-location',
          id: resourceArn,
          arn: resourceArn,
          status: created ? 'created' : 'existed',
        });
        ctx.logger.info(
          `${created ? 'Registered' : 'Already registered'}: ${resourceArn}`,
        );
        ctx.output('resourceArn', resourceArn);
        ctx.output('created', created);
        ctx.output('resources', ledger.resources);
      });
    },
  });
}
