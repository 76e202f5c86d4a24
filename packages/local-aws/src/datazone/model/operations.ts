import * as sdk from '@aws-sdk/client-datazone';
import type { StaticOperationSchema } from '@smithy/types';
import implemented from './implemented-operations.json';

/** One DataZone operation as the SDK models it: method, URI template, success status. */
export interface OperationModel {
  name: string;
  method: string;
  uri: string;
  successCode: number;
  schema: StaticOperationSchema;
  /** Matches a request path; capture groups are the URI labels, in `labels` order. */
  pattern: RegExp;
  labels: string[];
  /** Literal characters in the template: more specific routes win ties. */
  specificity: number;
}

export type OperationName = (typeof implemented)[number];
export const IMPLEMENTED_OPERATIONS: readonly string[] = implemented;

const sdkExports = sdk as unknown as Record<string, unknown>;

function compile(name: string, schema: StaticOperationSchema): OperationModel {
  const http = (schema[3] as { http?: [string, string, number] }).http;
  if (!http) throw new Error(`DataZone operation ${name} has no http trait`);
  const [method, uri, successCode] = http;
  const path = uri.split('?')[0];
  const labels: string[] = [];
  const source = path
    .split(/(\{[^}]+\})/)
    .map(part => {
      const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
      if (!label) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      labels.push(label[1]);
      return label[2] ? '(.+)' : '([^/]+)';
    })
    .join('');
  return {
    name,
    method,
    uri,
    successCode,
    schema,
    pattern: new RegExp(`^${source}/?$`),
    labels,
    specificity: path.replace(/\{[^}]+\}/g, '').length,
  };
}

/** Every operation the SDK knows, so an unimplemented one can be told from an unknown path. */
export function allOperationModels(): OperationModel[] {
  const models: OperationModel[] = [];
  for (const [key, value] of Object.entries(sdkExports)) {
    if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    models.push(
      compile(key.slice(0, -1), value as unknown as StaticOperationSchema),
    );
  }
  return models.sort((a, b) => b.specificity - a.specificity);
}

export function operationModel(name: string): OperationModel {
  const schema = sdkExports[`${name}$`];
  if (!Array.isArray(schema))
    throw new Error(`Unknown DataZone operation ${name}`);
  return compile(name, schema as unknown as StaticOperationSchema);
}

/** The SDK's input/output structure schemas of an operation (`GetAssetInput$`, …). */
export function ioSchemas(name: string) {
  return {
    input: sdkExports[`${name}Input$`],
    output: sdkExports[`${name}Output$`],
  };
}
