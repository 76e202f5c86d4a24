import {
  CreateDataSourceCommand,
  DataZoneClient,
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
import { examples } from './runDataSource.examples';

export const RUN_DATA_SOURCE_ACTION_ID = 'data-mesh:datazone:run-data-source';

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
});

const outputSchema = z.object({
  dataSourceId: z.string().describe('The data source id'),
  runId: z.string().describe('The run started'),
  runStatus: z
    .string()
    .describe('REQUESTED, RUNNING, SUCCESS, FAILED or PARTIALLY_SUCCEEDED'),
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
      "Creates (or reuses, by name) a Glue data source for the product's database in the owning project and starts one run, so DataZone imports the tables as inventory assets.",
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
        ctx.logger.info(
          `Data source ${source.id}: run ${run.id} ${run.status}`,
        );
        ctx.output('dataSourceId', source.id);
        ctx.output('runId', run.id);
        ctx.output('runStatus', run.status);
        ctx.output('resources', ledger.resources);
      });
    },
  });
}
