import {
  CreateAssetCommand,
  CreateDataProductCommand,
  CreateDataProductRevisionCommand,
  CreateFormTypeCommand,
  CreateListingChangeSetCommand,
  DataZoneClient,
  GetDataProductCommand,
  GetFormTypeCommand,
  SearchCommand,
} from '@aws-sdk/client-datazone';
import { GetTableCommand, GlueClient, Table } from '@aws-sdk/client-glue';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DATA_CONTRACT_FORM_TYPE_NAME,
  DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL,
  OdcsDataContract,
  dataContractFormContent,
  dataMeshEntityName,
  formatDataContractErrors,
  parseDataContract,
  readDataContractFormContent,
  stringifyDataContract,
  validateDataContract,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { z } from 'zod/v3';
import {
  actionSchemas,
  AwsClients,
  ResourceLedger,
  awsError,
  awsErrorName,
  clientToken,
  dataZoneFields,
  dataZoneTarget,
  glueArn,
  projectIdField,
  resourceSchema,
  withLedger,
} from '../../lib/common';
import { addProblems, inputError, parseInput } from '../../lib/input';
import {
  buildProductContract,
  stableContractId,
} from '../../lib/productContract';
import { glueNameProblems } from '../../lib/rules';
import { examples } from './publish.examples';

export const PUBLISH_ACTION_ID = 'data-mesh:datazone:publish';

export const GLUE_TABLE_ASSET_TYPE = 'amazon.datazone.GlueTableAssetType';

const glueName = (what: string) =>
  z
    .string()
    .describe(what)
    .superRefine((name, ctx) => addProblems(ctx, glueNameProblems(name)));

const groupRef = (what: string) =>
  z
    .string()
    .regex(
      /^group:([a-z0-9-_.]+\/)?[a-z0-9-_.]+$/i,
      'must be a group entity ref such as group:default/sales-domain',
    )
    .describe(what);

const inputSchema = z
  .object({
    ...dataZoneFields,
    projectId: projectIdField,
    productName: z
      .string()
      .min(1)
      .max(64, 'DataZone data product names are at most 64 characters')
      .describe('The data product name, as people read it'),
    description: z
      .string()
      .max(2048)
      .optional()
      .describe('What the product is for'),
    glueAccountId: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .describe('Account of the Glue tables'),
    databaseName: glueName('Glue database of the tables'),
    tables: z
      .array(glueName('Glue table name'))
      .max(50)
      .describe(
        "The Glue tables to publish as the product's datasets; at least one unless allowNoTables",
      ),
    allowNoTables: z
      .boolean()
      .default(false)
      .describe(
        'With no tables (a crawler that found no files yet): create the data product with its contract and no datasets, and do not publish it',
      ),
    contract: z
      .union([z.string().min(1), z.record(z.unknown())])
      .optional()
      .describe(
        'A complete ODCS v3 contract (YAML text or object); built from contractDetails and the Glue schemas when omitted',
      ),
    contractDetails: z
      .object({
        version: z
          .string()
          .regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as 1.0.0')
          .default('1.0.0'),
        domain: z.string().optional().describe('The data mesh domain name'),
        owner: groupRef('Owning group'),
        approverGroup: groupRef(
          'Group whose members may approve access requests; the owner when omitted',
        ).optional(),
        classification: z
          .string()
          .max(64)
          .optional()
          .describe('Data classification, e.g. internal'),
        supportEmail: z
          .string()
          .email()
          .optional()
          .describe('Where consumers report issues'),
        slos: z
          .object({
            freshnessHours: z
              .number()
              .positive()
              .max(8760)
              .optional()
              .describe('Newest data at most this many hours old'),
            frequency: z
              .enum(['hourly', 'daily', 'weekly', 'monthly'])
              .optional()
              .describe('How often the data is refreshed'),
            completenessPercent: z
              .number()
              .min(0)
              .max(100)
              .optional()
              .describe('Share of expected rows that arrive'),
            availabilityPercent: z
              .number()
              .min(0)
              .max(100)
              .optional()
              .describe('Share of time the data can be queried'),
          })
          .default({}),
      })
      .optional()
      .describe('What the built contract promises'),
    publish: z
      .boolean()
      .default(true)
      .describe(
        'Publish the product to the catalog (a listing); inventory only when false',
      ),
  })
  .superRefine((input, ctx) => {
    if (input.tables.length === 0 && !input.allowNoTables) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['tables'],
        message: 'a data product needs at least one dataset',
      });
    }
    if (!input.contract && !input.contractDetails) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['contractDetails'],
        message: 'give contract or contractDetails',
      });
    }
    if (new Set(input.tables).size !== input.tables.length) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['tables'],
        message: 'tables must be unique',
      });
    }
  });

