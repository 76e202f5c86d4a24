import { ServiceUnavailableError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';

// Connection-level failures: the database is down, restarting or unreachable,
// not a bad query. PostgreSQL's admin_shutdown, crash_shutdown and
// cannot_connect_now, and the 08 class (connection exceptions).
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * Whether `error` says a database cannot be reached (as opposed to a query
 * failing): ours, or the one behind a Backstage service we called (the auth
 * plugin's user info, whose error arrives as the `cause` of a response error).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | undefined;
  if (!e || typeof e !== 'object' || depth > 3) return false;
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) {
    return true;
  }
  if (
    e.name === 'KnexTimeoutError' ||
    (typeof e.message === 'string' &&
      /Connection terminated|Connection ended unexpectedly|Timeout acquiring a connection|connect ECONNREFUSED|the database system is (starting up|shutting down)/.test(
        e.message,
      ))
  ) {
    return true;
  }
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/**
 * Turns a lost database connection (ours or a called service's) into a 503 that
 * says so, instead of a 500 carrying the driver's message and the database's
 * address. Add it last.
 */
export function databaseUnavailableHandler(): ErrorRequestHandler {
  return (error, _req, _res, next) => {
    next(
      isDatabaseUnavailable(error)
        ? new ServiceUnavailableError('The portal database is unavailable; try again shortly')
        : error,
    );
  };
}
