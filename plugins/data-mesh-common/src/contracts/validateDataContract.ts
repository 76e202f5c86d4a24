import Ajv2019, { ErrorObject, ValidateFunction } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { parseDocument } from 'yaml';
import odcsJsonSchema from './schema/odcs-json-schema-v3.1.0.json';
import {
  DataContractValidationError,
  DataContractValidationResult,
  OdcsDataContract,
} from './types';

/**
 * The ODCS version whose JSON Schema this package validates against.
 *
 * @public
 */
export const ODCS_SCHEMA_VERSION = 'v3.1.0';

const MAX_REPORTED_ERRORS = 50;

let compiledValidator: ValidateFunction | undefined;

// Compiled on first use: the schema is large and many importers (e.g. the
// frontend bundle) never validate anything.
function odcsValidator(): ValidateFunction {
  if (!compiledValidator) {
    // The schema declares draft 2019-09 (`unevaluatedProperties`, `$defs`).
    const ajv = new Ajv2019({ allErrors: true, strict: true });
    addFormats(ajv);
    compiledValidator = ajv.compile(odcsJsonSchema);
  }
  return compiledValidator;
}

function jsonPointerToPath(pointer: string): string {
  if (pointer === '') {
    return '';
  }
  return pointer
    .slice(1)
    .split('/')
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => {
      if (/^\d+$/.test(segment)) {
        return `${path}[${segment}]`;
      }
      if (/^[A-Za-z_$][\w$-]*$/.test(segment)) {
        return path ? `${path}.${segment}` : segment;
      }
      return `${path}[${JSON.stringify(segment)}]`;
    }, '');
}

function childPath(parent: string, key: string): string {
  return jsonPointerToPath(`${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

function describeAjvError(error: ErrorObject): DataContractValidationError {
  const at = jsonPointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        path: childPath(error.instancePath, String(params.missingProperty)),
        message: 'is required',
      };
    case 'additionalProperties':
      return {
        path: childPath(error.instancePath, String(params.additionalProperty)),
        message: `is not a field ODCS ${ODCS_SCHEMA_VERSION} allows here`,
      };
    case 'unevaluatedProperties':
      return {
        path: childPath(error.instancePath, String(params.unevaluatedProperty)),
        message: `is not a field ODCS ${ODCS_SCHEMA_VERSION} allows here`,
      };
    case 'enum':
      return {
        path: at,
        message: `must be one of: ${(params.allowedValues as unknown[])
          .map(value => JSON.stringify(value))
          .join(', ')}`,
      };
    case 'const':
      return {
        path: at,
        message: `must be ${JSON.stringify(params.allowedValue)}`,
      };
    case 'oneOf':
    case 'anyOf':
      return { path: at, message: 'does not match any of the allowed forms' };
    default:
      return { path: at, message: error.message ?? `fails ${error.keyword}` };
  }
}

function isWithin(path: string, ancestor: string): boolean {
  return (
    ancestor === '' ||
    path === ancestor ||
    path.startsWith(`${ancestor}.`) ||
    path.startsWith(`${ancestor}[`)
  );
}

function readableErrors(
  ajvErrors: ErrorObject[],
): DataContractValidationError[] {
  // `if` failures only say which `then` failed; the `then` failure itself is
  // reported separately, so they add nothing.
  const relevant = ajvErrors.filter(error => error.keyword !== 'if');
  const described = relevant.map(error => ({
    error,
    described: describeAjvError(error),
  }));

  const result: DataContractValidationError[] = [];
  const seen = new Set<string>();
  for (const { error, described: entry } of described) {
    const isAlternatives =
      error.keyword === 'oneOf' || error.keyword === 'anyOf';
    // "matches none of the alternatives" is only useful when no alternative
    // said anything more precise about the same place.
    if (
      isAlternatives &&
      described.some(
        other =>
          other.error !== error &&
          other.error.keyword !== 'oneOf' &&
          other.error.keyword !== 'anyOf' &&
          isWithin(other.described.path, entry.path),
      )
    ) {
      continue;
    }
    const key = `${entry.path}\u0000${entry.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      result.push({ path: entry.path || '(root)', message: entry.message });
    }
  }

  if (result.length > MAX_REPORTED_ERRORS) {
    const more = result.length - MAX_REPORTED_ERRORS;
    return [
      ...result.slice(0, MAX_REPORTED_ERRORS),
      { path: '(root)', message: `and ${more} more problems` },
    ];
  }
  return result;
}

/**
 * Validates a parsed document against the ODCS v3.1.0 JSON Schema.
 *
 * Never throws: anything that is not a valid contract (including `undefined`,
 * arrays and strings) gives `{ valid: false, errors }` with a readable path and
 * message per problem.
 *
 * @public
 */
export function validateDataContract(
  document: unknown,
): DataContractValidationResult {
  if (document === undefined || document === null) {
    return {
      valid: false,
      errors: [{ path: '(root)', message: 'the data contract is empty' }],
    };
  }
  const validate = odcsValidator();
  if (validate(document)) {
    return { valid: true, contract: document as OdcsDataContract };
  }
  return { valid: false, errors: readableErrors(validate.errors ?? []) };
}

/**
 * Parses a data contract from YAML or JSON text and validates it against the
 * ODCS v3.1.0 JSON Schema.
 *
 * Never throws: syntax errors, empty text, several documents in one text and
 * schema violations all give `{ valid: false, errors }`.
 *
 * @public
 */
export function parseDataContract(
  yamlOrJson: string,
): DataContractValidationResult {
  if (typeof yamlOrJson !== 'string') {
    return {
      valid: false,
      errors: [{ path: '(root)', message: 'the data contract must be text' }],
    };
  }
  let parsed: unknown;
  try {
    // YAML 1.2 core schema: dates stay strings, as the JSON Schema expects.
    const document = parseDocument(yamlOrJson, { prettyErrors: true });
    if (document.errors.length > 0) {
      return {
        valid: false,
        errors: document.errors.map(error => ({
          path: '(root)',
          message: `not valid YAML or JSON: ${error.message}`,
        })),
      };
    }
    parsed = document.toJS();
  } catch (error) {
    // e.g. too many aliases (a "billion laughs" document)
    return {
      valid: false,
      errors: [
        {
          path: '(root)',
          message: `not valid YAML or JSON: ${
            error instanceof Error ? error.message : String(error)
          }`,
        },
      ],
    };
  }
  return validateDataContract(parsed);
}

/**
 * Formats validation errors as one line each (`path: message`), e.g. for logs
 * and entity annotations.
 *
 * @public
 */
export function formatDataContractErrors(
  errors: DataContractValidationError[],
): string {
  return errors.map(error => `${error.path}: ${error.message}`).join('\n');
}
