import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  GrantPermissionsCommand,
  LakeFormationClient,
  ListPermissionsCommand,
  Permission,
  RevokePermissionsCommand,
} from '@aws-sdk/client-lakeformation';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AccessGrantTable,
  AccessGrantVerification,
  AccessLevel,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { AwsClientFactory, mapAwsError } from '@data-mesh-portal/plugin-data-mesh-node';
import { GrantRecord } from '../database/AccessRequestStore';
import { GrantError, GrantInput, GrantProvider } from './types';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/** Least privilege: never ALL, never a wildcard. */
export function permissionsFor(level: AccessLevel): Permission[] {
  return level === 'describe' ? ['DESCRIBE'] : ['SELECT', 'DESCRIBE'];
}

function tableKey(t: AccessGrantTable): string {
  return `${t.catalogId}|${t.region}|${t.databaseName}|${t.tableName}`;
}

function describeTable(t: AccessGrantTable): string {
  return `${t.catalogId}:${t.databaseName}.${t.tableName} (${t.region})`;
}

/**
 * Lake Formation mode: SELECT and DESCRIBE (or DESCRIBE only) on each named
 * Glue table, granted directly to the IAM role annotated on the consuming
 * team's Group. The tables' catalog account and region come from the dataset
 * annotations; the factory gives a client per account and region.
 */
