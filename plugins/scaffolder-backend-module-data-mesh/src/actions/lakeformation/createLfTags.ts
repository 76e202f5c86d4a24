import {
  CreateLFTagCommand,
  GetLFTagCommand,
  LakeFormationClient,
  UpdateLFTagCommand,
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
import { parseInput } from '../../lib/input';
import { lfTagKey, lfTagValues } from './lfTags';
import { examples } from './createLfTags.examples';

export const CREATE_LF_TAGS_ACTION_ID =
  'data-mesh:lakeformation:create-lf-tags';

const inputSchema = z
  .object({
    tags: z
      .array(z.object({ key: lfTagKey(), values: lfTagValues() }))
      .min(1, 'needs at least one LF-tag')
      .max(50)
      .describe(
        'LF-tags to define, e.g. [{ key: classification, values: [public, internal, confidential] }]',
      ),
    ...targetFields,
  })
  .superRefine((input, ctx) => {
    const keys = input.tags.map(t => t.key);
    keys.forEach((key, index) => {
      if (keys.indexOf(key) !== index) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['tags', index, 'key'],
          message: `LF-tag ${key} appears twice`,
        });
      }
    });
  });

const outputSchema = z.object({
  tags: z
    .array(z.object({ key: z.string(), values: z.array(z.string()) }))
    .describe('The LF-tags with all their values after this step'),
  resources: z.array(resourceSchema).describe('What exists after this step'),
});

/**
 * `data-mesh:lakeformation:create-lf-tags`.
 *
 * @public
 */
export function createLakeFormationCreateLfTagsAction(options: {
  clients: AwsClients;
}) {
  return createTemplateAction({
    id: CREATE_LF_TAGS_ACTION_ID,
    description:
      'Defines Lake Formation LF-tags (key and allowed values). An existing tag keeps its values and gains the missing ones; nothing is removed.',
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(
        CREATE_LF_TAGS_ACTION_ID,
        inputSchema,
        ctx.input,
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would define LF-tags ${input.tags
            .map(t => `${t.key}=[${t.values.join(',')}]`)
            .join(' ')} in account ${input.accountId}`,
        );
        ctx.output('tags', input.tags);
        ctx.output(
          'resources',
          input.tags.map(t => ({
            type: 'lf-tag',
            id: t.key,
            status: 'would-create' as const,
          })),
        );
        return;
      }
      const lf = await options.clients.getClient(LakeFormationClient, input);
      const ledger = new ResourceLedger();
      const result: { key: string; values: string[] }[] = [];
      await withLedger(ctx, ledger, async () => {
        for (const tag of input.tags) {
          const outcome = await ctx.checkpoint({
            key: `lf-tag.${tag.key}`,
            fn: async () => {
              let existing: string[] | undefined;
              try {
                const got = await lf.send(
                  new GetLFTagCommand({ TagKey: tag.key }),
                );
                // A defined LF-tag always has a value; an empty answer (as
                // moto gives for unknown keys) means it is not defined.
                existing = got.TagValues?.length ? got.TagValues : undefined;
              } catch (error) {
                if (awsErrorName(error) !== 'EntityNotFoundException') {
                  throw awsError(
                    error,
                    'Lake Formation GetLFTag',
                    `LF-tag ${tag.key}`,
                  );
                }
              }
              if (!existing) {
                await lf
                  .send(
                    new CreateLFTagCommand({
                      TagKey: tag.key,
                      TagValues: tag.values,
                    }),
                  )
                  .catch(error => {
                    throw awsError(
                      error,
                      'Lake Formation CreateLFTag',
                      `LF-tag ${tag.key}`,
                    );
                  });
                return { status: 'created', values: tag.values };
              }
              const missing = tag.values.filter(v => !existing!.includes(v));
              if (missing.length > 0) {
                await lf
                  .send(
                    new UpdateLFTagCommand({
                      TagKey: tag.key,
                      TagValuesToAdd: missing,
                    }),
                  )
                  .catch(error => {
                    throw awsError(
                      error,
                      'Lake Formation UpdateLFTag',
                      `LF-tag ${tag.key}`,
                    );
                  });
              }
              return {
                status: missing.length ? 'updated' : 'existed',
                values: [...existing, ...missing],
              };
            },
          });
          ledger.record({
            type: 'lf-tag',
            id: tag.key,
            status: outcome.status as 'created' | 'updated' | 'existed',
          });
          ctx.logger.info(
            `LF-tag ${tag.key} (${outcome.status}): ${outcome.values.join(
              ', ',
            )}`,
          );
          result.push({ key: tag.key, values: outcome.values });
        }
        ctx.output('tags', result);
        ctx.output('resources', ledger.resources);
      });
    },
  });
}
