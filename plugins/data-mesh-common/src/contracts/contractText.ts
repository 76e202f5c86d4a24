import { CORE_SCHEMA, dump, load } from 'js-yaml';

// js-yaml rather than `yaml`: the catalog sync parses every product contract
// and writes every dataset contract (tens of thousands per sync), and js-yaml
// is 5–14× faster at both on ODCS documents.

/**
 * At most this many values once aliases are expanded. A 50-table product
 * contract has about 10,000; an alias bomb (`&a [x, x, …]`, `&b [*a, *a, …]`)
 * has billions, which validation or serialisation would then walk.
 */
const MAX_EXPANDED_VALUES = 1_000_000;

function withinExpansionBudget(value: unknown): boolean {
  let budget = MAX_EXPANDED_VALUES;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    budget -= 1;
    if (budget < 0) {
      return false;
    }
    if (next && typeof next === 'object') {
      pending.push(...(Array.isArray(next) ? next : Object.values(next)));
    }
  }
  return true;
}

/** A contract text read as data, or why it could not be. */
export type ContractTextResult =
  | { ok: true; document: unknown }
  | { ok: false; message: string };

/**
 * Reads YAML or JSON text as plain data with the YAML 1.2 core schema (dates
 * stay strings, as the ODCS JSON Schema expects). Never throws.
 *
 * @public
 */
export function loadContractDocument(text: string): ContractTextResult {
  let document: unknown;
  try {
    document = load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    // Syntax errors, several documents in one text, duplicate keys.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `not valid YAML or JSON: ${message}` };
  }
  if (!withinExpansionBudget(document)) {
    return {
      ok: false,
      message: `not valid YAML or JSON: its aliases expand to more than ${MAX_EXPANDED_VALUES.toLocaleString(
        'en-US',
      )} values`,
    };
  }
  return { ok: true, document };
}

/**
 * Writes a contract (plain JSON data) as YAML: block style, no line folding,
 * no anchors; strings that would read back as another type are quoted.
 *
 * @public
 */
export function stringifyDataContract(contract: unknown): string {
  return dump(contract, { noRefs: true, lineWidth: -1 });
}
