import { Readable } from 'node:stream';
import * as sdk from '@aws-sdk/client-datazone';
import { DataZoneClient } from '@aws-sdk/client-datazone';
import type { Schema } from '@smithy/types';
import { checkWireShape } from './schemaCheck';

export interface CheckedResponse {
  operation: string;
  status: number;
  body: unknown;
  problems: string[];
}

const schemas = sdk as unknown as Record<string, Schema>;

/**
 * A real DataZoneClient whose raw responses are captured before the SDK parses them and
 * checked against the SDK's exported output schema of the operation. Tests assert that
 * `problems()` is empty, and can look at `responses` for wire details (timestamp formats).
 */
export function checkedDataZoneClient(
  config: ConstructorParameters<typeof DataZoneClient>[0],
) {
  const client = new DataZoneClient({ maxAttempts: 1, ...config });
  const responses: CheckedResponse[] = [];
  client.middlewareStack.add(
    (next, context) => async args => {
      const result = await next(args);
      const response = result.response as {
        statusCode: number;
        body: Readable | undefined;
      };
      const operation = String(context.commandName).replace(/Command$/, '');
      const chunks: Buffer[] = [];
      if (response.body)
        for await (const c of response.body) chunks.push(Buffer.from(c));
      const text = Buffer.concat(chunks).toString('utf8');
      response.body = Readable.from([Buffer.from(text)]);
      let body: unknown;
      let problems: string[] = [];
      if (response.statusCode < 300) {
        try {
          body = text ? JSON.parse(text) : {};
          problems = checkWireShape(schemas[`${operation}Output$`], body);
        } catch (error) {
          problems = [`response is not JSON: ${(error as Error).message}`];
        }
      }
      responses.push({
        operation,
        status: response.statusCode,
        body,
        problems,
      });
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'localAwsWireCheck' },
  );
  return {
    client,
    responses,
    problems: () =>
      responses.flatMap(r => r.problems.map(p => `${r.operation} ${p}`)),
    last: (operation: string) =>
      [...responses].reverse().find(r => r.operation === operation),
  };
}

/**
 * Fails (throws) when any response a checked client saw broke its output schema. For
 * `afterEach`: a throwing hook fails the test it ran after, naming every problem.
 */
export function assertNoWireProblems(checked: { problems(): string[] }) {
  const problems = checked.problems();
  if (problems.length > 0)
    throw new Error(
      `responses that do not match the SDK output schema:\n${problems.join(
        '\n',
      )}`,
    );
}
