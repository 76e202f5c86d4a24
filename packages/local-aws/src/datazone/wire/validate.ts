import constraints from '../model/constraints.json';
import { validation } from '../errors';

interface ShapeConstraints {
  type: string;
  pattern?: string;
  min?: number;
  max?: number;
  enum?: string[];
  members?: Record<string, string>;
  required?: string[];
  member?: string;
  key?: string;
  value?: string;
}

const shapes = constraints.shapes as Record<string, ShapeConstraints>;
const operations = constraints.operations as Record<string, string>;
const compiled = new Map<string, RegExp>();

/** Smithy patterns are ECMA-262 and DataZone documents them anchored (`^dzd[-_]…$`). */
function regex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, re);
  }
  return re;
}

const show = (value: unknown) =>
  typeof value === 'string' ? `'${value}'` : JSON.stringify(value);

/**
 * Checks a bound input against the operation's Smithy constraints (required, pattern,
 * length, range, enum) and throws one ValidationException listing every violation, worded
 * like AWS's ("1 validation error detected: Value … at '…' failed to satisfy constraint: …").
 */
export function validateInput(
  operation: string,
  input: Record<string, unknown>,
): void {
  const shapeName = operations[operation];
  if (!shapeName) return;
  const errors: string[] = [];
  check(shapeName, input, '', errors);
  if (errors.length > 0) {
    const count =
      errors.length === 1
        ? '1 validation error'
        : `${errors.length} validation errors`;
    throw validation(`${count} detected: ${errors.join('; ')}`);
  }
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function check(
  shapeName: string,
  value: unknown,
  path: string,
  errors: string[],
): void {
  const shape = shapes[shapeName];
  if (!shape) return;
  const at = (constraint: string) =>
    `Value ${show(
      value,
    )} at '${path}' failed to satisfy constraint: ${constraint}`;
  switch (shape.type) {
    case 'structure': {
      const obj = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (obj[name] === undefined || obj[name] === null) {
          errors.push(
            `Value null at '${join(
              path,
              name,
            )}' failed to satisfy constraint: Member must not be null`,
          );
        }
      }
      for (const [name, memberShape] of Object.entries(shape.members ?? {})) {
        if (obj[name] !== undefined && obj[name] !== null)
          check(memberShape, obj[name], join(path, name), errors);
      }
      return;
    }
    case 'list': {
      const list = value as unknown[];
      if (shape.min !== undefined && list.length < shape.min)
        errors.push(
          at(`Member must have length greater than or equal to ${shape.min}`),
        );
      if (shape.max !== undefined && list.length > shape.max)
        errors.push(
          at(`Member must have length less than or equal to ${shape.max}`),
        );
      list.forEach((item, i) =>
        check(shape.member!, item, `${path}.${i + 1}.member`, errors),
      );
      return;
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min)
        errors.push(
          at(`Member must have length greater than or equal to ${shape.min}`),
        );
      if (shape.max !== undefined && entries.length > shape.max)
        errors.push(
          at(`Member must have length less than or equal to ${shape.max}`),
        );
      for (const [k, v] of entries) {
        check(shape.key!, k, `${path}.key`, errors);
        check(shape.value!, v, `${path}.${k}`, errors);
      }
      return;
    }
    case 'string': {
      const text = value as string;
      const length = [...text].length;
      if (shape.min !== undefined && length < shape.min)
        errors.push(
          at(`Member must have length greater than or equal to ${shape.min}`),
        );
      if (shape.max !== undefined && length > shape.max)
        errors.push(
          at(`Member must have length less than or equal to ${shape.max}`),
        );
      if (shape.enum && !shape.enum.includes(text))
        errors.push(
          at(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`),
        );
      if (shape.pattern && !regex(shape.pattern).test(text))
        errors.push(
          at(
            `Member must satisfy regular expression pattern: ^${shape.pattern}$`,
          ),
        );
      return;
    }
    case 'integer':
    case 'long': {
      const n = value as number;
      if (!Number.isInteger(n)) errors.push(at('Member must be an integer'));
      if (shape.min !== undefined && n < shape.min)
        errors.push(
          at(`Member must have value greater than or equal to ${shape.min}`),
        );
      if (shape.max !== undefined && n > shape.max)
        errors.push(
          at(`Member must have value less than or equal to ${shape.max}`),
        );
      return;
    }
    default:
      return;
  }
}
