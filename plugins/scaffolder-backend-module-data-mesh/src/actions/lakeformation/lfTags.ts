import { z } from 'zod/v3';
import { addProblems } from '../../lib/input';
import {
  MAX_LF_TAG_VALUES_PER_CALL,
  lfTagKeyProblems,
  lfTagValueProblems,
} from '../../lib/rules';

export const lfTagKey = () =>
  z
    .string()
    .describe('LF-tag key, e.g. classification (lowercase)')
    .superRefine((key, ctx) => addProblems(ctx, lfTagKeyProblems(key)));

export const lfTagValue = () =>
  z
    .string()
    .describe('LF-tag value, e.g. internal (lowercase)')
    .superRefine((value, ctx) => addProblems(ctx, lfTagValueProblems(value)));

export const lfTagValues = () =>
  z
    .array(lfTagValue())
    .min(1, 'needs at least one value')
    .max(
      MAX_LF_TAG_VALUES_PER_CALL,
      `at most ${MAX_LF_TAG_VALUES_PER_CALL} values per call (Lake Formation limit)`,
    )
    .superRefine((values, ctx) => {
      if (new Set(values).size !== values.length) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: 'values must be unique',
        });
      }
    });
