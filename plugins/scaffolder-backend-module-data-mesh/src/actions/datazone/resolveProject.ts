import {
  DataZoneClient,
  GetEnvironmentCommand,
  GetProjectCommand,
  GetProjectCommandOutput,
  ListEnvironmentsCommand,
  ListProjectsCommand,
} from '@aws-sdk/client-datazone';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import {
  actionSchemas,
  AwsClients,
  awsError,
  awsErrorName,
  dataZoneFields,
  dataZoneTarget,
} from '../../lib/common';
import { inputError, parseInput } from '../../lib/input';
import { examples } from './resolveProject.examples';

export const RESOLVE_PROJECT_ACTION_ID = 'data-mesh:datazone:resolve-project';

/** The project resource tag that names the Backstage group a DataZone project belongs to. */
export const BACKSTAGE_GROUP_TAG = 'backstage-group';

const inputSchema = z
  .object({
    ...dataZoneFields,
    projectId: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,36}$/, 'must be a DataZone project id')
      .optional()
      .describe(
        "The project, when known (e.g. from the owner group's datazone-project-id annotation)",
      ),
    owner: z
      .string()
      .regex(
        /^group:([a-z0-9-_.]+\/)?[a-z0-9-_.]+$/i,
        'must be a group entity ref such as group:default/sales-domain',
      )
      .optional()
      .describe(
        `Owning group; finds the project tagged ${BACKSTAGE_GROUP_TAG}=<this ref>`,
      ),
    domainUnitId: z
      .string()
      .optional()
      .describe(
        'Domain unit of the product, to choose between several projects of the same group',
      ),
  })
  .superRefine((input, ctx) => {
    if (!input.projectId && !input.owner) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['owner'],
        message: 'give projectId or owner',
      });
    }
  });

const outputSchema = z.object({
  projectId: z.string().describe('The DataZone project id'),
  projectName: z.string().describe('Its name'),
  domainUnitId: z.string().describe('Its domain unit'),
  environmentId: z
    .string()
    .describe('Its data lake environment (the first ACTIVE one)'),
  environmentRoleArn: z
    .string()
    .describe(
      "The environment's user role: the owning team's role for Lake Formation grants",
    ),
  environmentAccountId: z.string().describe('Account of the environment'),
  environmentRegion: z.string().describe('Region of the environment'),
});

/**
 * `data-mesh:datazone:resolve-project`.
 *
 * @public
 */
