import {
  CreateDatabaseCommand,
  GetDatabaseCommand,
  GlueClient,
} from '@aws-sdk/client-glue';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import {
  actionSchemas,
  AwsClients,
  ResourceLedger,
  awsError,
  awsErrorName,
  glueArn,
  resourceSchema,
  targetFields,
  withLedger,
} from '../../lib/common';
import { addProblems, inputError, parseInput } from '../../lib/input';
import { glueNameProblems, s3UriProblems } from '../../lib/rules';
import { examples } from './createDatabase.examples';

export const CREATE_DATABASE_ACTION_ID = 'data-mesh:glue:create-database';

const inputSchema = z.object({
  databaseName: z
    .string()
    .describe(
      'Glue database name: lowercase letters, digits and underscores, starting with a letter',
    )
    .superRefine((name, ctx) => addProblems(ctx, glueNameProblems(name))),
  description: z
    .string()
    .max(2048)
    .optional()
    .describe('What the database holds'),
  locationUri: z
    .string()
    .optional()
    .describe("The product's S3 location, e.g. s3://my-bucket/orders/")
    .superRefine(
      (uri, ctx) => uri !== undefined && addProblems(ctx, s3UriProblems(uri)),
    ),
  ...targetFields,
  tags: z
    .record(z.string().max(256))
    .default({})
    .describe('Tags on the database (e.g. owner, domain, data-product)'),
});

const outputSchema = z.object({
  databaseName: z.string().describe('The Glue database name'),
  databaseArn: z.string().describe('Its ARN'),
  created: z.boolean().describe('false when it already existed'),
  resources: z.array(resourceSchema).describe('What exists after this step'),
});

/**
 * `data-mesh:glue:create-database`.
 *
 * @public
 */
export function createGlueCreateDatabaseAction(options: {
  clients: AwsClients;
}) {
  return createTemplateAction({
    id: CREATE_DATABASE_ACTION_ID,
    description:
      'Creates a Glue database for a data product. New tables get no IAMAllowedPrincipals grant, so Lake Formation alone decides who reads them. An existing database with the same location is accepted.',
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(
        CREATE_DATABASE_ACTION_ID,
        inputSchema,
        ctx.input,
      );
      const name = input.databaseName;
      const databaseArn = glueArn(input, 'database', name);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create Glue database ${name} at ${
            input.locationUri ?? '(no location)'
          } in account ${input.accountId} (${input.region})`,
        );
        ctx.output('databaseName', name);
        ctx.output('databaseArn', databaseArn);
        ctx.output('created', true);
        ctx.output('resources', [
          {
            type: 'glue-database',
            id: name,
            arn: databaseArn,
            status: 'would-create',
          },
        ]);
        return;
      }
      const glue = await options.clients.getClient(GlueClient, input);
      const ledger = new ResourceLedger();
      await withLedger(ctx, ledger, async () => {
        const { created } = await ctx.checkpoint({
          key: `glue-database.${name}`,
          fn: async () => {
            try {
              await glue.send(
                new CreateDatabaseCommand({
                  DatabaseInput: {
                    Name: name,
                    Description: input.description,
                    LocationUri: input.locationUri,
                    // No IAMAllowedPrincipals ALL on new tables: access is
                    // granted through Lake Formation only.
                    CreateTableDefaultPermissions: [],
                  },
                  Tags: Object.keys(input.tags).length ? input.tags : undefined,
                }),
              );
              return { created: true };
            } catch (error) {
              if (awsErrorName(error) !== 'AlreadyExistsException') {
                throw awsError(
                  error,
                  'Glue CreateDatabase',
                  `database ${name}`,
                );
              }
            }
            const existing = await glue
              .send(new GetDatabaseCommand({ Name: name }))
              .catch(error => {
                throw awsError(error, 'Glue GetDatabase', `database ${name}`);
              });
            const location = existing.Database?.LocationUri;
            if (
              input.locationUri &&
              location &&
              location.replace(/\/$/, '') !==
                input.locationUri.replace(/\/$/, '')
            ) {
              throw inputError(
                CREATE_DATABASE_ACTION_ID,
                'databaseName',
                `database ${name} already exists with location ${location}, not ${input.locationUri}; choose another name`,
              );
            }
            return { created: false };
          },
        });
        ledger.record({
          type: 'glue-database',
          id: name,
          arn: databaseArn,
          status: created ? 'created' : 'existed',
        });
        ctx.logger.info(
          `${created ? 'Created' : 'Found existing'} Glue database ${name}`,
        );
        ctx.output('databaseName', name);
        ctx.output('databaseArn', databaseArn);
        ctx.output('created', created);
        ctx.output('resources', ledger.resources);
      });
    },
  });
}
