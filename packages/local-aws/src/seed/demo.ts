import type { TableDef } from './schema';
import { TPCH_TABLES } from './tpch';
import { tpcdsTables } from './tpcds';

export const DEMO_DOMAIN_NAME = 'Retail Data Mesh';

/** The demo people of catalog/demo-org.yaml; DataZone profiles match them by email. */
export const DEMO_PEOPLE = {
  alice: {
    email: 'alice@retail.example',
    name: 'Alice Moreau',
    group: 'sales-domain',
  },
  dan: {
    email: 'dan@retail.example',
    name: 'Dan Silva',
    group: 'supply-chain-domain',
  },
  bob: {
    email: 'bob@retail.example',
    name: 'Bob Okafor',
    group: 'marketing-analytics',
  },
  carol: {
    email: 'carol@retail.example',
    name: 'Carol Nguyen',
    group: 'platform-team',
  },
} as const;
export type PersonKey = keyof typeof DEMO_PEOPLE;

export const DEMO_DOMAIN_UNITS = {
  sales: { name: 'Sales', description: 'Store, web and catalog sales.' },
  supplyChain: {
    name: 'Supply Chain',
    description: 'Suppliers, parts, inventory and shipping.',
  },
  marketing: {
    name: 'Marketing',
    description: 'Campaigns, promotions and their effect.',
  },
  customer: { name: 'Customer', description: 'Who our customers are.' },
} as const;
export type UnitKey = keyof typeof DEMO_DOMAIN_UNITS | 'root';

export interface DemoProject {
  name: string;
  description: string;
  unit: UnitKey;
  owner: PersonKey;
  /** The Backstage group the project belongs to (also a resource tag on the project). */
  group: string;
  /** Where the project's environment lives: producers in the producer account, consumers in the central one. Product data always sits in the producer account. */
  account: 'producer' | 'governance';
  bucket?: string;
}

export const DEMO_PROJECTS = {
  sales: {
    name: 'Sales domain team',
    description: 'Owns store, web and catalog sales data products.',
    unit: 'sales',
    owner: 'alice',
    group: 'sales-domain',
    account: 'producer',
    bucket: 'retail-sales-data-products',
  },
  customer: {
    name: 'Customer data team',
    description:
      'Owns customer master data products (run by the sales domain team).',
    unit: 'customer',
    owner: 'alice',
    group: 'sales-domain',
    account: 'producer',
    bucket: 'retail-customer-data-products',
  },
  supplyChain: {
    name: 'Supply chain domain team',
    description: 'Owns suppliers, parts, inventory and shipping data products.',
    unit: 'supplyChain',
    owner: 'dan',
    group: 'supply-chain-domain',
    account: 'producer',
    bucket: 'retail-supply-chain-data-products',
  },
  marketing: {
    name: 'Marketing analytics',
    description:
      'Consumes sales and customer data for campaigns and dashboards.',
    unit: 'marketing',
    owner: 'bob',
    group: 'marketing-analytics',
    account: 'governance',
    bucket: 'retail-marketing-data-products',
  },
  platform: {
    name: 'Data platform team',
    description:
      'Runs the data mesh platform; owns the data contract form type.',
    unit: 'root',
    owner: 'carol',
    group: 'platform-team',
    account: 'governance',
  },
} satisfies Record<string, DemoProject>;
export type ProjectKey = keyof typeof DEMO_PROJECTS;

/** published: listed; unpublished: inventory only (experimental); deprecated: listed once, then unpublished. */
export type ProductState = 'published' | 'unpublished' | 'deprecated';

export interface DemoProduct {
  key: string;
  name: string;
  description: string;
  project: ProjectKey;
  database: string;
  state: ProductState;
  tables: TableDef[];
  /** SLOs for the contract. */
  sla: {
    latencyHours: number;
    frequency: string;
    retentionYears: number;
    availableBy: string;
  };
}

const tpch = (name: string) => TPCH_TABLES.find(t => t.name === name)!;
const tpcds = (name: string) => tpcdsTables().find(t => t.name === name)!;

