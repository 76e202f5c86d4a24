import {
  GetTableCommand,
  GetDatabaseCommand,
  GlueClient,
} from '@aws-sdk/client-glue';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  BatchGrantPermissionsCommand,
  BatchPermissionsRequestEntry,
  LakeFormationClient,
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
import { addProblems, inputError, parseInput } from '../../lib/input';
import {
  glueNameProblems,
  parseRoleArn,
  roleArnProblems,
} from '../../lib/rules';
import { examples } from './grant.examples';

export const GRANT_ACTION_ID = 'data-mesh:lakeformation:grant';

/** The only table permissions this action grants: read, never write or ALL. */
export const GRANTABLE_TABLE_PERMISSIONS = ['SELECT', 'DESCRIBE'] as const;

const glueName = (what: string) =>
  z
    .string()
    .describe(what)
    .superRefine((name, ctx) => addProblems(ctx, glueNameProblems(name)));

const inputSchema = z.object({
  principalArn: z
    .string()
    .describe(
      "IAM role that receives the grant, e.g. the owning team's role; must exist",
    )
    .superRefine((arn, ctx) => addProblems(ctx, roleArnProblems(arn))),
  databaseName: glueName('Glue database; the principal gets DESCRIBE on it'),
  tables: z
    .array(glueName('Table name (no wildcards)'))
    .min(1, 'name at least one table: this action never grants on all tables')
    .max(100)
    .describe('Tables to grant on, by name'),
  permissions: z
    .array(
      z.enum(GRANTABLE_TABLE_PERMISSIONS, {
        errorMap: () => ({
          message:
            'only SELECT and DESCRIBE may be granted (least privilege; never ALL)',
        }),
      }),
    )
    .min(1)
    .default(['SELECT', 'DESCRIBE'])
    .describe('Table permissions: SELECT and/or DESCRIBE'),
  ...targetFields,
});

const grantSchema = z.object({
  principal: z.string(),
  resource: z.string().describe('database:<db> or table:<db>.<table>'),
  permissions: z.array(z.string()),
});

const outputSchema = z.object({
  grants: z.array(grantSchema).describe('Exactly what was granted to whom'),
  resources: z.array(resourceSchema).describe('What exists after this step'),
});

/**
 * `data-mesh:lakeformation:grant`.
 *
 * @public
 */
