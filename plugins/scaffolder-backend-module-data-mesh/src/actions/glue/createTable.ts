import {
  Column,
  CreateTableCommand,
  GetTableCommand,
  GlueClient,
  StorageDescriptor,
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
import {
  glueColumnNameProblems,
  glueNameProblems,
  glueTypeProblems,
  s3UriProblems,
} from '../../lib/rules';
import { examples } from './createTable.examples';

export const CREATE_TABLE_ACTION_ID = 'data-mesh:glue:create-table';

/** Storage formats a template may choose, with the Hive classes Glue and Athena expect. */
export const STORAGE_FORMATS = {
  parquet: {
    InputFormat:
      'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    OutputFormat:
      'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    SerdeInfo: {
      SerializationLibrary:
        'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    },
  },
  orc: {
    InputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat',
    SerdeInfo: {
      SerializationLibrary: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde',
    },
  },
  avro: {
    InputFormat: 'org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat',
    SerdeInfo: {
      SerializationLibrary: 'org.apache.hadoop.hive.serde2.avro.AvroSerDe',
    },
  },
  csv: {
    InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    SerdeInfo: {
      SerializationLibrary:
        'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
      Parameters: { 'field.delim': ',' },
    },
  },
  json: {
    InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
  },
} satisfies Record<
  string,
  Pick<StorageDescriptor, 'InputFormat' | 'OutputFormat' | 'SerdeInfo'>
>;

export const columnSchema = z.object({
  name: z
    .string()
    .describe('Column name: lowercase letters, digits and underscores')
    .superRefine((name, ctx) => addProblems(ctx, glueColumnNameProblems(name))),
  type: z
    .string()
    .describe(
      'Glue type, e.g. string, bigint, decimal(12,2), date, timestamp, array<string>',
    )
    .superRefine((type, ctx) => addProblems(ctx, glueTypeProblems(type))),
  description: z.string().max(255).optional().describe('What the column means'),
});

const inputSchema = z
  .object({
    databaseName: z
      .string()
      .describe('The Glue database')
      .superRefine((name, ctx) => addProblems(ctx, glueNameProblems(name))),
    tableName: z
      .string()
      .describe(
        'Table name: lowercase letters, digits and underscores, starting with a letter',
      )
      .superRefine((name, ctx) => addProblems(ctx, glueNameProblems(name))),
    description: z.string().max(2048).optional().describe('What one row is'),
    columns: z
      .array(columnSchema)
      .min(1, 'needs at least one column')
      .max(1000)
      .describe('The columns, in order'),
    partitionKeys: z
      .array(columnSchema)
      .max(100)
      .default([])
      .describe('Partition columns, e.g. [{ name: dt, type: date }]'),
    location: z
      .string()
      .describe(
        "Where the table's files live, e.g. s3://my-bucket/orders/orders/",
      )
      .superRefine((uri, ctx) => addProblems(ctx, s3UriProblems(uri))),
    format: z
      .enum(['parquet', 'orc', 'avro', 'csv', 'json'])
      .default('parquet')
      .describe('Storage format of the files'),
    ...targetFields,
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    const all = [
      ...input.columns.map((c, i) => ({ c, path: ['columns', i, 'name'] })),
      ...input.partitionKeys.map((c, i) => ({
        c,
        path: ['partitionKeys', i, 'name'],
      })),
    ];
    for (const { c, path } of all) {
      if (seen.has(c.name)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path,
          message: `column ${c.name} appears twice`,
        });
      }
      seen.add(c.name);
    }
  });

const outputSchema = z.object({
  databaseName: z.string().describe('The Glue database'),
  tableName: z.string().describe('The table name'),
  tableArn: z.string().describe('The table ARN'),
  location: z.string().describe('Its S3 location'),
  created: z
    .boolean()
    .describe('false when an identical table already existed'),
  resources: z.array(resourceSchema).describe('What exists after this step'),
});

const toColumns = (columns: z.infer<typeof columnSchema>[]): Column[] =>
  columns.map(c => ({
    Name: c.name,
    Type: c.type.trim().toLowerCase(),
    Comment: c.description,
  }));

