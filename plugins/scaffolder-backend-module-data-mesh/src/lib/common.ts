import { createHash } from 'node:crypto';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { mapAwsError } from '@data-mesh-portal/plugin-data-mesh-node';
import type { AwsClientFactory } from '@data-mesh-portal/plugin-data-mesh-node';
import { z } from 'zod/v3';

/**
 * Where the actions get their AWS clients: the shared factory of
 * `@data-mesh-portal/plugin-data-mesh-node` (credentials through
 * `@backstage/integration-aws-node` for the target account).
 *
 * @public
 */
export type AwsClients = Pick<AwsClientFactory, 'getClient'>;

/** The `accountId` and `region` inputs every AWS-facing action takes. */
export const targetFields = {
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .describe(
      'AWS account to act in: the main account or one of aws.accounts[] in app-config (credentials through @backstage/integration-aws-node)',
    ),
  region: z
    .string()
    .regex(
      /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/,
      'must be an AWS region such as eu-west-1',
    )
    .describe('AWS region, e.g. eu-west-1'),
};

/** What an action created or found: its `resources` output, and the account given when a step fails. */
export const resourceSchema = z.object({
  type: z.string().describe('What it is, e.g. s3-bucket, glue-table, lf-grant'),
  id: z.string().describe('Its name or id'),
  arn: z.string().optional().describe('Its ARN, where it has one'),
  status: z
    .enum(['created', 'existed', 'updated', 'would-create'])
    .describe(
      'created by this run, existed already (left as found or brought to the requested settings), updated, or (dry run) would be created',
    ),
});

export type ProvisionedResource = z.infer<typeof resourceSchema>;

/**
 * The record of what an action has done so far. When a step fails, the error
 * and the task log say exactly what exists, so nobody has to guess what a
 * half-finished run left behind.
 */
export class ResourceLedger {
  readonly resources: ProvisionedResource[] = [];

  record(resource: ProvisionedResource): ProvisionedResource {
    const index = this.resources.findIndex(
      r => r.type === resource.type && r.id === resource.id,
    );
    if (index >= 0) {
      this.resources[index] = resource;
    } else {
      this.resources.push(resource);
    }
    return resource;
  }

  describe(): string {
    if (this.resources.length === 0) {
      return 'nothing was created by this step';
    }
    return this.resources
      .map(r => `${r.type} ${r.id} (${r.status})`)
      .join(', ');
  }
}

/**
 * Runs an action body; when it fails, logs and appends what exists to the
 * error, and still outputs `resources`, so the task page shows the account.
 */
export async function withLedger<TOutput extends JsonObject>(
  ctx: ActionContext<any, TOutput>,
  ledger: ResourceLedger,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    const account = `What exists after this failure: ${ledger.describe()}. Retrying the task resumes from the last completed step; see the README for clean-up.`;
    ctx.logger.error(account);
    ctx.output('resources' as keyof TOutput, ledger.resources as any);
    if (error instanceof Error) {
      error.message = `${error.message}. ${account}`;
    }
    throw error;
  }
}

/** Maps an AWS SDK error to a `@backstage/errors` type, naming what was done. */
export function awsError(error: unknown, operation: string, resource?: string) {
  return mapAwsError(error, { operation, resource });
}

/** The error's AWS name (`AlreadyExistsException`, `NoSuchEntity`, …). */
export function awsErrorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null
    ? String((error as { name?: unknown }).name)
    : undefined;
}

/**
 * A client token that is the same every time this task's step retries the
 * same call (so AWS returns the first result instead of creating twice) and
 * different in another task. At most 64 characters.
 */
export function clientToken(
  ctx: Pick<ActionContext<any>, 'task' | 'step'>,
  key: string,
): string {
  return createHash('sha256')
    .update(`${ctx.task.id}\u0000${ctx.step?.id ?? ''}\u0000${key}`)
    .digest('hex')
    .slice(0, 64);
}

/** The glue ARN of a database or table. */
export function glueArn(
  target: { accountId: string; region: string },
  kind: 'database' | 'table',
  database: string,
  table?: string,
): string {
  return `arn:aws:glue:${target.region}:${
    target.accountId
  }:${kind}/${database}${table ? `/${table}` : ''}`;
}

/** The inputs of DataZone actions: the domain and where it lives. */
export const dataZoneFields = {
  domainId: z
    .string()
    .regex(
      /^dzd[-_][a-zA-Z0-9_-]{1,36}$/,
      'must be a DataZone domain id such as dzd_4p9n6sw4qt9xgn',
    )
    .describe('The DataZone domain id'),
  dataZoneAccountId: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional()
    .describe(
      "Account of the DataZone domain; the backend's main account when omitted",
    ),
  region: targetFields.region,
};

/** The DataZone client target: the domain's account (main when omitted) and region. */
export function dataZoneTarget(input: {
  dataZoneAccountId?: string;
  region: string;
}) {
  return input.dataZoneAccountId
    ? { accountId: input.dataZoneAccountId, region: input.region }
    : { region: input.region };
}

export const projectIdField = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,36}$/, 'must be a DataZone project id')
  .describe('The owning DataZone project id');

/**
 * The zod schemas in the shape `createTemplateAction` takes. Typed loosely on
 * purpose: `@backstage/plugin-scaffolder-node` types its schema callbacks with
 * its own copy of zod (zod 4's `zod/v3`), and checking this package's zod 3
 * schemas against those types structurally exceeds the compiler's limits. At
 * run time both convert to the same JSON Schema; the handlers parse their
 * input with the typed schema ({@link parseInput}).
 */
export function actionSchemas(
  input: z.ZodTypeAny,
  output: z.ZodTypeAny,
): { input: any; output: any } {
  return { input: () => input, output: () => output };
}
