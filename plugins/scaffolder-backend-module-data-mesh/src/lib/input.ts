import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

function formatPath(path: ReadonlyArray<string | number>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else {
      text += text ? `.${segment}` : segment;
    }
  }
  return text;
}

/**
 * Parses an action's input with its zod schema. The scaffolder validates input
 * against the JSON Schema derived from zod, which keeps neither defaults nor
 * refinements (naming rules), so actions parse again here, before any AWS call.
 * Every problem names its field: `InputError: Invalid input to
 * data-mesh:s3:create-bucket: bucketName: must be 3 to 63 characters`.
 */
export function parseInput<T extends z.ZodTypeAny>(
  actionId: string,
  schema: T,
  input: unknown,
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map(
    issue => `${formatPath(issue.path) || 'input'}: ${issue.message}`,
  );
  throw new InputError(`Invalid input to ${actionId}: ${problems.join('; ')}`);
}

/** An `InputError` about one field, in the same shape as {@link parseInput}'s. */
export function inputError(
  actionId: string,
  field: string,
  message: string,
): InputError {
  return new InputError(`Invalid input to ${actionId}: ${field}: ${message}`);
}

/** Adds `problems` for `value` to a zod refinement context. */
export function addProblems(
  ctx: z.RefinementCtx,
  problems: string[],
  path: (string | number)[] = [],
) {
  for (const message of problems) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message, path });
  }
}