export function createDataZoneResolveProjectAction(options: {
  clients: AwsClients;
}) {
  return createTemplateAction({
    id: RESOLVE_PROJECT_ACTION_ID,
    description: `Finds the owning team's DataZone project (by id, or by the ${BACKSTAGE_GROUP_TAG} resource tag naming the Backstage group) and its data lake environment: the role that gets the team's Lake Formation grants, and the account. Reads only.`,
    examples,
    supportsDryRun: true,
    schema: actionSchemas(inputSchema, outputSchema),
    async handler(ctx) {
      const input = parseInput(
        RESOLVE_PROJECT_ACTION_ID,
        inputSchema,
        ctx.input,
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would look up the DataZone project of ${
            input.projectId ?? input.owner
          } in ${input.domainId}`,
        );
        ctx.output('projectId', input.projectId ?? 'dry-run-project');
        ctx.output('projectName', 'dry-run');
        ctx.output('domainUnitId', input.domainUnitId ?? 'dry-run-domain-unit');
        ctx.output('environmentId', 'dry-run-environment');
        ctx.output(
          'environmentRoleArn',
          'arn:aws:iam::000000000000:role/dry-run',
        );
        ctx.output('environmentAccountId', '000000000000');
        ctx.output('environmentRegion', input.region);
        return;
      }
      const dz = await options.clients.getClient(
        DataZoneClient,
        dataZoneTarget(input),
      );
      const getProject = (identifier: string) =>
        dz
          .send(
            new GetProjectCommand({
              domainIdentifier: input.domainId,
              identifier,
            }),
          )
          .catch(error => {
            if (awsErrorName(error) === 'ResourceNotFoundException') {
              throw inputError(
                RESOLVE_PROJECT_ACTION_ID,
                'projectId',
                `project ${identifier} does not exist in domain ${input.domainId}`,
              );
            }
            throw awsError(error, 'DataZone GetProject', identifier);
          });

      let project: GetProjectCommandOutput;
      if (input.projectId) {
        project = await getProject(input.projectId);
      } else {
        const candidates: GetProjectCommandOutput[] = [];
        let nextToken: string | undefined;
        do {
          const page = await dz
            .send(
              new ListProjectsCommand({
                domainIdentifier: input.domainId,
                maxResults: 50,
                nextToken,
              }),
            )
            .catch(error => {
              throw awsError(error, 'DataZone ListProjects', input.domainId);
            });
          for (const summary of page.items ?? []) {
            // ListProjects has no resource tags: read each project once.
            const full = await getProject(summary.id!);
            if (
              (full.resourceTags ?? []).some(
                t =>
                  t.key === BACKSTAGE_GROUP_TAG &&
                  sameRef(t.value, input.owner!),
              )
            ) {
              candidates.push(full);
            }
          }
          nextToken = page.nextToken;
        } while (nextToken);
        const inUnit = input.domainUnitId
          ? candidates.filter(p => p.domainUnitId === input.domainUnitId)
          : candidates;
        if (inUnit.length !== 1) {
          throw inputError(
            RESOLVE_PROJECT_ACTION_ID,
            'owner',
            inUnit.length === 0
              ? `no DataZone project in ${
                  input.domainId
                } is tagged ${BACKSTAGE_GROUP_TAG}=${input.owner}${
                  input.domainUnitId
                    ? ` in domain unit ${input.domainUnitId}`
                    : ''
                }`
              : `several projects belong to ${input.owner} (${inUnit
                  .map(p => `${p.name} ${p.id}`)
                  .join(', ')}); pass projectId or domainUnitId`,
          );
        }
        project = inUnit[0];
      }

      const environments = await dz
        .send(
          new ListEnvironmentsCommand({
            domainIdentifier: input.domainId,
            projectIdentifier: project.id!,
            maxResults: 50,
          }),
        )
        .catch(error => {
          throw awsError(error, 'DataZone ListEnvironments', project.id);
        });
      const summary = (environments.items ?? []).find(
        e => !e.status || e.status === 'ACTIVE',
      );
      if (!summary) {
        throw inputError(
          RESOLVE_PROJECT_ACTION_ID,
          'projectId',
          `project ${project.name} (${project.id}) has no active environment to hold the product`,
        );
      }
      const environment = await dz
        .send(
          new GetEnvironmentCommand({
            domainIdentifier: input.domainId,
            identifier: summary.id!,
          }),
        )
        .catch(error => {
          throw awsError(error, 'DataZone GetEnvironment', summary.id);
        });
      const role = (environment.provisionedResources ?? []).find(
        r => r.type === 'IAMRole',
      );
      if (!role?.value) {
        throw inputError(
          RESOLVE_PROJECT_ACTION_ID,
          'projectId',
          `environment ${environment.name} of project ${project.name} has no IAM role`,
        );
      }
      ctx.logger.info(
        `Project ${project.name} (${project.id}); environment ${environment.name} in ${environment.awsAccountId}; team role ${role.value}`,
      );
      ctx.output('projectId', project.id!);
      ctx.output('projectName', project.name!);
      ctx.output('domainUnitId', project.domainUnitId ?? '');
      ctx.output('environmentId', environment.id!);
      ctx.output('environmentRoleArn', role.value);
      ctx.output('environmentAccountId', environment.awsAccountId ?? '');
      ctx.output(
        'environmentRegion',
        environment.awsAccountRegion ?? input.region,
      );
    },
  });
}

function sameRef(a: string | undefined, b: string): boolean {
  const norm = (ref: string) => {
    const lower = ref.toLowerCase();
    return lower.includes('/')
      ? lower
      : lower.replace(/^group:/, 'group:default/');
  };
  return !!a && norm(a) === norm(b);
}
