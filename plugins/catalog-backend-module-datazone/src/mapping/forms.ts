import { DatasetColumn } from '@data-mesh-portal/plugin-data-mesh-common';

/** What the mapping needs from an asset's forms. */
export interface AssetStorage {
  /** The table or view name (Glue/Redshift), when a form says it. */
  tableName?: string;
  columns: DatasetColumn[];
  /** The ARN of the table, when known (Glue `tableArn`, or an ARN external identifier). */
  arn?: string;
  accountId?: string;
  region?: string;
  glueDatabase?: string;
  s3Bucket?: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

// The managed forms DataZone puts on its asset types, e.g. `GlueTableForm`
// (form type amazon.datazone.GlueTableFormType) or `RedshiftTableForm`.
const TABLE_FORMS = ['GlueTableForm', 'GlueViewForm', 'RedshiftTableForm', 'RedshiftViewForm'];

function columnsOf(form: Record<string, unknown>): DatasetColumn[] {
  const columns = Array.isArray(form.columns) ? form.columns : [];
  return columns.flatMap(column => {
    const c = record(column);
    const name = text(c?.columnName) ?? text(c?.name);
    if (!c || !name) {
      return [];
    }
    return [
      {
        name,
        type: text(c.dataType) ?? text(c.type),
        description: text(c.description) ?? text(c.columnDescription),
      },
    ];
  });
}

/** `arn:aws:glue:<region>:<account>:table/<database>/<table>` → its parts. */
export function parseGlueTableArn(
  arn: string | undefined,
): { region: string; accountId: string; database: string; table: string } | undefined {
  const match = /^arn:aws[a-z-]*:glue:([a-z0-9-]+):(\d{12}):table\/([^/]+)\/(.+)$/.exec(arn ?? '');
  return match
    ? { region: match[1], accountId: match[2], database: match[3], table: match[4] }
    : undefined;
}

/** `s3://bucket/key…` → `bucket`. */
export function s3BucketOf(location: string | undefined): string | undefined {
  const match = /^s3a?:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/|$)/.exec(location ?? '');
  return match?.[1];
}

/**
 * Reads the table name, columns and storage of an asset from its forms
 * (listing forms: form name → parsed content).
 */
export function readAssetStorage(
  forms: Record<string, unknown> | undefined,
  externalIdentifier?: string,
): AssetStorage {
  const all = forms ?? {};
  const tableForm = TABLE_FORMS.map(name => record(all[name])).find(Boolean);
  // Custom asset types: the first form that carries a column list.
  const columnForm =
    tableForm ??
    Object.keys(all)
      .sort()
      .map(name => record(all[name]))
      .find(form => form && Array.isArray(form.columns));
  const common = record(record(all.AssetCommonDetailsForm)?.customProperties);

  const arn = text(tableForm?.tableArn) ?? (externalIdentifier?.startsWith('arn:') ? externalIdentifier : undefined);
  const parsedArn = parseGlueTableArn(arn);
  const location = text(tableForm?.location) ?? text(common?.location);
  return {
    tableName: text(tableForm?.tableName) ?? parsedArn?.table,
    columns: columnForm ? columnsOf(columnForm) : [],
    arn,
    accountId: text(tableForm?.catalogId) ?? text(tableForm?.accountId) ?? parsedArn?.accountId,
    region: text(tableForm?.region) ?? parsedArn?.region,
    glueDatabase:
      parsedArn?.database ?? text(tableForm?.databaseName) ?? text(common?.databaseName),
    s3Bucket: s3BucketOf(location),
  };
}

/** The contract YAML text of a product's data-contract form, if any. */
export function readContractText(
  forms: Record<string, unknown> | undefined,
  formName: string,
): string | undefined {
  const form = record(forms?.[formName]);
  return text(form?.contract);
}
