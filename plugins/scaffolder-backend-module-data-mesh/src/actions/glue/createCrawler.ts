import {
  CreateCrawlerCommand,
  GetCrawlerCommand,
  GetDatabaseCommand,
  GetTablesCommand,
  GlueClient,
  LastCrawlInfo,
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
import { waitFields, waitUntilDone } from '../../lib/wait';
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
    waitForCrawl: z
      .boolean()
      .default(false)
      .describe(
        'Wait until the crawl started here has finished and output the tables it wrote',
      ),
    ...waitFields('crawl', 1800),
    ...targetFields,
  })
  .superRefine((input, ctx) => {
    if (input.waitForCrawl && !input.start) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['waitForCrawl'],
        message: 'waits for the crawl this step starts: set start as well',
      });
    }
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
  crawlStatus: z
    .string()
    .optional()
    .describe('With waitForCrawl: how the crawl ended (SUCCEEDED)'),
  tables: z
    .array(z.string())
    .optional()
    .describe(
      'With waitForCrawl: the tables of the database the crawler wrote (UPDATED_BY_CRAWLER), sorted; empty when it found no files it could classify',
    ),
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
      "Creates a Glue crawler over the product's S3 location that writes tables into its database, and starts it once; with waitForCrawl, waits (bounded) for that crawl to finish and outputs the tables it wrote. Checks first that the role and the database exist.",
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
          }${
            input.waitForCrawl
              ? ` and wait up to ${input.waitTimeoutSeconds} s for the crawl (its tables are not known in a dry run: none are output)`
              : ''
          }`,
        );
        ctx.output('crawlerName', name);
        ctx.output('crawlerArn', crawlerArn);
        ctx.output('created', true);
        ctx.output('started', input.start);
        if (input.waitForCrawl) {
          ctx.output('tables', []);
        }
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
        let previousCrawl: string | null | undefined;
        if (input.start) {
          ({ started, previousCrawl } = await ctx.checkpoint({
            key: `glue-crawler.${name}.start`,
            fn: async () => {
              // A crawler that existed may have crawled before: remember its
              // last crawl, so that waiting does not take it for ours.
              let previous: string | undefined;
              if (!created) {
                const before = await glue
                  .send(new GetCrawlerCommand({ Name: name }))
                  .catch(error => {
                    throw awsError(error, 'Glue GetCrawler', `crawler ${name}`);
                  });
                previous = crawlIdentity(before.Crawler?.LastCrawl);
              }
              try {
                await glue.send(new StartCrawlerCommand({ Name: name }));
              } catch (error) {
                // A crawl already under way is as good as the one we asked for.
                if (awsErrorName(error) !== 'CrawlerRunningException') {
                  throw awsError(error, 'Glue StartCrawler', `crawler ${name}`);
                }
              }
              return { started: true, previousCrawl: previous ?? null };
            },
          }));
          ledger.record({
            type: 'glue-crawler-run',
            id: name,
            status: 'created',
          });
          ctx.logger.info(`Started crawler ${name}`);
        }
        if (input.waitForCrawl) {
          const { value: crawl, waitedMs } = await waitUntilDone({
            what: `Glue crawler ${name}`,
            timeoutMs: input.waitTimeoutSeconds * 1000,
            intervalMs: input.pollIntervalSeconds * 1000,
            onWait: (state, ms) =>
              ctx.logger.info(
                `Crawler ${name} is ${state} (${Math.round(ms / 1000)} s)`,
              ),
            poll: async () => {
              const got = await glue
                .send(new GetCrawlerCommand({ Name: name }))
                .catch(error => {
                  throw awsError(error, 'Glue GetCrawler', `crawler ${name}`);
                });
              const state = got.Crawler?.State ?? 'unknown';
              const last = got.Crawler?.LastCrawl;
              // READY with a last crawl other than the one before ours: ours has ended.
              return state === 'READY' &&
                last &&
                crawlIdentity(last) !== previousCrawl
                ? { done: true as const, value: last }
                : { done: false as const, state };
            },
          });
          if (crawl.Status !== 'SUCCEEDED') {
            throw new Error(
              `Glue crawler ${name}'s crawl ended ${crawl.Status}: ${
                crawl.ErrorMessage ?? 'no error message'
              } (log group ${crawl.LogGroup ?? '/aws-glue/crawlers'}, stream ${
                crawl.LogStream ?? name
              })`,
            );
          }
          const tables = await tablesWrittenBy(glue, name, input.databaseName);
          ctx.logger.info(
            tables.length
              ? `Crawler ${name} finished (${crawl.Status}, waited ${(
                  waitedMs / 1000
                ).toFixed(1)} s): ${tables.length} table(s) in ${
                  input.databaseName
                }: ${tables.join(', ')}`
              : `Crawler ${name} finished (${crawl.Status}, waited ${(
                  waitedMs / 1000
                ).toFixed(
                  1,
                )} s) and found 0 tables: no files it could classify under ${input.s3Targets.join(
                  ', ',
                )}`,
          );
          ctx.output('crawlStatus', crawl.Status);
          ctx.output('tables', tables);
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

/** Tells one crawl from another: its log prefix (the crawl id) and start time. */
function crawlIdentity(crawl: LastCrawlInfo | undefined): string | undefined {
  if (!crawl) return undefined;
  return `${crawl.MessagePrefix ?? ''}@${crawl.StartTime?.getTime() ?? ''}`;
}

/** The database's tables that the crawler created or last updated, sorted by name. */
async function tablesWrittenBy(
  glue: GlueClient,
  crawlerName: string,
  databaseName: string,
): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await glue
      .send(
        new GetTablesCommand({
          DatabaseName: databaseName,
          NextToken,
          MaxResults: 100,
        }),
      )
      .catch(error => {
        throw awsError(error, 'Glue GetTables', databaseName);
      });
    for (const table of page.TableList ?? []) {
      if (table.Name && table.Parameters?.UPDATED_BY_CRAWLER === crawlerName) {
        names.push(table.Name);
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return names.sort();
}
