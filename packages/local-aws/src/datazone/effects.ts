/**
 * What the stand-in does outside itself, as DataZone does in your accounts: Lake
 * Formation grants when a subscription is accepted (and their revocation), resource
 * links in the subscriber's Glue database, and reading Glue databases in a data-source
 * run. The local AWS implements it against moto through its own endpoint (so the moto
 * journal records the grants); contract tests pass a fake.
 */
export interface GlueTableRef {
  /** The account (Glue catalog id) that holds the table. */
  catalogId: string;
  region: string;
  databaseName: string;
  tableName: string;
}

export interface GlueColumn {
  name: string;
  type?: string;
  comment?: string;
}

export interface GlueTableInfo {
  name: string;
  description?: string;
  columns: GlueColumn[];
  partitionKeys: GlueColumn[];
  location?: string;
  classification?: string;
  updateTime?: Date;
}

export interface AwsEffects {
  /** The table, or undefined when it (or its database) does not exist. */
  getTable(table: GlueTableRef): Promise<GlueTableInfo | undefined>;
  /** Every table of a database; throws when the database does not exist. */
  getTables(
    catalogId: string,
    region: string,
    databaseName: string,
  ): Promise<GlueTableInfo[]>;
  /** The permissions `principal` holds on the table in Lake Formation (none: empty). */
  listTablePermissions(
    table: GlueTableRef,
    principal: string,
  ): Promise<string[]>;
  grantTablePermissions(
    table: GlueTableRef,
    principal: string,
    permissions: string[],
  ): Promise<void>;
  revokeTablePermissions(
    table: GlueTableRef,
    principal: string,
    permissions: string[],
  ): Promise<void>;
  /** Creates (or keeps) a resource link `database.name` in `catalogId` pointing at `target`. */
  createResourceLink(
    link: {
      catalogId: string;
      region: string;
      databaseName: string;
      name: string;
    },
    target: GlueTableRef,
  ): Promise<void>;
  deleteResourceLink(link: {
    catalogId: string;
    region: string;
    databaseName: string;
    name: string;
  }): Promise<void>;
}

/** For a stand-in without AWS behind it: every effect fails, and says why. */
export const NO_AWS_EFFECTS: AwsEffects = {
  getTable: () => Promise.reject(unavailable()),
  getTables: () => Promise.reject(unavailable()),
  listTablePermissions: () => Promise.reject(unavailable()),
  grantTablePermissions: () => Promise.reject(unavailable()),
  revokeTablePermissions: () => Promise.reject(unavailable()),
  createResourceLink: () => Promise.reject(unavailable()),
  deleteResourceLink: () => Promise.reject(unavailable()),
};

function unavailable() {
  return new Error(
    'This DataZone stand-in runs without AWS (no Glue or Lake Formation behind it).',
  );
}

/** `arn:aws:glue:us-east-1:222222222222:table/db/name` → its parts. */
export function parseGlueTableArn(arn: string): GlueTableRef | undefined {
  const m = /^arn:aws[\w-]*:glue:([\w-]+):(\d{12}):table\/([^/]+)\/(.+)$/.exec(
    arn,
  );
  return m
    ? { region: m[1], catalogId: m[2], databaseName: m[3], tableName: m[4] }
    : undefined;
}

export const glueTableArn = (t: GlueTableRef) =>
  `arn:aws:glue:${t.region}:${t.catalogId}:table/${t.databaseName}/${t.tableName}`;
