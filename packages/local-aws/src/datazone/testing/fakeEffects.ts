import type { AwsEffects, GlueTableInfo, GlueTableRef } from '../effects';

const key = (catalogId: string, database: string, table?: string) =>
  [catalogId, database, table].filter(Boolean).join('/');

/**
 * Glue and Lake Formation in memory, for contract tests of the stand-in without moto:
 * tables to read, and the permissions granted (principal → table → permissions).
 */
export class FakeAwsEffects implements AwsEffects {
  readonly tables = new Map<string, GlueTableInfo[]>();
  readonly permissions = new Map<string, Set<string>>();
  readonly links = new Map<string, GlueTableRef>();
  /** Every grant and revoke made, in order: `grant|revoke principal|catalog/db/table PERMS`. */
  readonly calls: string[] = [];
  /** Makes the next calls of this kind fail. */
  failing = new Set<keyof AwsEffects>();

  addTable(catalogId: string, database: string, table: GlueTableInfo) {
    const list = this.tables.get(key(catalogId, database)) ?? [];
    this.tables.set(key(catalogId, database), [
      ...list.filter(t => t.name !== table.name),
      table,
    ]);
  }

  /** `principal|catalog/db/table` → permissions, sorted, for assertions. */
  granted(): Record<string, string[]> {
    return Object.fromEntries(
      [...this.permissions.entries()]
        .filter(([, p]) => p.size > 0)
        .map(([k, p]) => [k, [...p].sort()]),
    );
  }

  private check(kind: keyof AwsEffects) {
    if (this.failing.has(kind)) throw new Error(`${kind} failed (test)`);
  }

  async getTable(t: GlueTableRef) {
    this.check('getTable');
    return this.tables
      .get(key(t.catalogId, t.databaseName))
      ?.find(x => x.name === t.tableName);
  }

  async getTables(catalogId: string, _region: string, database: string) {
    this.check('getTables');
    const list = this.tables.get(key(catalogId, database));
    if (!list) throw new Error(`Database ${database} not found.`);
    return list;
  }

  async listTablePermissions(t: GlueTableRef, principal: string) {
    this.check('listTablePermissions');
    const k = `${principal}|${key(t.catalogId, t.databaseName, t.tableName)}`;
    return [...(this.permissions.get(k) ?? [])].sort();
  }

  async grantTablePermissions(t: GlueTableRef, principal: string, p: string[]) {
    this.check('grantTablePermissions');
    const k = `${principal}|${key(t.catalogId, t.databaseName, t.tableName)}`;
    this.calls.push(`grant ${k} ${[...p].sort().join(',')}`);
    const set = this.permissions.get(k) ?? new Set<string>();
    p.forEach(x => set.add(x));
    this.permissions.set(k, set);
  }

  async revokeTablePermissions(
    t: GlueTableRef,
    principal: string,
    p: string[],
  ) {
    this.check('revokeTablePermissions');
    const k = `${principal}|${key(t.catalogId, t.databaseName, t.tableName)}`;
    this.calls.push(`revoke ${k} ${[...p].sort().join(',')}`);
    p.forEach(x => this.permissions.get(k)?.delete(x));
  }

  async createResourceLink(
    link: { catalogId: string; databaseName: string; name: string },
    target: GlueTableRef,
  ) {
    this.check('createResourceLink');
    this.links.set(key(link.catalogId, link.databaseName, link.name), target);
  }

  async deleteResourceLink(link: {
    catalogId: string;
    databaseName: string;
    name: string;
  }) {
    this.check('deleteResourceLink');
    this.links.delete(key(link.catalogId, link.databaseName, link.name));
  }
}
