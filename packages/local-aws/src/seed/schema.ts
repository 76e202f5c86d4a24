/** A table of the demo mesh: what becomes a Glue table, an asset's schema form and a contract schema entry. */
export interface TableDef {
  name: string;
  description: string;
  columns: ColumnDef[];
  primaryKey?: string[];
  /** Rows at the source's reference scale (TPC-DS 3 TB comments; TPC-H SF1). */
  rowCount?: number;
  source: 'TPC-H' | 'TPC-DS';
}

export interface ColumnDef {
  name: string;
  /** Glue/Hive type: int, bigint, decimal(15,2), string, char(16), varchar(60), date, timestamp. */
  type: string;
  required?: boolean;
}