export function createLakeFormationGrantAction(options: {
  clients: AwsClients;
}) {
  return createTemplateAction({
    id: GRANT_ACTION_ID,
    description:
      'Grants least-privilege Lake Formation permissions to one IAM role: DESCRIBE on the database, SELECT and/or DESCRIBE on named tables. Never ALL, never a wildcard, never grant options. The role and the tables are checked to exist first; partial failures inside the 200 response fail the step and are listed.',
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(GRANT_ACTION_ID, inputSchema, ctx.input);
      const principal = input.principalArn;
      const tables = [...new Set(input.tables)];
      const permissions = [...new Set(input.permissions)];
      const planned = [
        {
          principal,
          resource: `database:${input.databaseName}`,
          permissions: ['DESCRIBE'],
        },
        ...tables.map(table => ({
          principal,
          resource: `table:${input.databaseName}.${table}`,
          permissions,
        })),
      ];
      if (ctx.isDryRun) {
        for (const grant of planned) {
          ctx.logger.info(
            `Dry run: would grant ${grant.permissions.join(', ')} on ${
              grant.resource
            } to ${principal}`,
          );
        }
        ctx.output('grants', planned);
        ctx.output(
          'resources',
          planned.map(g => ({
            type: 'lf-grant',
            id: `${g.resource} → ${principal}`,
            status: 'would-create' as const,
          })),
        );
        return;
      }

      const ledger = new ResourceLedger();
      await withLedger(ctx, ledger, async () => {
        // The principal must exist: Lake Formation itself would accept a grant
        // to a role that does not (yet) exist, which hides typos.
        const role = parseRoleArn(principal)!;
        const iam = await options.clients.getClient(IAMClient, {
          accountId: role.accountId,
          region: input.region,
        });
        await iam.send(new GetRoleCommand({ RoleName: role.roleName })).then(
          got => {
            if (got.Role?.Arn && got.Role.Arn !== principal) {
              throw inputError(
                GRANT_ACTION_ID,
                'principalArn',
                `role ${role.roleName} exists as ${got.Role.Arn}, not ${principal}`,
              );
            }
          },
          error => {
            if (
              ['NoSuchEntity', 'NoSuchEntityException'].includes(
                awsErrorName(error) ?? '',
              )
            ) {
              throw inputError(
                GRANT_ACTION_ID,
                'principalArn',
                `IAM role ${principal} does not exist; nothing was granted`,
              );
            }
            throw awsError(error, 'IAM GetRole', principal);
          },
        );
        const glue = await options.clients.getClient(GlueClient, input);
        await glue
          .send(new GetDatabaseCommand({ Name: input.databaseName }))
          .catch(error => {
            if (awsErrorName(error) === 'EntityNotFoundException') {
              throw inputError(
                GRANT_ACTION_ID,
                'databaseName',
                `Glue database ${input.databaseName} does not exist; nothing was granted`,
              );
            }
            throw awsError(error, 'Glue GetDatabase', input.databaseName);
          });
        for (const [index, table] of tables.entries()) {
          await glue
            .send(
              new GetTableCommand({
                DatabaseName: input.databaseName,
                Name: table,
              }),
            )
            .catch(error => {
              if (awsErrorName(error) === 'EntityNotFoundException') {
                throw inputError(
                  GRANT_ACTION_ID,
                  `tables[${index}]`,
                  `Glue table ${input.databaseName}.${table} does not exist; nothing was granted`,
                );
              }
              throw awsError(
                error,
                'Glue GetTable',
                `${input.databaseName}.${table}`,
              );
            });
        }

        const lf = await options.clients.getClient(LakeFormationClient, input);
        const entries: BatchPermissionsRequestEntry[] = planned.map(
          (grant, i) => ({
            Id: String(i),
            Principal: { DataLakePrincipalIdentifier: principal },
            Resource:
              i === 0
                ? {
                    Database: {
                      CatalogId: input.accountId,
                      Name: input.databaseName,
                    },
                  }
                : {
                    Table: {
                      CatalogId: input.accountId,
                      DatabaseName: input.databaseName,
                      Name: tables[i - 1],
                    },
                  },
            Permissions:
              grant.permissions as BatchPermissionsRequestEntry['Permissions'],
            PermissionsWithGrantOption: [],
          }),
        );
        // Grants are idempotent in Lake Formation; the checkpoint saves the calls on retry.
        await ctx.checkpoint({
          key: `lf-grant.${principal}.${input.databaseName}.${tables.join(
            ',',
          )}.${permissions.join(',')}`,
          fn: async () => {
            const response = await lf
              .send(
                new BatchGrantPermissionsCommand({
                  CatalogId: input.accountId,
                  Entries: entries,
                }),
              )
              .catch(error => {
                throw awsError(
                  error,
                  'Lake Formation BatchGrantPermissions',
                  principal,
                );
              });
            const failures = response.Failures ?? [];
            if (failures.length === 0) {
              return [] as string[];
            }
            const failed = new Set(failures.map(f => f.RequestEntry?.Id));
            for (const [i, grant] of planned.entries()) {
              if (!failed.has(String(i))) {
                ledger.record({
                  type: 'lf-grant',
                  id: `${grant.permissions.join('+')} on ${
                    grant.resource
                  } → ${principal}`,
                  status: 'created',
                });
              }
            }
            throw awsError(
              Object.assign(
                new Error(
                  failures
                    .map(
                      f =>
                        `${planned[Number(f.RequestEntry?.Id)]?.resource}: ${
                          f.Error?.ErrorCode
                        } ${f.Error?.ErrorMessage}`,
                    )
                    .join('; '),
                ),
                { name: 'PartialFailure' },
              ),
              'Lake Formation BatchGrantPermissions',
              principal,
            );
          },
        });
        for (const grant of planned) {
          ledger.record({
            type: 'lf-grant',
            id: `${grant.permissions.join('+')} on ${
              grant.resource
            } → ${principal}`,
            status: 'created',
          });
          ctx.logger.info(
            `Granted ${grant.permissions.join(', ')} on ${
              grant.resource
            } to ${principal}`,
          );
        }
        ctx.output('grants', planned);
        ctx.output('resources', ledger.resources);
      });
    },
  });
}