const outputSchema = z.object({
  dataProductId: z.string().describe('The DataZone data product id'),
  assetIds: z.array(z.string()).describe('Asset ids, in the order of tables'),
  listingId: z
    .string()
    .optional()
    .describe('The product listing id, when published'),
  listingStatus: z.string().optional().describe('ACTIVE, CREATING or INACTIVE'),
  published: z
    .boolean()
    .describe(
      'Whether a listing was created (false with publish off, or with no tables)',
    ),
  contractId: z.string().describe('The ODCS contract id'),
  entityRef: z
    .string()
    .describe('The System entity the catalog will show for the product'),
  resources: z.array(resourceSchema).describe('What exists after this step'),
});

type Input = z.output<typeof inputSchema>;

/**
 * `data-mesh:datazone:publish`.
 *
 * @public
 */
export function createDataZonePublishAction(options: { clients: AwsClients }) {
  return createTemplateAction({
    id: PUBLISH_ACTION_ID,
    description:
      "Publishes a data product in DataZone: one Glue table asset per table (with its schema form), a data product grouping them with the product's ODCS contract in the data-contract form (validated against the ODCS schema first), and a PUBLISH listing. Client tokens and checkpoints make a retried task reuse what it created.",
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(PUBLISH_ACTION_ID, inputSchema, ctx.input);
      // A contract given in full is checked before anything else.
      const given =
        input.contract !== undefined
          ? checkContract(input.contract, 'contract')
          : undefined;
      const contractId =
        given?.id ??
        stableContractId(input.domainId, input.projectId, input.productName);
      const entityRefFor = (dataProductId: string) =>
        `system:default/${dataMeshEntityName({
          kind: 'data-product',
          id: dataProductId,
          name: input.productName,
          domainId: input.domainId,
        })}`;

      // A product without datasets is kept in the inventory: nothing to subscribe to yet.
      const publish = input.publish && input.tables.length > 0;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create ${
            input.tables.length
          } Glue table asset(s) (${input.tables.join(', ')}) in project ${
            input.projectId
          }, data product "${input.productName}" with contract ${contractId}${
            publish ? ', and publish it' : ', not published'
          }`,
        );
        ctx.output('dataProductId', 'dry-run-data-product');
        ctx.output(
          'assetIds',
          input.tables.map(t => `dry-run-asset-${t}`),
        );
        if (publish) {
          ctx.output('listingId', 'dry-run-listing');
          ctx.output('listingStatus', 'ACTIVE');
        }
        ctx.output('published', publish);
        ctx.output('contractId', contractId);
        ctx.output('entityRef', entityRefFor('dry-run-data-product'));
        ctx.output('resources', [
          ...input.tables.map(t => ({
            type: 'datazone-asset',
            id: `${input.databaseName}.${t}`,
            status: 'would-create' as const,
          })),
          {
            type: 'datazone-data-product',
            id: input.productName,
            status: 'would-create' as const,
          },
          ...(publish
            ? [
                {
                  type: 'datazone-listing',
                  id: input.productName,
                  status: 'would-create' as const,
                },
              ]
            : []),
        ]);
        return;
      }

      const glue = await options.clients.getClient(GlueClient, {
        accountId: input.glueAccountId,
        region: input.region,
      });
      const dz = await options.clients.getClient(
        DataZoneClient,
        dataZoneTarget(input),
      );
      const ledger = new ResourceLedger();
      await withLedger(ctx, ledger, async () => {
        // Read the schemas (crawled tables included) before creating anything.
        const tables: Table[] = [];
        for (const [index, name] of input.tables.entries()) {
          const got = await glue
            .send(
              new GetTableCommand({
                DatabaseName: input.databaseName,
                Name: name,
              }),
            )
            .catch(error => {
              if (awsErrorName(error) === 'EntityNotFoundException') {
                throw inputError(
                  PUBLISH_ACTION_ID,
                  `tables[${index}]`,
                  `Glue table ${input.databaseName}.${name} does not exist in account ${input.glueAccountId}; a crawler's tables can be published once its crawl has finished`,
                );
              }
              throw awsError(
                error,
                'Glue GetTable',
                `${input.databaseName}.${name}`,
              );
            });
          tables.push(got.Table!);
        }
        const contract =
          given ??
          checkContract(
            buildContract(input, contractId, tables),
            'contractDetails',
          );
        const contractYaml = stringifyDataContract(contract);

        const formTypeRevision = await ctx.checkpoint({
          key: 'datazone.contract-form-type',
          fn: () => ensureContractFormType(dz, input),
        });

        const assetIds: string[] = [];
        for (const table of tables) {
          const tableArn = glueArn(
            { accountId: input.glueAccountId, region: input.region },
            'table',
            input.databaseName,
            table.Name!,
          );
          const asset = await ctx.checkpoint({
            key: `datazone.asset.${input.databaseName}.${table.Name}`,
            fn: () =>
              createAsset(
                dz,
                input,
                table,
                tableArn,
                clientToken(ctx, `asset.${tableArn}`),
              ),
          });
          ledger.record({
            type: 'datazone-asset',
            id: asset.id,
            arn: tableArn,
            status: asset.existed ? 'existed' : 'created',
          });
          ctx.logger.info(
            `${asset.existed ? 'Found' : 'Created'} asset ${asset.id} for ${
              input.databaseName
            }.${table.Name}`,
          );
          assetIds.push(asset.id);
        }

        const product = await ctx.checkpoint({
          key: 'datazone.data-product',
          fn: () =>
            createDataProduct(
              dz,
              input,
              assetIds,
              { id: String(contract.id), yaml: contractYaml },
              formTypeRevision,
              clientToken(ctx, 'data-product'),
            ),
        });
        ledger.record({
          type: 'datazone-data-product',
          id: product.id,
          status: product.status,
        });
        ctx.logger.info(
          `${
            {
              created: 'Created',
              existed: 'Found',
              updated: 'Added datasets to',
            }[product.status]
          } data product ${product.id} "${input.productName}" with contract ${
            contract.id
          } and ${product.itemCount} dataset(s)`,
        );

        let listing: { listingId: string; status: string } | undefined;
        if (input.publish && !publish) {
          ctx.logger.warn(
            `Data product ${product.id} has no datasets yet (no tables given): created with its contract, not published`,
          );
        }
        if (publish) {
          listing = await ctx.checkpoint({
            key: 'datazone.publish',
            fn: async () => {
              const published = await dz
                .send(
                  new CreateListingChangeSetCommand({
                    domainIdentifier: input.domainId,
                    entityIdentifier: product.id,
                    entityType: 'DATA_PRODUCT',
                    action: 'PUBLISH',
                    clientToken: clientToken(ctx, `publish.${product.id}`),
                  }),
                )
                .catch(error => {
                  throw awsError(
                    error,
                    'DataZone CreateListingChangeSet',
                    `data product ${product.id}`,
                  );
                });
              return {
                listingId: published.listingId!,
                status: published.status!,
              };
            },
          });
          ledger.record({
            type: 'datazone-listing',
            id: listing.listingId,
            status: 'created',
          });
          ctx.logger.info(
            `Published data product ${product.id}: listing ${listing.listingId} (${listing.status})`,
          );
        }

        ctx.output('dataProductId', product.id);
        ctx.output('assetIds', assetIds);
        if (listing) {
          ctx.output('listingId', listing.listingId);
          ctx.output('listingStatus', listing.status);
        }
        ctx.output('published', Boolean(listing));
        ctx.output('contractId', String(contract.id));
        ctx.output('entityRef', entityRefFor(product.id));
        ctx.output('resources', ledger.resources);
      });
    },
  });
}