const signature = (columns: Column[] | undefined) =>
  JSON.stringify(
    (columns ?? []).map(c => [c.Name, c.Type?.replace(/\s+/g, '')]),
  );

/**
 * `data-mesh:glue:create-table`.
 *
 * @public
 */
export function createGlueCreateTableAction(options: { clients: AwsClients }) {
  return createTemplateAction({
    id: CREATE_TABLE_ACTION_ID,
    description:
      'Creates an external Glue table from the columns given (names and Glue types are validated first), stored in the chosen format at an S3 location. An existing table with the same columns is accepted; one with other columns is an error.',
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(CREATE_TABLE_ACTION_ID, inputSchema, ctx.input);
      const { databaseName, tableName } = input;
      const tableArn = glueArn(input, 'table', databaseName, tableName);
      const location = input.location.endsWith('/')
        ? input.location
        : `${input.location}/`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create Glue table ${databaseName}.${tableName} (${input.columns.length} columns, ${input.format}) at ${location}`,
        );
        ctx.output('databaseName', databaseName);
        ctx.output('tableName', tableName);
        ctx.output('tableArn', tableArn);
        ctx.output('location', location);
        ctx.output('created', true);
        ctx.output('resources', [
          {
            type: 'glue-table',
            id: `${databaseName}.${tableName}`,
            arn: tableArn,
            status: 'would-create',
          },
        ]);
        return;
      }
      const glue = await options.clients.getClient(GlueClient, input);
      const ledger = new ResourceLedger();
      const columns = toColumns(input.columns);
      const partitionKeys = toColumns(input.partitionKeys);
      await withLedger(ctx, ledger, async () => {
        const { created } = await ctx.checkpoint({
          key: `glue-table.${databaseName}.${tableName}`,
          fn: async () => {
            try {
              await glue.send(
                new CreateTableCommand({
                  DatabaseName: databaseName,
                  TableInput: {
                    Name: tableName,
                    Description: input.description,
                    TableType: 'EXTERNAL_TABLE',
                    Parameters: {
                      classification: input.format,
                      EXTERNAL: 'TRUE',
                    },
                    PartitionKeys: partitionKeys,
                    StorageDescriptor: {
                      Columns: columns,
                      Location: location,
                      ...STORAGE_FORMATS[input.format],
                    },
                  },
                }),
              );
              return { created: true };
            } catch (error) {
              const name = awsErrorName(error);
              if (name === 'EntityNotFoundException') {
                throw inputError(
                  CREATE_TABLE_ACTION_ID,
                  'databaseName',
                  `Glue database ${databaseName} does not exist in account ${input.accountId} (${input.region})`,
                );
              }
              if (name !== 'AlreadyExistsException') {
                throw awsError(
                  error,
                  'Glue CreateTable',
                  `table ${databaseName}.${tableName}`,
                );
              }
            }
            const existing = await glue
              .send(
                new GetTableCommand({
                  DatabaseName: databaseName,
                  Name: tableName,
                }),
              )
              .catch(error => {
                throw awsError(
                  error,
                  'Glue GetTable',
                  `table ${databaseName}.${tableName}`,
                );
              });
            const table = existing.Table;
            if (
              signature(table?.StorageDescriptor?.Columns) !==
                signature(columns) ||
              signature(table?.PartitionKeys) !== signature(partitionKeys)
            ) {
              throw inputError(
                CREATE_TABLE_ACTION_ID,
                'tableName',
                `table ${databaseName}.${tableName} already exists with other columns; choose another name or change it in Glue`,
              );
            }
            return { created: false };
          },
        });
        ledger.record({
          type: 'glue-table',
          id: `${databaseName}.${tableName}`,
          arn: tableArn,
          status: created ? 'created' : 'existed',
        });
        ctx.logger.info(
          `${
            created ? 'Created' : 'Found identical'
          } Glue table ${databaseName}.${tableName}`,
        );
        ctx.output('databaseName', databaseName);
        ctx.output('tableName', tableName);
        ctx.output('tableArn', tableArn);
        ctx.output('location', location);
        ctx.output('created', created);
        ctx.output('resources', ledger.resources);
      });
    },
  });
}
