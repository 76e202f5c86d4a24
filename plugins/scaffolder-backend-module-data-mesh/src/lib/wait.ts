import { z } from 'zod/v3';

/** The inputs of an action that can wait for AWS to finish a run it started. */
export const waitFields = (what: string, timeoutSeconds: number) => ({
  waitTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(7200)
    .default(timeoutSeconds)
    .describe(
      `How long to wait for the ${what} to finish before failing the step`,
    ),
  pollIntervalSeconds: z
    .number()
    .int()
    .min(1)
    .max(300)
    .default(15)
    .describe(`How often to ask AWS whether the ${what} has finished`),
});

/** What one look at a run says: finished (with its result), or not yet (and its state). */
export type PollResult<T> =
  | { done: true; value: T }
  | { done: false; state: string };

/**
 * Asks `poll` at once and then every `intervalMs` until it says done, for at
 * most `timeoutMs`. On timeout the error names `what`, how long it waited and
 * the last state seen, and says that the run goes on in AWS.
 */
export async function waitUntilDone<T>(options: {
  what: string;
  timeoutMs: number;
  intervalMs: number;
  poll: () => Promise<PollResult<T>>;
  onWait?: (state: string, waitedMs: number) => void;
}): Promise<{ value: T; waitedMs: number; polls: number }> {
  const started = Date.now();
  let polls = 0;
  for (;;) {
    const result = await options.poll();
    polls += 1;
    const waitedMs = Date.now() - started;
    if (result.done) return { value: result.value, waitedMs, polls };
    if (waitedMs + options.intervalMs > options.timeoutMs) {
      throw new Error(
        `Timed out after ${Math.round(waitedMs / 1000)} s waiting for ${
          options.what
        } to finish (last state ${result.state}; the limit is ${Math.round(
          options.timeoutMs / 1000,
        )} s). It goes on in AWS: retry the task to wait again, or raise waitTimeoutSeconds`,
      );
    }
    options.onWait?.(result.state, waitedMs);
    await new Promise(resolve => setTimeout(resolve, options.intervalMs));
  }
}
