import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { DataMeshCatalogSyncService } from '@data-mesh-portal/plugin-data-mesh-node';
import { z } from 'zod/v3';
import { actionSchemas, dataZoneFields } from '../../lib/common';
import { parseInput } from '../../lib/input';
import { examples } from './syncProduct.examples';

export const SYNC_PRODUCT_ACTION_ID = 'data-mesh:catalog:sync-product';

const inputSchema = z.object({
  domainId: dataZoneFields.domainId,
  dataProductId: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,36}$/, 'must be a DataZone data product id')
    .describe('The data product to bring into the catalog now'),
  failOnError: z
    .boolean()
    .default(false)
    .describe(
      'Fail the task when the sync fails; otherwise warn (the scheduled sync picks the product up later)',
    ),
});

const outputSchema = z.object({
  synced: z.boolean().describe('Whether the catalog has the product now'),
  entityRefs: z.array(z.string()).describe('Entities applied for the product'),
  systemRef: z.string().optional().describe("The product's System entity"),
});

/**
 * `data-mesh:catalog:sync-product`.
 *
 * @public
 */
export function createCatalogSyncProductAction(options: {
  sync: DataMeshCatalogSyncService;
  logger?: LoggerService;
}) {
  return createTemplateAction({
    id: SYNC_PRODUCT_ACTION_ID,
    description:
      '"Sync product now": reads the data product from DataZone and applies it to the catalog within seconds, so its page exists when the task ends.',
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(SYNC_PRODUCT_ACTION_ID, inputSchema, ctx.input);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would sync data product ${input.dataProductId} of ${input.domainId} into the catalog`,
        );
        ctx.output('synced', false);
        ctx.output('entityRefs', []);
        return;
      }
      try {
        const result = await options.sync.syncDataProduct({
          domainId: input.domainId,
          dataProductId: input.dataProductId,
        });
        const systemRef = result.entityRefs.find(ref =>
          ref.startsWith('system:'),
        );
        ctx.logger.info(
          `Synced ${
            result.entityRefs.length
          } entities: ${result.entityRefs.join(', ')}`,
        );
        ctx.output('synced', true);
        ctx.output('entityRefs', result.entityRefs);
        if (systemRef) {
          ctx.output('systemRef', systemRef);
        }
      } catch (error) {
        if (input.failOnError) {
          throw error;
        }
        ctx.logger.warn(
          `Could not sync data product ${input.dataProductId} now (${
            (error as Error).message
          }); it exists in DataZone and the scheduled catalog sync will show it`,
        );
        ctx.output('synced', false);
        ctx.output('entityRefs', []);
      }
    },
  });
}
