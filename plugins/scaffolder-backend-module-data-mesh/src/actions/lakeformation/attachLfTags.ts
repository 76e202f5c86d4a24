import {
  AddLFTagsToResourceCommand,
  GetLFTagCommand,
  LakeFormationClient,
  Resource,
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
import { glueNameProblems } from '../../lib/rules';
import { lfTagKey, lfTagValue } from './lfTags';
import { examples } from './attachLfTags.examples';

export const ATTACH_LF_TAGS_ACTION_ID =
  'data-mesh:lakeformation:attach-lf-tags';

const glueName = (what: string) =>
  z
    .string()
    .describe(what)
    .superRefine((name, ctx) => addProblems(ctx, glueNameProblems(name)));

const inputSchema = z.object({
  assignments: z
    .array(
      z.object({
        databaseName: glueName('Glue database'),
        tableName: glueName(
          'Glue table; the database itself when omitted',
        ).optional(),
        tags: z
          .array(z.object({ key: lfTagKey(), value: lfTagValue() }))
          .min(1, 'needs at least one LF-tag')
          .max(50)
          .describe('LF-tag values to attach, one per key'),
      }),
    )
    .min(1, 'needs at least one assignment')
    .max(100)
    .describe('Which LF-tag values go on which database or table'),
  ...targetFields,
});

const outputSchema = z.object({
  attached: z
    .array(z.object({ resource: z.string(), tags: z.array(z.string()) }))
    .describe('What was attached where, as key=value'),
  resources: z.array(resourceSchema).describe('What exists after this step'),
});

/**
 * `data-mesh:lakeformation:attach-lf-tags`.
 *
 * @public
 */
export function createLakeFormationAttachLfTagsAction(options: {
  clients: AwsClients;
}) {
  return createTemplateAction({
    id: ATTACH_LF_TAGS_ACTION_ID,
    description:
      'Attaches LF-tag values to Glue databases and tables. Every value must already be defined for its key (see data-mesh:lakeformation:create-lf-tags); partial failures Lake Formation reports inside a 200 response fail the step and are listed.',
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(
        ATTACH_LF_TAGS_ACTION_ID,
        inputSchema,
        ctx.input,
      );
      const describeResource = (a: (typeof input.assignments)[number]) =>
        a.tableName ? `${a.databaseName}.${a.tableName}` : a.databaseName;
      const attached = input.assignments.map(a => ({
        resource: describeResource(a),
        tags: a.tags.map(t => `${t.key}=${t.value}`),
      }));
      if (ctx.isDryRun) {
        for (const a of attached) {
          ctx.logger.info(
            `Dry run: would attach ${a.tags.join(', ')} to ${a.resource}`,
          );
        }
        ctx.output('attached', attached);
        ctx.output(
          'resources',
          attached.map(a => ({
            type: 'lf-tag-assignment',
            id: a.resource,
            status: 'would-create' as const,
          })),
        );
        return;
      }
      const lf = await options.clients.getClient(LakeFormationClient, input);
      const ledger = new ResourceLedger();
      await withLedger(ctx, ledger, async () => {
        // Validate every key and value before attaching anything.
        const defined = new Map<string, string[]>();
        for (const [i, assignment] of input.assignments.entries()) {
          for (const [j, tag] of assignment.tags.entries()) {
            if (!defined.has(tag.key)) {
              try {
                const got = await lf.send(
                  new GetLFTagCommand({ TagKey: tag.key }),
                );
                // A defined LF-tag always has a value; an empty answer (as
                // moto gives for unknown keys) means it is not defined.
                if (!got.TagValues?.length) {
                  throw Object.assign(new Error(tag.key), {
                    name: 'EntityNotFoundException',
                  });
                }
                defined.set(tag.key, got.TagValues);
              } catch (error) {
                if (awsErrorName(error) === 'EntityNotFoundException') {
                  throw inputError(
                    ATTACH_LF_TAGS_ACTION_ID,
                    `assignments[${i}].tags[${j}].key`,
                    `LF-tag ${tag.key} is not defined in account ${input.accountId}`,
                  );
                }
                throw awsError(
                  error,
                  'Lake Formation GetLFTag',
                  `LF-tag ${tag.key}`,
                );
              }
            }
            if (!defined.get(tag.key)!.includes(tag.value)) {
              throw inputError(
                ATTACH_LF_TAGS_ACTION_ID,
                `assignments[${i}].tags[${j}].value`,
                `${tag.value} is not a value of LF-tag ${
                  tag.key
                } (allowed: ${defined.get(tag.key)!.join(', ')})`,
              );
            }
          }
        }
        for (const assignment of input.assignments) {
          const id = describeResource(assignment);
          const resource: Resource = assignment.tableName
            ? {
                Table: {
                  DatabaseName: assignment.databaseName,
                  Name: assignment.tableName,
                },
              }
            : { Database: { Name: assignment.databaseName } };
          await ctx.checkpoint({
            key: `lf-tags-on.${id}`,
            fn: async () => {
              const response = await lf
                .send(
                  new AddLFTagsToResourceCommand({
                    Resource: resource,
                    LFTags: assignment.tags.map(t => ({
                      TagKey: t.key,
                      TagValues: [t.value],
                    })),
                  }),
                )
                .catch(error => {
                  throw awsError(
                    error,
                    'Lake Formation AddLFTagsToResource',
                    id,
                  );
                });
              const failures = response.Failures ?? [];
              if (failures.length > 0) {
                const failedKeys = new Set(failures.map(f => f.LFTag?.TagKey));
                const succeeded = assignment.tags.filter(
                  t => !failedKeys.has(t.key),
                );
                throw awsError(
                  Object.assign(
                    new Error(
                      `${failures
                        .map(
                          f =>
                            `${f.LFTag?.TagKey}=${f.LFTag?.TagValues?.join(
                              '|',
                            )}: ${f.Error?.ErrorCode} ${f.Error?.ErrorMessage}`,
                        )
                        .join('; ')}. Attached: ${
                        succeeded.map(t => `${t.key}=${t.value}`).join(', ') ||
                        'none'
                      }`,
                    ),
                    { name: 'PartialFailure' },
                  ),
                  'Lake Formation AddLFTagsToResource',
                  id,
                );
              }
            },
          });
          ledger.record({ type: 'lf-tag-assignment', id, status: 'created' });
          ctx.logger.info(
            `Attached ${assignment.tags
              .map(t => `${t.key}=${t.value}`)
              .join(', ')} to ${id}`,
          );
        }
        ctx.output('attached', attached);
        ctx.output('resources', ledger.resources);
      });
    },
  });
}
