import {
  CreateDataSourceCommand,
  DataZoneClient,
  GetDataSourceRunCommand,
  ListDataSourcesCommand,
  StartDataSourceRunCommand,
} from '@aws-sdk/client-datazone';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import {
  actionSchemas,
  AwsClients,
  ResourceLedger,
  awsError,
  clientToken,
  dataZoneFields,
  dataZoneTarget,
  projectIdField,
  resourceSchema,
  withLedger,
} from '../../lib/common';
import { addProblems, parseInput } from '../../lib/input';
import { glueNameProblems } from '../../lib/rules';
import { waitFields, waitUntilDone } from '../../lib/wait';
import { examples } from './runDataSource.examples';

export const RUN_DATA_SOURCE_ACTION_ID = 'data-mesh:datazone:run-data-source';

/** Run states after which nothing more happens. */
const FINISHED = ['SUCCESS', 'FAILED', 'PARTIALLY_SUCCEEDED'];

const inputSchema = z.object({
  ...dataZoneFields,
  projectId: projectIdField,
  environmentId: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,36}$/, 'must be a DataZone environment id')
    .describe("The owning project's data lake environment"),
  databaseName: z
    .string()
    .describe('Glue database the data source imports')
    .superRefine((name, ctx) => addProblems(ctx, glueNameProblems(name))),
  dataSourceName: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe('Name of the data source; <databaseName>-glue when omitted'),
  publishOnImport: z
    .boolean()
    .default(false)
    .describe('Publish imported assets straight to the catalog'),
  waitForRun: z
    .boolean()
    .default(false)
    .describe(
      'Wait until the run has finished (DataZone runs it in the background); a FAILED run fails the step',
    ),
  ...waitFields('data source run', 900),
});

const outputSchema = z.object({
  dataSourceId: z.string().describe('The data source id'),
  runId: z.string().describe('The run started'),
  runStatus: z
    .string()
    .describe('REQUESTED, RUNNING, SUCCESS, FAILED or PARTIALLY_SUCCEEDED'),
  runStatistics: z
    .object({
      added: z.number().optional(),
      updated: z.number().optional(),
      unchanged: z.number().optional(),
      skipped: z.number().optional(),
      failed: z.number().optional(),
    })
    .optional()
    .describe("The run's asset counts, when it has finished"),
  resources: z.array(resourceSchema).describe('What exists after this step'),
});

/**
 * `data-mesh:datazone:run-data-source`.
 *
 * @public
 */