function checkContract(document: unknown, field: string): OdcsDataContract {
  const result =
    typeof document === 'string'
      ? parseDataContract(document)
      : validateDataContract(document);
  if (!result.valid) {
    throw inputError(
      PUBLISH_ACTION_ID,
      field,
      `the data contract is not valid ODCS: ${formatDataContractErrors(
        result.errors,
      ).replace(/\n/g, '; ')}`,
    );
  }
  return result.contract;
}

function buildContract(
  input: Input,
  contractId: string,
  tables: Table[],
): OdcsDataContract {
  const details = input.contractDetails!;
  const first = tables[0] as Table | undefined;
  const location = first?.StorageDescriptor?.Location?.replace(/[^/]+\/?$/, '');
  return buildProductContract({
    id: contractId,
    productName: input.productName,
    version: details.version,
    description: input.description,
    domain: details.domain,
    owner: details.owner,
    approverGroup: details.approverGroup,
    classification: details.classification,
    supportEmail: details.supportEmail,
    server: {
      accountId: input.glueAccountId,
      region: input.region,
      database: input.databaseName,
      location,
      format: first?.Parameters?.classification,
    },
    datasets: tables.map(table => ({
      name: table.Name!,
      description: table.Description,
      columns: (table.StorageDescriptor?.Columns ?? []).map(c => ({
        name: c.Name!,
        type: c.Type,
        description: c.Comment,
      })),
      partitionKeys: (table.PartitionKeys ?? []).map(c => ({
        name: c.Name!,
        type: c.Type,
        description: c.Comment,
      })),
    })),
    slos: details.slos,
  });
}

