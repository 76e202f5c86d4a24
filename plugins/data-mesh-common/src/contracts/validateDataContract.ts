import Ajv2019, { ErrorObject, ValidateFunction } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { loadContractDocument } from './contractText';
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
    // Ajv's default strictness: `strict: true` would also turn on
    // strictRequired, which the upstream schema does not satisfy.
    const ajv = new Ajv2019({ allErrors: true });
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
  return jsonPointerToPath(
    `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
  );
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
    default:
      return { path: at, message: error.message ?? `fails ${error.keyword}` };
  }
}

function isAlternatives(error: ErrorObject): boolean {
  return error.keyword === 'oneOf' || error.keyword === 'anyOf';
}

function isWithinPointer(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

// A oneOf/anyOf reports every failing branch. Reading them all is confusing
// ("mustBe is required", "mustNotBe is required", ...), so: when some branch
// got past the shape check and failed deeper, report only those deeper
// problems; when every branch failed at the shape check, report one summary.
function summarizeAlternatives(
  group: ErrorObject,
  members: ErrorObject[],
): DataContractValidationError[] {
  const failsAtTheTop = (error: ErrorObject) =>
    error.instancePath === group.instancePath &&
    (error.keyword === 'required' || error.keyword === 'type');

  const deeper = members.filter(error => !failsAtTheTop(error));
  if (deeper.length > 0) {
    return deeper.map(describeAjvError);
  }

  const types = unique(
    members
      .filter(error => error.keyword === 'type')
      .map(error => String((error.params as { type: unknown }).type)),
  );
  const missing = unique(
    members
      .filter(error => error.keyword === 'required')
      .map(error =>
        String((error.params as { missingProperty: unknown }).missingProperty),
      ),
  );
  const parts = [
    types.length > 0 ? `must be ${types.join(' or ')}` : undefined,
    missing.length > 0 ? `needs one of: ${missing.join(', ')}` : undefined,
  ].filter(Boolean);
  return [
    {
      path: jsonPointerToPath(group.instancePath),
      message: parts.join('; ') || 'does not match any of the allowed forms',
    },
  ];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function readableErrors(
  ajvErrors: ErrorObject[],
): DataContractValidationError[] {
  // Ajv lists a failed oneOf/anyOf's branch errors right before the oneOf
  // error itself (their schema paths may point into `$defs`, so position and
  // data path are what identify them). Inner groups come first and are
  // claimed first.
  const claimed = new Set<number>();
  const groups = new Map<number, ErrorObject[]>();
  ajvErrors.forEach((error, index) => {
    if (!isAlternatives(error)) {
      return;
    }
    const members: ErrorObject[] = [];
    for (let j = index - 1; j >= 0; j--) {
      if (
        claimed.has(j) ||
        !isWithinPointer(ajvErrors[j].instancePath, error.instancePath)
      ) {
        break;
      }
      claimed.add(j);
      if (!isAlternatives(ajvErrors[j])) {
        members.unshift(ajvErrors[j]);
      }
    }
    groups.set(index, members);
  });

  const described = ajvErrors
    .flatMap((error, index) => {
      if (claimed.has(index)) {
        return [];
      }
      if (groups.has(index)) {
        return summarizeAlternatives(
          error,
          // `if` failures only say which `then` failed; the `then` failure
          // itself is reported separately, so they add nothing.
          groups.get(index)!.filter(member => member.keyword !== 'if'),
        );
      }
      return error.keyword === 'if' ? [] : [describeAjvError(error)];
    })
    .map(entry => ({ ...entry, path: entry.path || '(root)' }));

  // `unevaluatedProperties` also fires for fields that a failed subschema
  // would have accepted (a quality rule missing its operator makes `query`
  // "unevaluated"). When the object already has a more precise error, the
  // "not allowed" one is misleading.
  const unevaluatedParents = new Map<string, string>();
  ajvErrors.forEach(error => {
    if (error.keyword === 'unevaluatedProperties') {
      const parent = jsonPointerToPath(error.instancePath) || '(root)';
      const property = String(
        (error.params as { unevaluatedProperty: unknown }).unevaluatedProperty,
      );
      unevaluatedParents.set(
        childPath(error.instancePath, property) || '(root)',
        parent,
      );
    }
  });
  const notAllowed = `is not a field ODCS ${ODCS_SCHEMA_VERSION} allows here`;
  const hasPreciseErrorWithin = (parent: string) =>
    described.some(
      other =>
        other.message !== notAllowed &&
        (parent === '(root)' ||
          other.path === parent ||
          other.path.startsWith(`${parent}.`) ||
          other.path.startsWith(`${parent}[`)),
    );
  const relevant = described.filter(entry => {
    const parent = unevaluatedParents.get(entry.path);
    return !(
      entry.message === notAllowed &&
      parent !== undefined &&
      hasPreciseErrorWithin(parent)
    );
  });

  const result: DataContractValidationError[] = [];
  const seen = new Set<string>();
  for (const entry of relevant) {
    const key = `${entry.path}\u0000${entry.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      result.push(entry);
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
  let validate: ValidateFunction;
  try {
    validate = odcsValidator();
  } catch (error) {
    // Only possible if the bundled schema were replaced by a broken one.
    return {
      valid: false,
      errors: [
        {
          path: '(root)',
          message: `the ODCS schema could not be loaded: ${
            error instanceof Error ? error.message : String(error)
          }`,
        },
      ],
    };
  }
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
  const loaded = loadContractDocument(yamlOrJson);
  if (!loaded.ok) {
    return {
      valid: false,
      errors: [{ path: '(root)', message: loaded.message }],
    };
  }
  return validateDataContract(loaded.document);
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
