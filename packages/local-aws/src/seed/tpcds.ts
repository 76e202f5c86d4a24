import { readFileSync } from 'node:fs';
import { seedDataFile } from '../paths';
import type { ColumnDef, TableDef } from './schema';

/**
 * Parses the TPC-DS-derived Redshift DDL (see data/PROVENANCE.md) into tables with Glue
 * column types, primary keys and the 3 TB row counts from its trailing comments.
 */
export function parseTpcdsDdl(sql: string): TableDef[] {
  const counts = new Map<string, number>();
  for (const m of sql.matchAll(/select count\(\*\) from (\w+);\s*--\s*(\d+)/g))
    counts.set(m[1], Number(m[2]));
  const tables: TableDef[] = [];
  for (const statement of sql.split(';')) {
    const head = /^\s*create table (\w+)\s*\(/i.exec(statement);
    if (!head) continue;
    const name = head[1];
    if (name === 'dbgen_version') continue; // generator metadata, not data
    const body = balancedBody(statement, head[0].length);
    const columns: ColumnDef[] = [];
    let primaryKey: string[] = [];
    for (const raw of splitTopLevel(body)) {
      const line = raw.trim();
      if (!line) continue;
      const pk = /^primary key\s*\(([^)]*)\)/i.exec(line);
      if (pk) {
        primaryKey = pk[1].split(',').map(s => s.trim());
        continue;
      }
      const col =
        /^(\w+)\s+(\w+(?:\s*\(\s*\d+\s*(?:,\s*\d+\s*)?\))?)(.*)$/.exec(line);
      if (!col) continue;
      columns.push({
        name: col[1],
        type: glueType(col[2]),
        required: /not null/i.test(col[3]),
      });
    }
    tables.push({
      name,
      description: `TPC-DS ${name.replace(/_/g, ' ')} table.`,
      columns,
      primaryKey,
      rowCount: counts.get(name),
      source: 'TPC-DS',
    });
  }
  return tables;
}

/** The text up to the parenthesis closing the one just before `start`. */
function balancedBody(text: string, start: number): string {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return text.slice(start, i);
  }
  return text.slice(start);
}

/** Splits a column list on commas that are not inside parentheses (numeric(7,2)). */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of body) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** Redshift types → the Hive types Glue tables use. */
export function glueType(redshift: string): string {
  const t = redshift.toLowerCase().replace(/\s+/g, '');
  if (t === 'int4' || t === 'integer' || t === 'int') return 'int';
  if (t === 'int8' || t === 'bigint') return 'bigint';
  if (t === 'int2' || t === 'smallint') return 'smallint';
  const num = /^(?:numeric|decimal)\((\d+),(\d+)\)$/.exec(t);
  if (num) return `decimal(${num[1]},${num[2]})`;
  if (/^(char|varchar)\(\d+\)$/.test(t)) return t;
  if (t === 'date' || t === 'timestamp' || t === 'boolean') return t;
  return 'string';
}

let cached: TableDef[] | undefined;

export function tpcdsTables(): TableDef[] {
  cached ??= parseTpcdsDdl(
    readFileSync(seedDataFile('tpcds-3tb-ddl.sql'), 'utf8'),
  );
  return cached;
}
