import type * as dz from '@aws-sdk/client-datazone';
import { validation } from '../errors';
import type { SortKey } from '../paging';
import type { Form } from '../state';

type Value = string | number;

/** What Search, SearchListings and SearchTypes filter, match and sort on. */
export interface Searchable {
  seq: number;
  createdAt: number;
  updatedAt: number;
  /** Top-level attributes by their filter names (name, description, owningProjectId, …). */
  attributes: Record<string, Value[]>;
  forms?: Form[];
}

/**
 * Attribute values for a filter/searchIn/sort name: a top-level attribute, or a path into
 * a form's content, named by form name or form type name (`GlueTableForm.tableName`,
 * `amazon.datazone.GlueTableFormType.columns.columnName`). Lists are flattened.
 */
export function valuesOf(entry: Searchable, attribute: string): Value[] {
  if (attribute in entry.attributes) return entry.attributes[attribute];
  if (attribute === 'createdAt') return [entry.createdAt];
  if (attribute === 'updatedAt') return [entry.updatedAt];
  const parts = attribute.split('.');
  for (let i = parts.length - 1; i >= 1; i--) {
    const prefix = parts.slice(0, i).join('.');
    const form = entry.forms?.find(
      f => f.formName === prefix || f.typeName === prefix,
    );
    if (form) return collect(JSON.parse(form.content), parts.slice(i));
  }
  return [];
}

function collect(value: unknown, path: string[]): Value[] {
  if (Array.isArray(value)) return value.flatMap(v => collect(v, path));
  if (path.length === 0) {
    if (typeof value === 'string' || typeof value === 'number') return [value];
    if (typeof value === 'boolean') return [String(value)];
    return [];
  }
  if (value && typeof value === 'object')
    return collect((value as Record<string, unknown>)[path[0]], path.slice(1));
  return [];
}

function allText(entry: Searchable): string[] {
  const values = Object.values(entry.attributes).flat().map(String);
  for (const form of entry.forms ?? [])
    values.push(...deepStrings(JSON.parse(form.content)));
  return values;
}

function deepStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(deepStrings);
  if (value && typeof value === 'object')
    return Object.values(value).flatMap(deepStrings);
  return [];
}

/** Every search term must occur (case-insensitively) in one of the searched attributes. */
export function matchesText(
  entry: Searchable,
  searchText?: string,
  searchIn?: dz.SearchInItem[],
): boolean {
  const text = searchText?.trim();
  if (!text || text === '*') return true;
  const haystack = (
    searchIn?.length
      ? searchIn.flatMap(s => valuesOf(entry, s.attribute!).map(String))
      : allText(entry)
  ).map(v => v.toLowerCase());
  return text
    .toLowerCase()
    .split(/\s+/)
    .every(term => haystack.some(v => v.includes(term)));
}

export function matchesFilter(
  entry: Searchable,
  clause?: dz.FilterClause,
): boolean {
  if (!clause) return true;
  if (clause.and) return clause.and.every(c => matchesFilter(entry, c));
  if (clause.or) return clause.or.some(c => matchesFilter(entry, c));
  const filter = clause.filter;
  if (!filter) return true;
  if (filter.value === undefined && filter.intValue === undefined) {
    throw validation(
      `Filter on ${filter.attribute} must have a value or an intValue.`,
    );
  }
  const wanted: Value = filter.intValue ?? filter.value!;
  const values = valuesOf(entry, filter.attribute!);
  const operator = filter.operator ?? 'EQ';
  return values.some(v => compare(v, wanted, operator));
}

function compare(actual: Value, wanted: Value, operator: string): boolean {
  if (operator === 'TEXT_SEARCH')
    return String(actual).toLowerCase().includes(String(wanted).toLowerCase());
  if (operator === 'EQ') return String(actual) === String(wanted);
  const numeric =
    typeof wanted === 'number' ||
    (typeof actual === 'number' && !Number.isNaN(Number(wanted)));
  const a = numeric ? Number(actual) : String(actual);
  const w = numeric ? Number(wanted) : String(wanted);
  switch (operator) {
    case 'LT':
      return a < w;
    case 'LE':
      return a <= w;
    case 'GT':
      return a > w;
    case 'GE':
      return a >= w;
    default:
      throw validation(`Unsupported filter operator ${operator}.`);
  }
}

/**
 * The paging key for a sort: the sort attribute, then the creation sequence, which keeps
 * the order total (and paging exact) when attribute values tie. Without a sort, results
 * come in creation order.
 */
export function sortKey(entry: Searchable, sort?: dz.SearchSort): SortKey {
  if (!sort) return [entry.seq];
  const first = valuesOf(entry, sort.attribute!)[0];
  const value = typeof first === 'string' ? first.toLowerCase() : first ?? '';
  return [value, entry.seq];
}
