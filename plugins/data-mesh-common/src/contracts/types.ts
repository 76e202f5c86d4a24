// TypeScript shapes for the parts of an ODCS v3 data contract the Data Mesh
// Portal reads and writes. The JSON Schema (schema/odcs-json-schema-v3.1.0.json)
// stays the authority: these types are deliberately open (`[key: string]:
// unknown`) where the standard allows more than we use.

/**
 * A `{ property, value }` extension entry (`customProperties`).
 *
 * @public
 */
export interface OdcsCustomProperty {
  id?: string;
  property: string;
  value: unknown;
}

/**
 * A link to an authoritative definition (`authoritativeDefinitions`).
 *
 * @public
 */
export interface OdcsAuthoritativeDefinition {
  id?: string;
  url: string;
  type: string;
  description?: string;
}

/**
 * A data quality rule (library metric, SQL, text or custom).
 *
 * @public
 */
export interface OdcsQualityRule {
  id?: string;
  name?: string;
  description?: string;
  type?: 'text' | 'library' | 'sql' | 'custom';
  dimension?:
    | 'accuracy'
    | 'completeness'
    | 'conformity'
    | 'consistency'
    | 'coverage'
    | 'timeliness'
    | 'uniqueness';
  metric?:
    | 'nullValues'
    | 'missingValues'
    | 'invalidValues'
    | 'duplicateValues'
    | 'rowCount';
  query?: string;
  engine?: string;
  implementation?: string | Record<string, unknown>;
  mustBe?: unknown;
  mustNotBe?: unknown;
  mustBeGreaterThan?: number;
  mustBeGreaterOrEqualTo?: number;
  mustBeLessThan?: number;
  mustBeLessOrEqualTo?: number;
  mustBeBetween?: [number, number];
  mustNotBeBetween?: [number, number];
  unit?: string;
  severity?: string;
  businessImpact?: string;
  schedule?: string;
  scheduler?: string;
  customProperties?: OdcsCustomProperty[];
  [key: string]: unknown;
}

/**
 * The logical types ODCS allows on a property.
 *
 * @public
 */
export type OdcsLogicalType =
  | 'string'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'number'
  | 'integer'
  | 'object'
  | 'array'
  | 'boolean';

/**
 * A column or field of a schema object.
 *
 * @public
 */
export interface OdcsSchemaProperty {
  id?: string;
  name: string;
  physicalName?: string;
  physicalType?: string;
  logicalType?: OdcsLogicalType;
  logicalTypeOptions?: Record<string, unknown>;
  businessName?: string;
  description?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  primaryKeyPosition?: number;
  partitioned?: boolean;
  partitionKeyPosition?: number;
  classification?: string;
  criticalDataElement?: boolean;
  tags?: string[];
  examples?: unknown[];
  quality?: OdcsQualityRule[];
  properties?: OdcsSchemaProperty[];
  items?: OdcsSchemaProperty;
  customProperties?: OdcsCustomProperty[];
  [key: string]: unknown;
}

/**
 * A schema object: one dataset (table, view, topic, …) of the contract.
 *
 * @public
 */
export interface OdcsSchemaObject {
  id?: string;
  name: string;
  physicalName?: string;
  physicalType?: string;
  logicalType?: 'object';
  businessName?: string;
  description?: string;
  dataGranularityDescription?: string;
  tags?: string[];
  properties?: OdcsSchemaProperty[];
  quality?: OdcsQualityRule[];
  authoritativeDefinitions?: OdcsAuthoritativeDefinition[];
  customProperties?: OdcsCustomProperty[];
  [key: string]: unknown;
}

/**
 * A service-level property (`slaProperties`), e.g. `latency`, `frequency`,
 * `retention`, `availability`, `timeOfAvailability`.
 *
 * @public
 */
export interface OdcsSlaProperty {
  id?: string;
  property: string;
  value: string | number | boolean | null;
  valueExt?: string | number | boolean | null;
  unit?: string;
  /** The `object.property` the SLA applies to; when absent, `slaDefaultElement`. */
  element?: string;
  driver?: string;
  scheduler?: string;
  schedule?: string;
}

/**
 * A member of the owning team.
 *
 * @public
 */
export interface OdcsTeamMember {
  id?: string;
  username: string;
  name?: string;
  role?: string;
  description?: string;
  dateIn?: string;
  dateOut?: string;
  replacedByUsername?: string;
  [key: string]: unknown;
}

/**
 * The team that owns the contract (v3.1 object form).
 *
 * @public
 */
export interface OdcsTeam {
  id?: string;
  name?: string;
  description?: string;
  members?: OdcsTeamMember[];
  tags?: string[];
  [key: string]: unknown;
}

/**
 * A support channel (Slack, Teams, email, ticketing, …).
 *
 * @public
 */
export interface OdcsSupportChannel {
  id?: string;
  channel: string;
  url?: string;
  tool?: string;
  scope?: string;
  description?: string;
  invitationUrl?: string;
  customProperties?: OdcsCustomProperty[];
}

/**
 * An access role with its approvers. In the Data Mesh Portal
 * `firstLevelApprovers` names a Backstage group (entity ref) whose members
 * may review access requests.
 *
 * @public
 */
export interface OdcsRole {
  id?: string;
  role: string;
  access?: string;
  description?: string;
  firstLevelApprovers?: string;
  secondLevelApprovers?: string;
  customProperties?: OdcsCustomProperty[];
}

/**
 * A server (physical location) where the datasets live.
 *
 * @public
 */
export interface OdcsServer {
  id?: string;
  server: string;
  type: string;
  description?: string;
  environment?: string;
  [key: string]: unknown;
}

/**
 * The high-level description of the contract.
 *
 * @public
 */
export interface OdcsDescription {
  usage?: string;
  purpose?: string;
  limitations?: string;
  authoritativeDefinitions?: OdcsAuthoritativeDefinition[];
  customProperties?: OdcsCustomProperty[];
}

/**
 * An ODCS v3 data contract document (fundamentals plus the sections the
 * Data Mesh Portal uses).
 *
 * @public
 */
export interface OdcsDataContract {
  apiVersion: string;
  kind: 'DataContract';
  id: string;
  version: string;
  status: string;
  name?: string;
  tenant?: string;
  domain?: string;
  /** Deprecated in ODCS v3.1.0, still accepted. */
  dataProduct?: string;
  tags?: string[];
  description?: OdcsDescription;
  servers?: OdcsServer[];
  schema?: OdcsSchemaObject[];
  support?: OdcsSupportChannel[];
  team?: OdcsTeam | OdcsTeamMember[];
  roles?: OdcsRole[];
  slaDefaultElement?: string;
  slaProperties?: OdcsSlaProperty[];
  authoritativeDefinitions?: OdcsAuthoritativeDefinition[];
  customProperties?: OdcsCustomProperty[];
  contractCreatedTs?: string;
  [key: string]: unknown;
}

/**
 * One validation problem: where (`schema[0].properties[2].name`, or `(root)`)
 * and what.
 *
 * @public
 */
export interface DataContractValidationError {
  path: string;
  message: string;
}

/**
 * The result of validating a data contract. Never thrown: bad input is an
 * `{ valid: false }` result.
 *
 * @public
 */
export type DataContractValidationResult =
  | { valid: true; contract: OdcsDataContract }
  | { valid: false; errors: DataContractValidationError[] };
