import type { DataZoneStore } from '../store';
import type { RequestContext } from '../context';

/**
 * One operation: takes the bound, validated input and returns the output shape (Dates
 * for timestamps; the wire layer formats them per member). Inputs are typed by the
 * SDK's own `*Input` interfaces at each handler.
 */
export type Handler = (
  input: any,
  ctx: RequestContext,
  store: DataZoneStore,
) => unknown | Promise<unknown>;

export type HandlerMap = Record<string, Handler>;

/** Narrows a handler to the SDK's input type while keeping the map loosely typed. */
export function op<I, O>(
  fn: (input: I, ctx: RequestContext, store: DataZoneStore) => O,
): Handler {
  return fn as Handler;
}
