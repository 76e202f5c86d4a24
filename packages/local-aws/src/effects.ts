import {
  CreateTableCommand,
  DeleteTableCommand,
  GetTableCommand,
  GetTablesCommand,
  GlueClient,
  type Table,
} from '@aws-sdk/client-glue';
import {
  GrantPermissionsCommand,
  LakeFormationClient,
  ListPermissionsCommand,
  RevokePermissionsCommand,
  type Permission,
} from '@aws-sdk/client-lakeformation';
import { LOCAL_AWS_ACCOUNTS } from './accounts';
import {
  assumeRole,
  localClientConfig,
  type Credentials,
} from './seed/clients';
import type {
  AwsEffects,
  GlueTableInfo,
  GlueTableRef,
} from './datazone/effects';

/**
 * The role DataZone uses in each account to apply Lake Formation grants and read Glue
 * (the manage-access role, `AmazonDataZoneGlueAccess-<region>-<domainId>` in AWS). One
 * name for every domain here.
 */
export const MANAGE_ACCESS_ROLE_NAME = 'AmazonDataZoneGlueAccess-local-aws';

interface AccountClients {
  glue: GlueClient;
  lakeFormation: LakeFormationClient;
}

const isNotFound = (error: unknown) =>
  (error as { name?: string })?.name === 'EntityNotFoundException';

function tableInfo(table: Table): GlueTableInfo {
  const column = (c: { Name?: string; Type?: string; Comment?: string }) => ({
    name: c.Name ?? '',
    type: c.Type,
    comment: c.Comment,
  });
  return {
    name: table.Name ?? '',
    description: table.Description,
    columns: (table.StorageDescriptor?.Columns ?? []).map(column),
    partitionKeys: (table.PartitionKeys ?? []).map(column),
    location: table.StorageDescriptor?.Location,
    classification: table.Parameters?.classification,
    updateTime: table.UpdateTime ?? table.CreateTime,
  };
}

/**
 * The stand-in's effects against moto, through the local endpoint itself: the router
 * sends them on to moto and its journal records them, so grants survive a restart like
 * any other moto state. Other accounts are reached by assuming the manage-access role
 * there, as DataZone does.
 */
export class MotoEffects implements AwsEffects {
  private readonly clients = new Map<string, Promise<AccountClients>>();

  constructor(
    private readonly endpoint: string,
    private readonly region: string,
  ) {}

  private account(accountId: string): Promise<AccountClients> {
    let clients = this.clients.get(accountId);
    if (!clients) {
      clients = (async () => {
        let credentials: Credentials | undefined;
        if (accountId !== LOCAL_AWS_ACCOUNTS.governance) {
          credentials = await assumeRole(
            this.endpoint,
            this.region,
            `arn:aws:iam::${accountId}:role/${MANAGE_ACCESS_ROLE_NAME}`,
            'datazone-local',
          );
        }
        const config = localClientConfig(
          this.endpoint,
          this.region,
          credentials,
        );
        return {
          glue: new GlueClient(config),
          lakeFormation: new LakeFormationClient(config),
        };
      })();
      clients.catch(() => this.clients.delete(accountId));
      this.clients.set(accountId, clients);
    }
    return clients;
  }

