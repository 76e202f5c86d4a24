import type { TableDef } from './schema';

// The eight TPC-H tables with the specification's column lists (Hive types as in
// AWS's Athena/Glue TPC-H examples). Row counts are scale factor 1.
const t = (
  name: string,
  description: string,
  rowCount: number,
  primaryKey: string[],
  cols: string,
): TableDef => ({
  name,
  description,
  rowCount,
  primaryKey,
  source: 'TPC-H',
  columns: cols
    .trim()
    .split(/\n/)
    .map(line => {
      const [colName, type] = line.trim().split(/\s+/);
      return { name: colName, type, required: primaryKey.includes(colName) };
    }),
});

export const TPCH_TABLES: TableDef[] = [
  t(
    'lineitem',
    'Order line items: the fact table of TPC-H.',
    6001215,
    ['l_orderkey', 'l_linenumber'],
    `
    l_orderkey bigint
    l_partkey bigint
    l_suppkey bigint
    l_linenumber int
    l_quantity decimal(15,2)
    l_extendedprice decimal(15,2)
    l_discount decimal(15,2)
    l_tax decimal(15,2)
    l_returnflag string
    l_linestatus string
    l_shipdate date
    l_commitdate date
    l_receiptdate date
    l_shipinstruct string
    l_shipmode string
    l_comment string`,
  ),
  t(
    'orders',
    'Customer orders.',
    1500000,
    ['o_orderkey'],
    `
    o_orderkey bigint
    o_custkey bigint
    o_orderstatus string
    o_totalprice decimal(15,2)
    o_orderdate date
    o_orderpriority string
    o_clerk string
    o_shippriority int
    o_comment string`,
  ),
  t(
    'customer',
    'Customers with their market segment and nation.',
    150000,
    ['c_custkey'],
    `
    c_custkey bigint
    c_name string
    c_address string
    c_nationkey bigint
    c_phone string
    c_acctbal decimal(15,2)
    c_mktsegment string
    c_comment string`,
  ),
  t(
    'supplier',
    'Suppliers with their nation and account balance.',
    10000,
    ['s_suppkey'],
    `
    s_suppkey bigint
    s_name string
    s_address string
    s_nationkey bigint
    s_phone string
    s_acctbal decimal(15,2)
    s_comment string`,
  ),
  t(
    'part',
    'Parts catalogue.',
    200000,
    ['p_partkey'],
    `
    p_partkey bigint
    p_name string
    p_mfgr string
    p_brand string
    p_type string
    p_size int
    p_container string
    p_retailprice decimal(15,2)
    p_comment string`,
  ),
  t(
    'partsupp',
    'Which supplier supplies which part, at what cost.',
    800000,
    ['ps_partkey', 'ps_suppkey'],
    `
    ps_partkey bigint
    ps_suppkey bigint
    ps_availqty int
    ps_supplycost decimal(15,2)
    ps_comment string`,
  ),
  t(
    'nation',
    'The 25 nations.',
    25,
    ['n_nationkey'],
    `
    n_nationkey bigint
    n_name string
    n_regionkey bigint
    n_comment string`,
  ),
  t(
    'region',
    'The 5 regions.',
    5,
    ['r_regionkey'],
    `
    r_regionkey bigint
    r_name string
    r_comment string`,
  ),
];
