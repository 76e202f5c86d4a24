import type * as dz from '@aws-sdk/client-datazone';
import { notFound } from '../errors';
import type { DataZoneStore } from '../store';
import type { TimeSeriesPointRecord } from '../state';
import type { RequestContext } from '../context';
import { paginate } from '../paging';
import { op } from './types';
import { date, latest, parseFormContent } from './util';

/** Summaries carry the content when it is short; longer content is cut (read it with Get). */
export const CONTENT_SUMMARY_LIMIT = 20_000;

/** The entity a data point hangs on: an asset, or a listing. */
function entityId(
  store: DataZoneStore,
  domainId: string,
  entityType: string,
  identifier: string,
): string {
  if (entityType === 'LISTING') return store.listing(domainId, identifier).id;
  return store.asset(domainId, identifier).id;
}

const pointOutput = (p: TimeSeriesPointRecord) => ({
  formName: p.formName,
  typeIdentifier: p.typeIdentifier,
  typeRevision: p.typeRevision,
  timestamp: date(p.timestamp),
  content: p.content,
  id: p.id,
});

/**
 * Adds data points (data-quality results and the like) to an asset or listing. The
 * timestamp is the one given, past ones included: that is how a history is backfilled.
 */
export const postTimeSeriesDataPoints = op(
  (
    input: dz.PostTimeSeriesDataPointsInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const entity = entityId(
      store,
      domainId,
      input.entityType!,
      input.entityIdentifier!,
    );
    // Check every form before storing any.
    const resolved = input.forms!.map(form => {
      const revisions =
        store.state.formTypes[`${domainId}/${form.typeIdentifier}`];
      if (!revisions)
        throw notFound(`Form type ${form.typeIdentifier} not found.`);
      const typeRevision = form.typeRevision ?? latest(revisions).revision;
      if (!revisions.some(r => r.revision === typeRevision))
        throw notFound(
          `Form type ${form.typeIdentifier} revision ${typeRevision} not found.`,
        );
      return {
        form,
        typeRevision,
        content: parseFormContent(form.formName!, form.content),
      };
    });
    const now = store.now();
    const created = resolved.map(({ form, typeRevision, content }) => {
      const seq = store.nextSeq();
      const point: TimeSeriesPointRecord = {
        seq,
        id: store.newId('time-series-point', seq),
        domainId,
        entityType: input.entityType as 'ASSET' | 'LISTING',
        entityId: entity,
        formName: form.formName!,
        typeIdentifier: form.typeIdentifier!,
        typeRevision,
        timestamp: form.timestamp!.getTime(),
        content,
        createdAt: now,
      };
      store.state.timeSeries[point.id] = point;
      return point;
    });
    store.changed();
    return {
      domainId,
      entityId: entity,
      entityType: input.entityType,
      forms: created.map(pointOutput),
    };
  },
);

export const listTimeSeriesDataPoints = op(
  (
    input: dz.ListTimeSeriesDataPointsInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const entity = entityId(
      store,
      domainId,
      input.entityType!,
      input.entityIdentifier!,
    );
    const from = input.startedAt?.getTime();
    const to = input.endedAt?.getTime();
    const items = Object.values(store.state.timeSeries).filter(
      p =>
        p.domainId === domainId &&
        p.entityType === input.entityType &&
        p.entityId === entity &&
        p.formName === input.formName &&
        (from === undefined || p.timestamp >= from) &&
        (to === undefined || p.timestamp <= to),
    );
    const { page, nextToken } = paginate({
      items,
      key: p => [p.timestamp, p.seq],
      maxResults: input.maxResults,
      limit: 50,
      nextToken: input.nextToken,
      query: [
        'ListTimeSeriesDataPoints',
        entity,
        input.formName,
        from ?? null,
        to ?? null,
      ],
    });
    return {
      items: page.map(p => ({
        formName: p.formName,
        typeIdentifier: p.typeIdentifier,
        typeRevision: p.typeRevision,
        timestamp: date(p.timestamp),
        contentSummary:
          p.content.length <= CONTENT_SUMMARY_LIMIT
            ? p.content
            : p.content.slice(0, CONTENT_SUMMARY_LIMIT),
        id: p.id,
      })),
      nextToken,
    };
  },
);

export const getTimeSeriesDataPoint = op(
  (
    input: dz.GetTimeSeriesDataPointInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const entity = entityId(
      store,
      domainId,
      input.entityType!,
      input.entityIdentifier!,
    );
    const point = store.state.timeSeries[input.identifier!];
    if (
      !point ||
      point.domainId !== domainId ||
      point.entityId !== entity ||
      point.formName !== input.formName
    )
      throw notFound(
        `Time series data point ${input.identifier} not found for ${input.entityType} ${input.entityIdentifier} and form ${input.formName}.`,
      );
    return {
      domainId,
      entityId: entity,
      entityType: point.entityType,
      formName: point.formName,
      form: pointOutput(point),
    };
  },
);
