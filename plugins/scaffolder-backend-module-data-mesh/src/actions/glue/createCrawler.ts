import {
  CreateCrawlerCommand,
  GetCrawlerCommand,
  GetDatabaseCommand,
  GlueClient,
  StartCrawlerCommand,
} from '@aws-sdk/client-glue';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
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
import { addProblems, inputError, parseInput } from '../../lib/input';
import {
  glueNameProblems,
  parseRoleArn,
  roleArnProblems,
  s3UriProblems,
} from '../../lib/rules';
import { examples } from './createCrawler.examples';

export const CREATE_CRAWLER_ACTION_ID = 'data-mesh:glue:create-crawler';

const inputSchema = z
  .object({
    crawlerName: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/,
        'must be 1 to 255 letters, digits, _ . or -, starting with a letter or digit',
      )
      .describe('Crawler name'),
    roleArn: z
      .string()
      .describe(
        'IAM role the crawler runs as (in the same account); must exist',
      )
      .superRefine((arn, ctx) => addProblems(ctx, roleArnProblems(arn))),
    databaseName: z
      .string()
      .describe('Glue database the crawler writes tables to; must exist')
      .superRefine((name, ctx) => addProblems(ctx, glueNameProblems(name))),
    s3Targets: z
      .array(
        z
          .string()
          .superRefine((uri, ctx) => addProblems(ctx, s3UriProblems(uri))),
      )
      .min(1, 'needs at least one S3 location')
      .max(10)
      .describe('S3 locations to crawl, e.g. [s3://my-bucket/orders/]'),
    tablePrefix: z
      .string()
      .regex(
        /^[a-z0-9_]{0,128}$/,
        'may contain only lowercase letters, digits and underscores',
      )
      .optional()
      .describe('Prefix for the names of the tables it creates'),
    schedule: z
      .string()
      .regex(
        /^(cron\(.+\))?$/,
        'must be a Glue cron expression such as cron(0 6 * * ? *)',
      )
      .optional()
      .describe('When to crawl again; on demand only when omitted'),
    start: z.boolean().default(true).describe('Start one crawl now'),
    ...targetFields,
  })
  .superRefine((input, ctx) => {
    const role = parseRoleArn(input.roleArn);
    if (role && role.accountId !== input.accountId) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['roleArn'],
        message: `must be a role in account ${input.accountId}, where the crawler runs`,
      });
    }
  });

const outputSchema = z.object({
  crawlerName: z.string().describe('The crawler name'),
  crawlerArn: z.string().describe('The crawler ARN'),
  created: z.boolean().describe('false when it already existed'),
  started: z
    .boolean()
    .describe('Whether a crawl was started (or was already running)'),
  resources: z.array(resourceSchema).describe('What exists after this step'),
});

/**
 * `data-mesh:glue:create-crawler`.
 *
 * @public
 */
export function createGlueCreateCrawlerAction(options: {
  clients: AwsClients;
}) {
  return createTemplateAction({
    id: CREATE_CRAWLER_ACTION_ID,
    description:
      "Creates a Glue crawler over the product's S3 location that writes tables into its database, and starts it once. Checks first that the role and the database exist.",
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(
        CREATE_CRAWLER_ACTION_ID,
        inputSchema,
        ctx.input,
      );
      const name = input.crawlerName;
      const crawlerArn = `arn:aws:glue:${input.region}:${input.accountId}:crawler/${name}`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create Glue crawler ${name} over ${input.s3Targets.join(
            ', ',
          )} into ${input.databaseName}, running as ${input.roleArn}${
            input.start ? ', and start it' : ''
          }`,
        );
        ctx.output('crawlerName', name);
        ctx.output('crawlerArn', crawlerArn);
        ctx.output('created', true);
        ctx.output('started', input.start);
        ctx.output('resources', [
          {
            type: 'glue-crawler',
            id: name,
            arn: crawlerArn,
            status: 'would-create',
          },
        ]);
        return;
      }
      const glue = await options.clients.getClient(GlueClient, input);
      const iam = await options.clients.getClient(IAMClient, input);
      const ledger = new ResourceLedger();
      await withLedger(ctx, ledger, async () => {
        const roleName = parseRoleArn(input.roleArn)!.roleName;
        await iam
          .send(new GetRoleCommand({ RoleName: roleName }))
          .catch(error => {
            if (
              ['NoSuchEntity', 'NoSuchEntityException'].includes(
                awsErrorName(error) ?? '',
              )
            ) {
              throw inputError(
                CREATE_CRAWLER_ACTION_ID,
                'roleArn',
                `role ${input.roleArn} does not exist`,
              );
            }
            throw awsError(error, 'IAM GetRole', input.roleArn);
          });
        await glue
          .send(new GetDatabaseCommand({ Name: input.databaseName }))
          .catch(error => {
            if (awsErrorName(error) === 'EntityNotFoundException') {
              throw inputError(
                CREATE_CRAWLER_ACTION_ID,
                'databaseName',
                `Glue database ${input.databaseName} does not exist in account ${input.accountId} (${input.region})`,
              );
            }
            throw awsError(error, 'Glue GetDatabase', input.databaseName);
          });

        const { created } = await ctx.checkpoint({
          key: `glue-crawler.${name}`,
          fn: async () => {
            try {
              await glue.send(
                new CreateCrawlerCommand({
                  Name: name,
                  Role: input.roleArn,
                  DatabaseName: input.databaseName,
                  TablePrefix: input.tablePrefix,
                  Schedule: input.schedule || undefined,
                  Targets: {
                    S3Targets: input.s3Targets.map(Path => ({ Path })),
                  },
                  SchemaChangePolicy: {
                    UpdateBehavior: 'UPDATE_IN_DATABASE',
                    DeleteBehavior: 'LOG',
                  },
                }),
              );
              return { created: true };
            } catch (error) {
              if (awsErrorName(error) !== 'AlreadyExistsException') {
                throw awsError(error, 'Glue CreateCrawler', `crawler ${name}`);
              }
            }
            const existing = await glue
              .send(new GetCrawlerCommand({ Name: name }))
              .catch(error => {
                throw awsError(error, 'Glue GetCrawler', `crawler ${name}`);
              });
            if (existing.Crawler?.DatabaseName !== input.databaseName) {
              throw inputError(
                CREATE_CRAWLER_ACTION_ID,
                'crawlerName',
                `crawler ${name} already exists and writes to database ${existing.Crawler?.DatabaseName}; choose another name`,
              );
            }
            return { created: false };
          },
        });
        ledger.record({
          type: 'glue-crawler',
          id: name,
          arn: crawlerArn,
          status: created ? 'created' : 'existed',
        });

        let started = false;
        if (input.start) {
          ({ started } = await ctx.checkpoint({
            key: `glue-crawler.${name}.start`,
            fn: async () => {
              try {
                await glue.send(new StartCrawlerCommand({ Name: name }));
              } catch (error) {
                // A crawl already under way is as good as the one we asked for.
                if (awsErrorName(error) !== 'CrawlerRunningException') {
                  throw awsError(error, 'Glue StartCrawler', `crawler ${name}`);
                }
              }
              return { started: true };
            },
          }));
          ledger.record({
            type: 'glue-crawler-run',
            id: name,
            status: 'created',
          });
          ctx.logger.info(`Started crawler ${name}`);
        }
        ctx.output('crawlerName', name);
        ctx.output('crawlerArn', crawlerArn);
        ctx.output('created', created);
        ctx.output('started', started);
        ctx.output('resources', ledger.resources);
      });
    },
  });
}