export function createDataZoneRunDataSourceAction(options: {
  clients: AwsClients;
}) {
  return createTemplateAction({
    id: RUN_DATA_SOURCE_ACTION_ID,
    description:
      "Creates (or reuses, by name) a Glue data source for the product's database in the owning project and starts one run, so DataZone imports the tables as inventory assets; with waitForRun, waits (bounded) for the run to finish.",
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(
        RUN_DATA_SOURCE_ACTION_ID,
        inputSchema,
        ctx.input,
      );
      const name = input.dataSourceName ?? `${input.databaseName}-glue`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create Glue data source ${name} over ${input.databaseName} in project ${input.projectId} and start a run`,
        );
        ctx.output('dataSourceId', 'dry-run-data-source');
        ctx.output('runId', 'dry-run-run');
        ctx.output('runStatus', 'REQUESTED');
        ctx.output('resources', [
          { type: 'datazone-data-source', id: name, status: 'would-create' },
        ]);
        return;
      }
      const dz = await options.clients.getClient(
        DataZoneClient,
        dataZoneTarget(input),
      );
      const ledger = new ResourceLedger();
      await withLedger(ctx, ledger, async () => {
        const source = await ctx.checkpoint({
          key: `datazone.data-source.${name}`,
          fn: async () => {
            const existing = await dz
              .send(
                new ListDataSourcesCommand({
                  domainIdentifier: input.domainId,
                  projectIdentifier: input.projectId,
                  name,
                  maxResults: 50,
                }),
              )
              .catch(error => {
                throw awsError(error, 'DataZone ListDataSources', name);
              });
            const found = (existing.items ?? []).find(
              item => item.name === name,
            );
            if (found?.dataSourceId) {
              return { id: found.dataSourceId, existed: true };
            }
            const created = await dz
              .send(
                new CreateDataSourceCommand({
                  domainIdentifier: input.domainId,
                  projectIdentifier: input.projectId,
                  environmentIdentifier: input.environmentId,
                  name,
                  type: 'GLUE',
                  publishOnImport: input.publishOnImport,
                  enableSetting: 'ENABLED',
                  configuration: {
                    glueRunConfiguration: {
                      relationalFilterConfigurations: [
                        {
                          databaseName: input.databaseName,
                          filterExpressions: [
                            { type: 'INCLUDE', expression: '*' },
                          ],
                        },
                      ],
                    },
                  },
                  clientToken: clientToken(ctx, `data-source.${name}`),
                }),
              )
              .catch(error => {
                throw awsError(error, 'DataZone CreateDataSource', name);
              });
            return { id: created.id!, existed: false };
          },
        });
        ledger.record({
          type: 'datazone-data-source',
          id: source.id,
          status: source.existed ? 'existed' : 'created',
        });
        const run = await ctx.checkpoint({
          key: `datazone.data-source-run.${source.id}`,
          fn: async () => {
            const started = await dz
              .send(
                new StartDataSourceRunCommand({
                  domainIdentifier: input.domainId,
                  dataSourceIdentifier: source.id,
                  clientToken: clientToken(ctx, `data-source-run.${source.id}`),
                }),
              )
              .catch(error => {
                throw awsError(error, 'DataZone StartDataSourceRun', source.id);
              });
            return { id: started.id!, status: started.status! };
          },
        });
        ledger.record({
          type: 'datazone-data-source-run',
          id: run.id,
          status: 'created',
        });
        let status = run.status;
        let statistics: Record<string, number | undefined> | undefined;
        if (input.waitForRun) {
          const { value: finished, waitedMs } = await waitUntilDone({
            what: `DataZone data source ${source.id}'s run ${run.id}`,
            timeoutMs: input.waitTimeoutSeconds * 1000,
            intervalMs: input.pollIntervalSeconds * 1000,
            onWait: (state, ms) =>
              ctx.logger.info(
                `Data source run ${run.id} is ${state} (${Math.round(
                  ms / 1000,
                )} s)`,
              ),
            poll: async () => {
              const got = await dz
                .send(
                  new GetDataSourceRunCommand({
                    domainIdentifier: input.domainId,
                    identifier: run.id,
                  }),
                )
                .catch(error => {
                  throw awsError(error, 'DataZone GetDataSourceRun', run.id);
                });
              return FINISHED.includes(got.status ?? '')
                ? { done: true as const, value: got }
                : { done: false as const, state: got.status ?? 'unknown' };
            },
          });
          status = finished.status!;
          statistics = { ...finished.runStatisticsForAssets };
          const counts = Object.entries(statistics)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ');
          if (status === 'FAILED') {
            throw new Error(
              `DataZone data source ${source.id}'s run ${run.id} FAILED: ${
                finished.errorMessage?.errorDetail ??
                finished.errorMessage?.errorType ??
                'no error message'
              }${counts ? ` (assets: ${counts})` : ''}`,
            );
          }
          (status === 'SUCCESS' ? ctx.logger.info : ctx.logger.warn).call(
            ctx.logger,
            `Data source ${source.id}: run ${run.id} ${status} after ${(
              waitedMs / 1000
            ).toFixed(1)} s; assets: ${counts || 'none'}${
              finished.errorMessage?.errorDetail
                ? `; first error: ${finished.errorMessage.errorDetail}`
                : ''
            }`,
          );
        } else {
          ctx.logger.info(
            `Data source ${source.id}: run ${run.id} ${run.status}`,
          );
        }
        ctx.output('dataSourceId', source.id);
        ctx.output('runId', run.id);
        ctx.output('runStatus', status);
        if (statistics) {
          ctx.output('runStatistics', statistics);
        }
        ctx.output('resources', ledger.resources);
      });
    },
  });
}