  async getTable(table: GlueTableRef): Promise<GlueTableInfo | undefined> {
    const { glue } = await this.account(table.catalogId);
    try {
      const got = await glue.send(
        new GetTableCommand({
          DatabaseName: table.databaseName,
          Name: table.tableName,
        }),
      );
      return got.Table ? tableInfo(got.Table) : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async getTables(
    catalogId: string,
    _region: string,
    databaseName: string,
  ): Promise<GlueTableInfo[]> {
    const { glue } = await this.account(catalogId);
    const tables: GlueTableInfo[] = [];
    let NextToken: string | undefined;
    do {
      const page = await glue.send(
        new GetTablesCommand({
          DatabaseName: databaseName,
          NextToken,
          MaxResults: 100,
        }),
      );
      // Resource links are not tables of this catalog.
      for (const t of page.TableList ?? [])
        if (!t.TargetTable) tables.push(tableInfo(t));
      NextToken = page.NextToken;
    } while (NextToken);
    return tables;
  }

  async listTablePermissions(table: GlueTableRef, principal: string) {
    const { lakeFormation } = await this.account(table.catalogId);
    const held = new Set<string>();
    let NextToken: string | undefined;
    do {
      const page = await lakeFormation.send(
        new ListPermissionsCommand({
          CatalogId: table.catalogId,
          Principal: { DataLakePrincipalIdentifier: principal },
          Resource: {
            Table: {
              CatalogId: table.catalogId,
              DatabaseName: table.databaseName,
              Name: table.tableName,
            },
          },
          NextToken,
        }),
      );
      for (const p of page.PrincipalResourcePermissions ?? []) {
        const t = p.Resource?.Table;
        if (
          p.Principal?.DataLakePrincipalIdentifier === principal &&
          t?.DatabaseName === table.databaseName &&
          t?.Name === table.tableName
        )
          (p.Permissions ?? []).forEach(x => held.add(x));
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return [...held].sort();
  }

  /**
   * Grants what the principal does not hold yet. moto merges a grant into an existing
   * entry for the same principal and table in place, which changes that entry's hash
   * inside its set: a later revoke then fails with an HTML 500. So when the principal
   * holds part already, the entry is replaced (held permissions revoked, the union
   * granted) rather than merged.
   */
  async grantTablePermissions(
    table: GlueTableRef,
    principal: string,
    permissions: string[],
  ) {
    const held = await this.listTablePermissions(table, principal);
    const missing = permissions.filter(p => !held.includes(p));
    if (!missing.length) return;
    if (held.length)
      await this.sendPermissions('revoke', table, principal, held);
    await this.sendPermissions('grant', table, principal, [
      ...held,
      ...missing,
    ]);
  }

  /** Revokes those of the permissions the principal holds (Lake Formation refuses the others). */
  async revokeTablePermissions(
    table: GlueTableRef,
    principal: string,
    permissions: string[],
  ) {
    const held = await this.listTablePermissions(table, principal);
    const present = permissions.filter(p => held.includes(p));
    if (present.length)
      await this.sendPermissions('revoke', table, principal, present);
  }

  private async sendPermissions(
    kind: 'grant' | 'revoke',
    table: GlueTableRef,
    principal: string,
    permissions: string[],
  ) {
    const { lakeFormation } = await this.account(table.catalogId);
    const input = {
      Principal: { DataLakePrincipalIdentifier: principal },
      Resource: {
        Table: {
          CatalogId: table.catalogId,
          DatabaseName: table.databaseName,
          Name: table.tableName,
        },
      },
      Permissions: permissions as Permission[],
    };
    if (kind === 'grant')
      await lakeFormation.send(new GrantPermissionsCommand(input));
    else await lakeFormation.send(new RevokePermissionsCommand(input));
  }

  async createResourceLink(
    link: {
      catalogId: string;
      region: string;
      databaseName: string;
      name: string;
    },
    target: GlueTableRef,
  ) {
    const { glue } = await this.account(link.catalogId);
    try {
      await glue.send(
        new CreateTableCommand({
          DatabaseName: link.databaseName,
          TableInput: {
            Name: link.name,
            TargetTable: {
              CatalogId: target.catalogId,
              DatabaseName: target.databaseName,
              Name: target.tableName,
              Region: target.region,
            },
          },
        }),
      );
    } catch (error) {
      if ((error as { name?: string })?.name !== 'AlreadyExistsException')
        throw error;
    }
  }

  async deleteResourceLink(link: {
    catalogId: string;
    region: string;
    databaseName: string;
    name: string;
  }) {
    const { glue } = await this.account(link.catalogId);
    try {
      await glue.send(
        new DeleteTableCommand({
          DatabaseName: link.databaseName,
          Name: link.name,
        }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async destroy() {
    for (const clients of this.clients.values()) {
      const c = await clients.catch(() => undefined);
      c?.glue.destroy();
      c?.lakeFormation.destroy();
    }
    this.clients.clear();
  }
}
