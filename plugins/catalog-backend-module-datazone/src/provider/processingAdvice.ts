/**
 * From this many entities of one provider, the catalog's default
 * `processingInterval` (100–150 s) is shorter than a reprocessing round (the
 * catalog ingests some 80–150 entities/s): it never catches up, and anything
 * new, a product synced "now" included, waits behind the round.
 */
export const LARGE_MESH_ENTITIES = 20_000;

/**
 * The warning for a mesh too large for the catalog's default processing
 * interval, or undefined when the interval is configured or the mesh is small.
 */
export function processingIntervalAdvice(
  entities: number,
  processingIntervalConfigured: boolean,
): string | undefined {
  if (processingIntervalConfigured || entities < LARGE_MESH_ENTITIES) {
    return undefined;
  }
  return (
    `${entities} entities from DataZone with the catalog's default processingInterval (100–150 s): ` +
    'the catalog cannot reprocess that many within the interval, so new entities, "sync product now" included, ' +
    'wait behind each reprocessing round. Set catalog.processingInterval to { minutes: 30 } ' +
    '(see the Scale section of the DataZone provider README).'
  );
}
