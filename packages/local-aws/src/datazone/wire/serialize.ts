import { NormalizedSchema } from '@smithy/core/schema';
import type { Schema } from '@smithy/types';

/**
 * Writes a handler's output as restJson1 wire JSON, walking the SDK's own output schema so
 * every timestamp member gets the format the SDK will parse (epoch seconds for most
 * DataZone shapes, RFC 3339 strings for Project*, Environment*, DataSource* members).
 * Members the schema does not know are an error here, not silently sent: they would be
 * dropped by the SDK and hide a typo in a handler.
 */
export function toWire(schema: Schema, value: unknown, path = '$'): unknown {
  const ns = NormalizedSchema.of(schema);
  if (value === undefined || value === null) return undefined;
  if (ns.isStructSchema()) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(
        `${path}: expected structure ${ns.getName()}, got ${typeof value}`,
      );
    }
    const members = ns.getMemberSchemas();
    const out: Record<string, unknown> = {};
    for (const [key, memberValue] of Object.entries(
      value as Record<string, unknown>,
    )) {
      const member = members[key];
      if (!member)
        throw new Error(`${path}.${key}: not a member of ${ns.getName()}`);
      const traits = member.getMergedTraits();
      if (traits.httpHeader || traits.httpResponseCode || traits.httpPayload)
        continue;
      const wire = toWire(member, memberValue, `${path}.${key}`);
      if (wire !== undefined)
        out[(traits.jsonName as string | undefined) ?? key] = wire;
    }
    if (ns.isUnionSchema() && Object.keys(out).length !== 1) {
      throw new Error(
        `${path}: union ${ns.getName()} must have exactly one member set`,
      );
    }
    return out;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) throw new Error(`${path}: expected list`);
    const itemSchema = ns.getValueSchema();
    return value.map((item, i) => toWire(itemSchema, item, `${path}[${i}]`));
  }
  if (ns.isMapSchema()) {
    if (typeof value !== 'object') throw new Error(`${path}: expected map`);
    const valueSchema = ns.getValueSchema();
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        toWire(valueSchema, v, `${path}.${k}`),
      ]),
    );
  }
  if (ns.isTimestampSchema()) {
    const date = value instanceof Date ? value : new Date(value as number);
    if (Number.isNaN(date.getTime()))
      throw new Error(`${path}: invalid timestamp`);
    switch (ns.getSchema()) {
      case 5: // date-time
        return date.toISOString();
      case 6: // http-date
        return date.toUTCString();
      default: // restJson1's default and epoch-seconds: a JSON number, fractions allowed
        return date.getTime() / 1000;
    }
  }
  if (ns.isStringSchema()) {
    if (typeof value !== 'string')
      throw new Error(`${path}: expected string, got ${typeof value}`);
    return value;
  }
  if (ns.isBooleanSchema()) {
    if (typeof value !== 'boolean')
      throw new Error(`${path}: expected boolean`);
    return value;
  }
  if (
    ns.isNumericSchema() ||
    ns.isBigIntegerSchema() ||
    ns.isBigDecimalSchema()
  ) {
    if (typeof value !== 'number') throw new Error(`${path}: expected number`);
    return value;
  }
  if (ns.isBlobSchema()) {
    return Buffer.from(value as Uint8Array).toString('base64');
  }
  return value; // document
}
