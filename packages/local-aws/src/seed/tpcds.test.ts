import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { glueType, parseTpcdsDdl, tpcdsTables } from './tpcds';

describe('the TPC-DS DDL parser', () => {
  it('reads all 24 data tables with columns, keys and 3 TB row counts', () => {
    const tables = tpcdsTables();
    expect(tables).toHaveLength(24);
    const storeSales = tables.find(t => t.name === 'store_sales')!;
    expect(storeSales.columns).toHaveLength(23);
    expect(storeSales.primaryKey).toEqual(['ss_item_sk', 'ss_ticket_number']);
    expect(storeSales.rowCount).toBe(8639936081);
    expect(storeSales.columns.find(c => c.name === 'ss_net_paid')).toEqual({
      name: 'ss_net_paid',
      type: 'decimal(7,2)',
      required: false,
    });
    expect(tables.find(t => t.name === 'date_dim')!.columns).toHaveLength(28);
  });

  it('parses the packaged copy and keeps its provenance', () => {
    const copy = readFileSync(
      resolve(__dirname, 'data', 'tpcds-3tb-ddl.sql'),
      'utf8',
    );
    expect(parseTpcdsDdl(copy).map(t => t.name)).toEqual(
      tpcdsTables().map(t => t.name),
    );
    expect(
      readFileSync(resolve(__dirname, 'data', 'PROVENANCE.md'), 'utf8'),
    ).toContain('commit f208c110, Apache-2.0');
  });

  it('maps Redshift types to Glue types', () => {
    expect(
      [
        'int4',
        'integer',
        'int8',
        'numeric(5,2)',
        'char(16)',
        'varchar(60)',
        'date',
        'timestamp',
      ].map(glueType),
    ).toEqual([
      'int',
      'int',
      'bigint',
      'decimal(5,2)',
      'char(16)',
      'varchar(60)',
      'date',
      'timestamp',
    ]);
  });
});