export class LakeFormationGrantProvider implements GrantProvider {
  readonly mode = 'lakeformation' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly logger: LoggerService,
  ) {}

  async check(input: Omit<GrantInput, 'requestId' | 'purpose'>): Promise<void> {
    this.roleOf(input.team.lakeFormationRoleArn, input.team.teamRef);
    if (input.target.tables.length === 0) {
      throw new InputError(
        `${input.target.entityRef} names no Glue table (annotations data-mesh-portal.io/glue-database, glue-table, aws-account-id, aws-region), so there is nothing to grant in Lake Formation`,
      );
    }
  }

  async grant(input: GrantInput): Promise<GrantRecord> {
    await this.check(input);
    const roleArn = input.team.lakeFormationRoleArn!;
    await this.assertRoleExists(roleArn, input.target.tables[0].region);
    const permissions = permissionsFor(input.accessLevel);
    const granted: AccessGrantTable[] = [];
    // What this call added, so a rollback removes exactly that and nothing
    // another request had granted before.
    const added: GrantRecord[] = [];
    const record = (tables: AccessGrantTable[]): GrantRecord => ({
      mode: 'lakeformation',
      principal: roleArn,
      permissions,
      tables,
    });
    for (const table of input.target.tables) {
      try {
        // Grant only what the role lacks: another request may already have
        // granted it (revocation keeps what other active requests need).
        const present = new Set(await this.permissionsOn(roleArn, table));
        const missing = permissions.filter(p => !present.has(p));
        if (missing.length === 0) {
          granted.push(table);
          continue;
        }
        const lf = await this.lakeFormation(table);
        await lf.send(
          new GrantPermissionsCommand({
            CatalogId: table.catalogId,
            Principal: { DataLakePrincipalIdentifier: roleArn },
            Resource: {
              Table: {
                CatalogId: table.catalogId,
                DatabaseName: table.databaseName,
                Name: table.tableName,
              },
            },
            Permissions: missing,
            PermissionsWithGrantOption: [],
          }),
        );
        granted.push(table);
        added.push({ mode: 'lakeformation', principal: roleArn, permissions: missing, tables: [table] });
      } catch (error) {
        const mapped = mapAwsError(error, {
          operation: 'Lake Formation GrantPermissions',
          resource: describeTable(table),
        });
        // Roll back the tables already granted, so nothing is half-applied.
        let partial: GrantRecord | undefined;
        try {
          for (const grant of added) {
            await this.revoke(grant);
          }
        } catch (rollbackError) {
          partial = record(added.flatMap(a => a.tables));
          this.logger.error(
            `Rolling back Lake Formation grants for request ${input.requestId} failed; still granted: ${granted.map(describeTable).join(', ')}`,
            rollbackError as Error,
          );
        }
        throw new GrantError(mapped.message, partial, mapped);
      }
    }
    return record(granted);
  }

  async revoke(grant: GrantRecord, options: { keep?: GrantRecord[] } = {}): Promise<void> {
    const stillNeeded = new Map<string, Set<string>>();
    for (const other of options.keep ?? []) {
      if (other.mode !== 'lakeformation' || other.principal !== grant.principal) continue;
      for (const table of other.tables) {
        const set = stillNeeded.get(tableKey(table)) ?? new Set<string>();
        other.permissions.forEach(p => set.add(p));
        stillNeeded.set(tableKey(table), set);
      }
    }
    for (const table of grant.tables) {
      const keep = stillNeeded.get(tableKey(table)) ?? new Set<string>();
      const toRevoke = grant.permissions.filter(p => !keep.has(p)) as Permission[];
      if (toRevoke.length === 0) continue;
      const present = new Set(await this.permissionsOn(grant.principal, table));
      const revoking = toRevoke.filter(p => present.has(p));
      if (revoking.length === 0) continue; // already gone: revoking is idempotent
      const lf = await this.lakeFormation(table);
      try {
        await lf.send(
          new RevokePermissionsCommand({
            CatalogId: table.catalogId,
            Principal: { DataLakePrincipalIdentifier: grant.principal },
            Resource: {
              Table: {
                CatalogId: table.catalogId,
                DatabaseName: table.databaseName,
                Name: table.tableName,
              },
            },
            Permissions: revoking,
            PermissionsWithGrantOption: [],
          }),
        );
      } catch (error) {
        throw mapAwsError(error, {
          operation: 'Lake Formation RevokePermissions',
          resource: describeTable(table),
        });
      }
    }
  }

  async verify(requestId: string, grant: GrantRecord): Promise<AccessGrantVerification> {
    const tables = [];
    let granted = grant.tables.length > 0;
    for (const table of grant.tables) {
      const permissions = await this.permissionsOn(grant.principal, table);
      tables.push({ ...table, permissions });
      if (!grant.permissions.every(p => permissions.includes(p))) {
        granted = false;
      }
    }
    return {
      requestId,
      mode: 'lakeformation',
      granted,
      checkedAt: new Date().toISOString(),
      principal: grant.principal,
      tables,
      detail: granted
        ? `Lake Formation lists ${grant.permissions.join(' and ')} for ${grant.principal} on every table`
        : 'Lake Formation does not list every recorded permission',
    };
  }

  /** The permissions Lake Formation lists for the principal on the table (read from AWS). */
  async permissionsOn(principal: string, table: AccessGrantTable): Promise<string[]> {
    const lf = await this.lakeFormation(table);
    const permissions = new Set<string>();
    let nextToken: string | undefined;
    try {
      do {
        const page = await lf.send(
          new ListPermissionsCommand({
            CatalogId: table.catalogId,
            Principal: { DataLakePrincipalIdentifier: principal },
            ResourceType: 'TABLE',
            Resource: {
              Table: {
                CatalogId: table.catalogId,
                DatabaseName: table.databaseName,
                Name: table.tableName,
              },
            },
            MaxResults: 1000,
            NextToken: nextToken,
          }),
        );
        for (const entry of page.PrincipalResourcePermissions ?? []) {
          // Filter again: the principal and table must be exactly ours.
          const t = entry.Resource?.Table;
          if (
            entry.Principal?.DataLakePrincipalIdentifier === principal &&
            t?.DatabaseName === table.databaseName &&
            t?.Name === table.tableName
          ) {
            entry.Permissions?.forEach(p => permissions.add(p));
          }
        }
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      throw mapAwsError(error, {
        operation: 'Lake Formation ListPermissions',
        resource: describeTable(table),
      });
    }
    return [...permissions].sort();
  }

  private roleOf(roleArn: string | undefined, teamRef: string) {
    if (!roleArn) {
      throw new InputError(
        `${teamRef} has no IAM role for Lake Formation grants (annotation data-mesh-portal.io/lakeformation-principal-role-arn on the Group)`,
      );
    }
    const match = ROLE_ARN.exec(roleArn);
    if (!match) {
      throw new InputError(`${teamRef} names '${roleArn}' as its role, which is not an IAM role ARN`);
    }
    return { accountId: match[1], roleName: match[2] };
  }

  private async assertRoleExists(roleArn: string, region: string) {
    const { accountId, roleName } = this.roleOf(roleArn, 'the team');
    const iam = await this.clients.getClient(IAMClient, { accountId, region });
    try {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      if (Role?.Arn && Role.Arn !== roleArn) {
        throw new InputError(`IAM knows the role ${roleName} as ${Role.Arn}, not ${roleArn}`);
      }
    } catch (error) {
      const mapped = mapAwsError(error, { operation: 'IAM GetRole', resource: roleArn });
      if (mapped instanceof NotFoundError) {
        throw new InputError(`The team's IAM role ${roleArn} does not exist`);
      }
      throw mapped;
    }
  }

  private lakeFormation(table: AccessGrantTable): Promise<LakeFormationClient> {
    return this.clients.getClient(LakeFormationClient, {
      accountId: table.catalogId,
      region: table.region,
    });
  }
}
