import { NormalizedSchema } from '@smithy/core/schema';
import type { Schema } from '@smithy/types';

/**
 * Checks restJson1 wire JSON against an SDK output schema (`GetAssetOutput$`, …) the way
 * a strict client would: required members present, every member of the right JSON type,
 * timestamps in the member's format (epoch-seconds numbers or RFC 3339 strings), unions
 * with exactly one member, no members the schema does not know. Returns the problems
 * found; empty means the SDK will parse it to a complete output. (The SDK itself checks
 * none of this, so a skeletal response would otherwise pass unnoticed.)
 */
export function checkWireShape(
  schema: Schema,
  value: unknown,
  path = '$',
): string[] {
  const ns = NormalizedSchema.of(schema);
  const problems: string[] = [];
  const fail = (message: string) => problems.push(`${path}: ${message}`);
  if (value === null || value === undefined) return problems;

  if (ns.isStructSchema()) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      fail(`expected object (${ns.getName()})`);
      return problems;
    }
    const obj = value as Record<string, unknown>;
    const struct = ns.getSchema() as unknown as unknown[];
    const requiredCount =
      typeof struct[6] === 'number' ? (struct[6] as number) : 0;
    const members = [...ns.structIterator()];
    const known = new Set<string>();
    members.forEach(([name, member], index) => {
      const traits = member.getMergedTraits();
      if (
        traits.httpHeader ||
        traits.httpResponseCode ||
        traits.httpPayload ||
        traits.httpQuery ||
        traits.httpLabel
      )
        return;
      const wireName = (traits.jsonName as string | undefined) ?? name;
      known.add(wireName);
      if (
        index < requiredCount &&
        (obj[wireName] === undefined || obj[wireName] === null)
      ) {
        fail(`required member ${wireName} missing`);
      }
      problems.push(
        ...checkWireShape(member, obj[wireName], `${path}.${wireName}`),
      );
    });
    for (const key of Object.keys(obj))
      if (!known.has(key)) fail(`unknown member ${key}`);
    if (
      ns.isUnionSchema() &&
      Object.keys(obj).filter(k => obj[k] !== null).length !== 1
    ) {
      fail('union must have exactly one member set');
    }
    return problems;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) return [`${path}: expected array`];
    value.forEach((item, i) =>
      problems.push(
        ...checkWireShape(ns.getValueSchema(), item, `${path}[${i}]`),
      ),
    );
    return problems;
  }
  if (ns.isMapSchema()) {
    if (typeof value !== 'object' || Array.isArray(value))
      return [`${path}: expected map object`];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      problems.push(...checkWireShape(ns.getValueSchema(), v, `${path}.${k}`));
    }
    return problems;
  }
  if (ns.isTimestampSchema()) {
    const format = ns.getSchema();
    if (format === 5) {
      if (
        typeof value !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(
          value,
        )
      ) {
        fail(
          `expected an RFC 3339 date-time string, got ${JSON.stringify(value)}`,
        );
      }
    } else if (format === 6) {
      if (typeof value !== 'string') fail('expected an HTTP date string');
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(
        `expected epoch seconds (a JSON number), got ${JSON.stringify(value)}`,
      );
    }
    return problems;
  }
  if (ns.isStringSchema() && typeof value !== 'string')
    fail(`expected string, got ${typeof value}`);
  if (ns.isBooleanSchema() && typeof value !== 'boolean')
    fail(`expected boolean, got ${typeof value}`);
  if (ns.isNumericSchema() && typeof value !== 'number')
    fail(`expected number, got ${typeof value}`);
  if (ns.isBlobSchema() && typeof value !== 'string')
    fail('expected base64 string');
  return problems;
}
