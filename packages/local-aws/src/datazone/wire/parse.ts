import { NormalizedSchema } from '@smithy/core/schema';
import type { Schema } from '@smithy/types';
import { DataZoneError } from '../errors';

/** A raw HTTP request, already read into memory (DataZone bodies are small). */
export interface RawRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const serialization = (message: string) =>
  new DataZoneError('SerializationException', message);

/**
 * Binds a restJson1 request to the operation's input structure the way a Smithy server
 * does: URI labels, query parameters, headers, payload and JSON body members. Values of
 * the wrong JSON type are a SerializationException (400), as in Smithy's malformed-request
 * protocol tests; constraint checks (patterns, ranges, required) come after, in validate.ts.
 */
export function bindInput(
  inputSchema: Schema,
  labels: Record<string, string>,
  request: RawRequest,
): Record<string, unknown> {
  const ns = NormalizedSchema.of(inputSchema);
  const input: Record<string, unknown> = {};
  if (ns.isUnitSchema()) return input;
  let body: Record<string, unknown> | undefined;
  const readBody = (): Record<string, unknown> => {
    if (body) return body;
    const text = request.body.toString('utf8').trim();
    if (text === '') return (body = {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw serialization('Unable to parse the request body as JSON');
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed)
    ) {
      throw serialization('The request body must be a JSON object');
    }
    return (body = parsed as Record<string, unknown>);
  };

  for (const [name, member] of ns.structIterator()) {
    const traits = member.getMergedTraits();
    if (traits.httpLabel) {
      if (labels[name] !== undefined) input[name] = labels[name];
    } else if (typeof traits.httpQuery === 'string') {
      const values = request.query.getAll(traits.httpQuery);
      if (values.length === 0) continue;
      input[name] = member.isListSchema()
        ? values.map(v => fromText(member.getValueSchema(), v, name))
        : fromText(member, values[values.length - 1], name);
    } else if (typeof traits.httpHeader === 'string') {
      const raw = request.headers[traits.httpHeader.toLowerCase()];
      const value = Array.isArray(raw) ? raw.join(',') : raw;
      if (value !== undefined) input[name] = fromText(member, value, name);
    } else if (traits.httpPayload) {
      if (member.isBlobSchema() || member.isStringSchema()) {
        if (request.body.length > 0) {
          input[name] = member.isBlobSchema()
            ? request.body
            : request.body.toString('utf8');
        }
      } else {
        input[name] = fromJson(member, readBody(), name);
      }
    } else {
      const value = readBody()[(traits.jsonName as string | undefined) ?? name];
      if (value !== undefined && value !== null)
        input[name] = fromJson(member, value, name);
    }
  }
  return input;
}

function fromText(
  schema: NormalizedSchema,
  text: string,
  path: string,
): unknown {
  if (schema.isNumericSchema()) {
    if (!/^-?\d+(\.\d+)?$/.test(text))
      throw serialization(`Value '${text}' at '${path}' is not a number`);
    return Number(text);
  }
  if (schema.isBooleanSchema()) {
    if (text !== 'true' && text !== 'false')
      throw serialization(`Value '${text}' at '${path}' is not a boolean`);
    return text === 'true';
  }
  if (schema.isTimestampSchema()) {
    const date = new Date(
      /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : text,
    );
    if (Number.isNaN(date.getTime()))
      throw serialization(`Value '${text}' at '${path}' is not a timestamp`);
    return date;
  }
  return text;
}

function fromJson(
  schema: NormalizedSchema,
  value: unknown,
  path: string,
): unknown {
  const wrong = (expected: string) =>
    serialization(
      `Value at '${path}' must be ${expected}, got ${
        Array.isArray(value) ? 'array' : typeof value
      }`,
    );
  if (schema.isStructSchema()) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw wrong('an object');
    const members = schema.getMemberSchemas();
    const out: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
      const member = members[key];
      // Smithy servers ignore members they do not know (clients may be newer).
      if (!member || raw === null || raw === undefined) continue;
      out[key] = fromJson(member, raw, `${path}.${key}`);
    }
    if (schema.isUnionSchema() && Object.keys(out).length !== 1) {
      throw serialization(
        `Value at '${path}' must set exactly one member of the union`,
      );
    }
    return out;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) throw wrong('an array');
    const item = schema.getValueSchema();
    return value.map((v, i) => fromJson(item, v, `${path}.${i + 1}`));
  }
  if (schema.isMapSchema()) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw wrong('an object');
    const item = schema.getValueSchema();
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        fromJson(item, v, `${path}.${k}`),
      ]),
    );
  }
  if (schema.isTimestampSchema()) {
    if (typeof value === 'number') return new Date(value * 1000);
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
      return new Date(value);
    throw wrong('a timestamp');
  }
  if (schema.isStringSchema()) {
    if (typeof value !== 'string') throw wrong('a string');
    return value;
  }
  if (schema.isBooleanSchema()) {
    if (typeof value !== 'boolean') throw wrong('a boolean');
    return value;
  }
  if (schema.isNumericSchema()) {
    if (typeof value !== 'number') throw wrong('a number');
    return value;
  }
  if (schema.isBlobSchema()) {
    if (typeof value !== 'string') throw wrong('a base64 string');
    return Buffer.from(value, 'base64');
  }
  return value;
}