async function ensureContractFormType(
  dz: DataZoneClient,
  input: Input,
): Promise<string> {
  try {
    const existing = await dz.send(
      new GetFormTypeCommand({
        domainIdentifier: input.domainId,
        formTypeIdentifier: DATA_CONTRACT_FORM_TYPE_NAME,
      }),
    );
    return existing.revision!;
  } catch (error) {
    if (awsErrorName(error) !== 'ResourceNotFoundException') {
      throw awsError(
        error,
        'DataZone GetFormType',
        DATA_CONTRACT_FORM_TYPE_NAME,
      );
    }
  }
  // A domain the suite has not written to yet: define the form type once.
  const created = await dz
    .send(
      new CreateFormTypeCommand({
        domainIdentifier: input.domainId,
        name: DATA_CONTRACT_FORM_TYPE_NAME,
        owningProjectIdentifier: input.projectId,
        model: { smithy: DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL },
        status: 'ENABLED',
        description:
          'The data contract (ODCS v3 YAML) of a data product, written by the Data Mesh Portal.',
      }),
    )
    .catch(error => {
      throw awsError(
        error,
        'DataZone CreateFormType',
        DATA_CONTRACT_FORM_TYPE_NAME,
      );
    });
  return created.revision!;
}

async function createAsset(
  dz: DataZoneClient,
  input: Input,
  table: Table,
  tableArn: string,
  token: string,
): Promise<{ id: string; existed: boolean }> {
  try {
    const created = await dz.send(
      new CreateAssetCommand({
        domainIdentifier: input.domainId,
        owningProjectIdentifier: input.projectId,
        name: table.Name!,
        description: table.Description,
        typeIdentifier: GLUE_TABLE_ASSET_TYPE,
        externalIdentifier: tableArn,
        formsInput: [
          {
            formName: 'GlueTableForm',
            content: JSON.stringify({
              catalogId: input.glueAccountId,
              region: input.region,
              tableArn,
              tableName: table.Name,
              tableDescription: table.Description,
              sourceClassification: table.Parameters?.classification,
              columns: (table.StorageDescriptor?.Columns ?? []).map(c => ({
                columnName: c.Name,
                dataType: c.Type,
                ...(c.Comment ? { description: c.Comment } : {}),
              })),
              partitionKeys: (table.PartitionKeys ?? []).map(c => ({
                columnName: c.Name,
                dataType: c.Type,
              })),
            }),
          },
          {
            formName: 'AssetCommonDetailsForm',
            content: JSON.stringify({
              customProperties: {
                databaseName: input.databaseName,
                ...(table.StorageDescriptor?.Location
                  ? { location: table.StorageDescriptor.Location }
                  : {}),
              },
            }),
          },
        ],
        clientToken: token,
      }),
    );
    return { id: created.id!, existed: false };
  } catch (error) {
    if (awsErrorName(error) !== 'ConflictException') {
      throw awsError(error, 'DataZone CreateAsset', tableArn);
    }
  }
  // The project already has an asset for this table (an earlier task): reuse it.
  const found = await search(dz, input, 'ASSET', table.Name!);
  const match = found.find(
    item => item.assetItem?.externalIdentifier === tableArn,
  );
  if (!match?.assetItem?.identifier) {
    throw awsError(
      Object.assign(
        new Error(
          `an asset for ${tableArn} exists in project ${input.projectId} but could not be found`,
        ),
        { name: 'ConflictException' },
      ),
      'DataZone CreateAsset',
      tableArn,
    );
  }
  return { id: match.assetItem.identifier, existed: true };
}

type ProductResult = {
  id: string;
  status: 'created' | 'existed' | 'updated';
  itemCount: number;
};

