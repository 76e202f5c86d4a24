/**
 * What a Glue crawler's built-in classifiers infer from a sample of an object: the
 * classification and Hive column types. Pure; the crawler filler feeds it S3 objects.
 */
export interface InferredSchema {
  classification: 'csv' | 'json' | 'parquet';
  columns: { Name: string; Type: string }[];
  /** Data rows seen in the sample. */
  rows: number;
}

const INT = /^-?\d+$/;
const NUM = /^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Splits one CSV line, honouring double quotes. */
export function splitCsvLine(line: string, delimiter = ','): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

function typeOfTexts(values: string[]): string {
  const present = values.filter(v => v !== '');
  if (present.length === 0) return 'string';
  // Glue's CSV classifier types whole numbers as bigint.
  if (present.every(v => INT.test(v))) return 'bigint';
  if (present.every(v => NUM.test(v))) return 'double';
  if (present.every(v => /^(true|false)$/i.test(v))) return 'boolean';
  if (present.every(v => DATE.test(v))) return 'date';
  if (present.every(v => TIMESTAMP.test(v))) return 'timestamp';
  return 'string';
}

const columnName = (name: string, i: number) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '') || `col${i}`;

/**
 * CSV: a header row when the first row is all text and the rest is not (Glue's rule of
 * thumb), else columns col0…colN; types from the sampled values.
 */
export function inferCsv(text: string): InferredSchema {
  const delimiter =
    (text.split('\n')[0].match(/\t/g)?.length ?? 0) >
    (text.split('\n')[0].match(/,/g)?.length ?? 0)
      ? '\t'
      : ',';
  const lines = text
    .split(/\r?\n/)
    .filter(l => l.trim() !== '')
    .slice(0, 1001);
  if (lines.length === 0)
    return { classification: 'csv', columns: [], rows: 0 };
  const rows = lines.map(l => splitCsvLine(l, delimiter));
  const first = rows[0];
  const rest = rows.slice(1);
  const allText = (r: string[]) =>
    r.every(v => v !== '' && typeOfTexts([v]) === 'string');
  const header =
    allText(first) &&
    (rest.some(r => !allText(r)) || new Set(first).size === first.length);
  const data = header ? rest : rows;
  const width = Math.max(first.length, ...data.map(r => r.length));
  const columns = Array.from({ length: width }, (_, i) => ({
    Name: header ? columnName(first[i] ?? '', i) : `col${i}`,
    Type: typeOfTexts(data.map(r => r[i] ?? '')),
  }));
  return { classification: 'csv', columns, rows: data.length };
}

function typeOfJson(values: unknown[]): string {
  const present = values.filter(v => v !== null && v !== undefined);
  if (present.length === 0) return 'string';
  if (present.every(v => typeof v === 'boolean')) return 'boolean';
  if (present.every(v => typeof v === 'number')) {
    if (!present.every(v => Number.isInteger(v))) return 'double';
    return present.every(v => Math.abs(v as number) <= 2 ** 31 - 1)
      ? 'int'
      : 'bigint';
  }
  if (present.every(v => Array.isArray(v)))
    return `array<${typeOfJson((present as unknown[][]).flat())}>`;
  if (present.every(v => typeof v === 'object' && !Array.isArray(v))) {
    const keys = orderedKeys(present as Record<string, unknown>[]);
    return `struct<${keys
      .map(
        k =>
          `${k}:${typeOfJson(
            (present as Record<string, unknown>[]).map(o => o[k]),
          )}`,
      )
      .join(',')}>`;
  }
  return 'string';
}

function orderedKeys(objects: Record<string, unknown>[]): string[] {
  const keys: string[] = [];
  for (const o of objects)
    for (const k of Object.keys(o)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

/** JSON: one object per line (or one array of objects); columns in order of first appearance. */
export function inferJson(text: string): InferredSchema {
  let records: Record<string, unknown>[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed = JSON.parse(trimmed);
      if (Array.isArray(parsed))
        records = parsed.filter(r => r && typeof r === 'object');
    } catch {
      records = [];
    }
  } else {
    for (const line of trimmed.split(/\r?\n/).slice(0, 1000)) {
      if (!line.trim()) continue;
      try {
        const parsed = JSON.parse(line);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          records.push(parsed);
      } catch {
        // a line that is not JSON: not part of the sample
      }
    }
  }
  const keys = orderedKeys(records);
  return {
    classification: 'json',
    columns: keys.map(k => ({
      Name: k.toLowerCase(),
      Type: typeOfJson(records.map(r => r[k])),
    })),
    rows: records.length,
  };
}

/** Hive types from a Parquet schema sidecar: `{"columns":[{"name":…,"type":…}]}`. */
export function parquetSidecar(text: string): InferredSchema | undefined {
  try {
    const parsed = JSON.parse(text) as {
      columns?: { name: string; type: string }[];
    };
    if (!Array.isArray(parsed.columns)) return undefined;
    return {
      classification: 'parquet',
      columns: parsed.columns.map(c => ({
        Name: c.name.toLowerCase(),
        Type: c.type,
      })),
      rows: 0,
    };
  } catch {
    return undefined;
  }
}

export const FORMATS = {
  csv: {
    InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    SerdeInfo: {
      SerializationLibrary:
        'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
      Parameters: { 'field.delim': ',' },
    },
  },
  json: {
    InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
  },
  parquet: {
    InputFormat:
      'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    OutputFormat:
      'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    SerdeInfo: {
      SerializationLibrary:
        'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    },
  },
} as const;
