// The producer side of lineage, as the README shows it: a pipeline posts one
// OpenLineage RunEvent per run to DataZone. Kept here so the README's snippet
// is the code the tests run against the local DataZone.

import {
  DataZoneClient,
  PostLineageEventCommand,
} from '@aws-sdk/client-datazone';

/** An OpenLineage dataset as producers name Glue tables. */
export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets?: Record<string, unknown>;
}

/** The OpenLineage RunEvent fields DataZone reads (spec 2-0-2, OpenLineage ≥ 1.22). */
export interface OpenLineageRunEvent {
  eventType: 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';
  eventTime: string;
  run: { runId: string; facets?: Record<string, unknown> };
  job: { namespace: string; name: string; facets?: Record<string, unknown> };
  inputs?: OpenLineageDataset[];
  outputs?: OpenLineageDataset[];
  producer: string;
  schemaURL: string;
}

/**
 * The OpenLineage dataset of a Glue table, named the way DataZone links it to
 * the table's asset (its sourceIdentifier becomes the table ARN).
 */
export function glueTableDataset(
  table: { region: string; accountId: string; database: string; table: string },
  facets?: Record<string, unknown>,
): OpenLineageDataset {
  return {
    namespace: `arn:aws:glue:${table.region}:${table.accountId}`,
    name: `table/${table.database}/${table.table}`,
    ...(facets ? { facets } : {}),
  };
}

/**
 * Posts one run event. The SDK sends `event` as the raw request body and fills
 * in the `Client-Token` header, so a retried call is not recorded twice.
 * Returns the DataZone lineage event id.
 */
export async function postOpenLineageRunEvent(
  client: DataZoneClient,
  domainId: string,
  event: OpenLineageRunEvent,
): Promise<string | undefined> {
  const output = await client.send(
    new PostLineageEventCommand({
      domainIdentifier: domainId,
      event: new TextEncoder().encode(JSON.stringify(event)),
    }),
  );
  return output.id;
}