async function createDataProduct(
  dz: DataZoneClient,
  input: Input,
  assetIds: string[],
  contract: { id: string; yaml: string },
  formTypeRevision: string,
  token: string,
): Promise<ProductResult> {
  const contractForm = {
    formName: DATA_CONTRACT_FORM_TYPE_NAME,
    typeIdentifier: DATA_CONTRACT_FORM_TYPE_NAME,
    typeRevision: formTypeRevision,
    content: dataContractFormContent(contract.yaml),
  };
  const asItems = (ids: string[]) =>
    // items takes one or more: a product without datasets omits it.
    ids.length
      ? ids.map(identifier => ({ itemType: 'ASSET' as const, identifier }))
      : undefined;
  try {
    const created = await dz.send(
      new CreateDataProductCommand({
        domainIdentifier: input.domainId,
        owningProjectIdentifier: input.projectId,
        name: input.productName,
        description: input.description,
        items: asItems(assetIds),
        formsInput: [contractForm],
        clientToken: token,
      }),
    );
    return { id: created.id!, status: 'created', itemCount: assetIds.length };
  } catch (error) {
    if (awsErrorName(error) !== 'ConflictException') {
      throw awsError(error, 'DataZone CreateDataProduct', input.productName);
    }
  }
  // Same name in the project: it is this product (an earlier run, e.g. in
  // crawler mode before any files) when it carries the same contract and
  // this run's datasets include all of its own. Datasets are only added:
  // swapping or removing one is a decision for the product's owners in
  // DataZone, not a side effect of a template run.
  const found = await search(dz, input, 'DATA_PRODUCT', input.productName);
  const candidate = found.find(
    item => item.dataProductItem?.name === input.productName,
  )?.dataProductItem;
  if (candidate?.id) {
    const existing = await dz
      .send(
        new GetDataProductCommand({
          domainIdentifier: input.domainId,
          identifier: candidate.id,
        }),
      )
      .catch(error => {
        throw awsError(error, 'DataZone GetDataProduct', candidate.id);
      });
    const existingIds = (existing.items ?? []).map(i => i.identifier!);
    const existingContract = (existing.formsOutput ?? [])
      .filter(f => f.typeName === DATA_CONTRACT_FORM_TYPE_NAME)
      .map(f => readDataContractFormContent(f.content))
      .map(text => (text ? parseDataContract(text) : undefined))
      .find(result => result?.valid);
    if (
      existingContract?.valid &&
      String(existingContract.contract.id) === contract.id
    ) {
      const missing = assetIds.filter(id => !existingIds.includes(id));
      const notInThisRun = existingIds.filter(id => !assetIds.includes(id));
      if (missing.length === 0) {
        return {
          id: candidate.id,
          status: 'existed',
          itemCount: existingIds.length,
        };
      }
      if (notInThisRun.length > 0) {
        throw inputError(
          PUBLISH_ACTION_ID,
          'productName',
          `project ${input.projectId} already has a data product named "${input.productName}" with other datasets (${notInThisRun.length} of its ${existingIds.length} are not among this run's tables); choose another name, or add the tables to it in DataZone`,
        );
      }
      await dz
        .send(
          new CreateDataProductRevisionCommand({
            domainIdentifier: input.domainId,
            identifier: candidate.id,
            name: input.productName,
            description: input.description ?? existing.description,
            // Every dataset it had is among this run's.
            items: asItems(assetIds),
            formsInput: [contractForm],
            clientToken: `${token}.revision`,
          }),
        )
        .catch(error => {
          throw awsError(
            error,
            'DataZone CreateDataProductRevision',
            candidate.id,
          );
        });
      return {
        id: candidate.id,
        status: 'updated',
        itemCount: assetIds.length,
      };
    }
  }
  throw inputError(
    PUBLISH_ACTION_ID,
    'productName',
    `project ${input.projectId} already has another data product named "${input.productName}"; choose another name`,
  );
}

async function search(
  dz: DataZoneClient,
  input: Input,
  scope: 'ASSET' | 'DATA_PRODUCT',
  text: string,
) {
  const found = await dz
    .send(
      new SearchCommand({
        domainIdentifier: input.domainId,
        owningProjectIdentifier: input.projectId,
        searchScope: scope,
        searchText: text,
        maxResults: 50,
      }),
    )
    .catch(error => {
      throw awsError(error, 'DataZone Search', `${scope} ${text}`);
    });
  return found.items ?? [];
}