export function demoProducts(): DemoProduct[] {
  return [
    {
      key: 'order-history',
      name: 'Order history',
      description:
        'Every customer order and its line items since 1992 (TPC-H orders and lineitem).',
      project: 'sales',
      database: 'sales_order_history',
      state: 'published',
      tables: [tpch('orders'), tpch('lineitem')],
      sla: {
        latencyHours: 24,
        frequency: 'daily',
        retentionYears: 7,
        availableBy: '06:00',
      },
    },
    {
      key: 'store-sales',
      name: 'Store sales',
      description:
        'Sales and returns in physical stores, with stores and the date dimension.',
      project: 'sales',
      database: 'sales_store_sales',
      state: 'published',
      tables: ['store_sales', 'store_returns', 'store', 'date_dim'].map(tpcds),
      sla: {
        latencyHours: 4,
        frequency: 'hourly',
        retentionYears: 5,
        availableBy: '07:00',
      },
    },
    {
      key: 'web-sales',
      name: 'Web sales',
      description:
        'Sales and returns of the web shop, with its pages and sites.',
      project: 'sales',
      database: 'sales_web_sales',
      state: 'published',
      tables: ['web_sales', 'web_returns', 'web_page', 'web_site'].map(tpcds),
      sla: {
        latencyHours: 2,
        frequency: 'hourly',
        retentionYears: 5,
        availableBy: '06:30',
      },
    },
    {
      key: 'catalog-sales',
      name: 'Catalog sales',
      description:
        'Mail-order catalog sales and returns. Deprecated: the catalog channel closes.',
      project: 'sales',
      database: 'sales_catalog_sales',
      state: 'deprecated',
      tables: [
        'catalog_sales',
        'catalog_returns',
        'catalog_page',
        'call_center',
      ].map(tpcds),
      sla: {
        latencyHours: 48,
        frequency: 'weekly',
        retentionYears: 2,
        availableBy: '08:00',
      },
    },
    {
      key: 'customer-360',
      name: 'Customer 360',
      description:
        'Customers with addresses, demographics, households and income bands.',
      project: 'customer',
      database: 'customer_360',
      state: 'published',
      tables: [
        'customer',
        'customer_address',
        'customer_demographics',
        'household_demographics',
        'income_band',
      ].map(tpcds),
      sla: {
        latencyHours: 24,
        frequency: 'daily',
        retentionYears: 10,
        availableBy: '05:00',
      },
    },
    {
      key: 'customer-accounts',
      name: 'Customer accounts',
      description:
        'Customer accounts with balances and market segments, by nation and region (TPC-H).',
      project: 'customer',
      database: 'customer_accounts',
      state: 'published',
      tables: [tpch('customer'), tpch('nation'), tpch('region')],
      sla: {
        latencyHours: 24,
        frequency: 'daily',
        retentionYears: 10,
        availableBy: '05:00',
      },
    },
    {
      key: 'suppliers-and-parts',
      name: 'Suppliers and parts',
      description:
        'Suppliers, the parts catalogue and who supplies what at which cost (TPC-H).',
      project: 'supplyChain',
      database: 'supply_suppliers_parts',
      state: 'published',
      tables: [tpch('supplier'), tpch('part'), tpch('partsupp')],
      sla: {
        latencyHours: 24,
        frequency: 'daily',
        retentionYears: 5,
        availableBy: '04:00',
      },
    },
    {
      key: 'inventory',
      name: 'Inventory',
      description:
        'Weekly stock levels per item and warehouse, with ship modes.',
      project: 'supplyChain',
      database: 'supply_inventory',
      state: 'published',
      tables: ['inventory', 'warehouse', 'item', 'ship_mode'].map(tpcds),
      sla: {
        latencyHours: 12,
        frequency: 'daily',
        retentionYears: 3,
        availableBy: '03:00',
      },
    },
    {
      key: 'campaign-effectiveness',
      name: 'Campaign effectiveness',
      description:
        'Experimental: promotions, return reasons and time of day, for campaign analysis.',
      project: 'marketing',
      database: 'marketing_campaigns',
      state: 'unpublished',
      tables: ['promotion', 'reason', 'time_dim'].map(tpcds),
      sla: {
        latencyHours: 72,
        frequency: 'weekly',
        retentionYears: 1,
        availableBy: '09:00',
      },
    },
  ];
}
