import type * as dz from '@aws-sdk/client-datazone';
import type { DataZoneStore } from '../store';
import type { RequestContext } from '../context';
import { paginateSorted, sortByKey } from '../paging';
import { prepared } from '../searchCache';
import { op } from './types';
import { date, formsOutput, latest } from './util';
import {
  matchesFilter,
  matchesText,
  sortKey,
  type Searchable,
} from './filters';

type Entry = Searchable & { item: () => unknown };

const textValues = (...values: (string | undefined)[]) =>
  values.filter((v): v is string => v !== undefined);

/**
 * Runs a search over prepared entries: text, filters, stable sort, key-based paging. The
 * sorted matches of a query are kept until the store changes (`searchCache.ts`), so
 * every page after the first is a binary search plus one page of output.
 */
function runSearch(
  store: DataZoneStore,
  entries: () => Entry[],
  input: {
    searchText?: string;
    searchIn?: dz.SearchInItem[];
    filters?: dz.FilterClause;
    sort?: dz.SearchSort;
    maxResults?: number;
    nextToken?: string;
  },
  query: unknown,
) {
  const descending = input.sort?.order === 'DESCENDING';
  const { sorted } = prepared(store, JSON.stringify(query), () => ({
    sorted: sortByKey(
      entries().filter(
        e =>
          matchesText(e, input.searchText, input.searchIn) &&
          matchesFilter(e, input.filters),
      ),
      e => sortKey(e, input.sort),
      descending,
    ),
  }));
  const { page, nextToken } = paginateSorted({
    sorted,
    descending,
    maxResults: input.maxResults,
    limit: 50,
    nextToken: input.nextToken,
    query,
  });
  return {
    items: page.map(e => e.item()),
    nextToken,
    totalMatchCount: sorted.length,
  };
}

/**
 * Search: the inventory (unpublished and published) of assets or data products, latest
 * revisions. Glossaries are not modelled yet, so those scopes find nothing.
 */
export const search = op(
  (input: dz.SearchInput, _ctx: RequestContext, store: DataZoneStore) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const withForms = input.additionalAttributes?.includes('FORMS');
    const withTimeSeries = input.additionalAttributes?.includes(
      'TIME_SERIES_DATA_POINT_FORMS',
    );
    const owner = input.owningProjectIdentifier;
    const entries = (): Entry[] => {
      if (input.searchScope === 'ASSET') {
        return Object.values(store.state.assets)
          .filter(
            a =>
              a.domainId === domainId &&
              (!owner || a.owningProjectId === owner),
          )
          .map(a => {
            const rev = latest(a.revisions);
            return {
              seq: a.seq,
              createdAt: a.firstRevisionCreatedAt,
              updatedAt: a.updatedAt,
              forms: rev.forms,
              attributes: {
                name: [rev.name],
                description: textValues(rev.description),
                owningProjectId: [a.owningProjectId],
                typeIdentifier: [rev.typeIdentifier],
                externalIdentifier: textValues(a.externalIdentifier),
                glossaryTerms: rev.glossaryTerms ?? [],
              },
              item: () => ({
                assetItem: {
                  domainId,
                  identifier: a.id,
                  name: rev.name,
                  typeIdentifier: rev.typeIdentifier,
                  typeRevision: rev.typeRevision,
                  owningProjectId: a.owningProjectId,
                  externalIdentifier: a.externalIdentifier,
                  description: rev.description,
                  createdAt: date(rev.createdAt),
                  createdBy: rev.createdBy,
                  firstRevisionCreatedAt: date(a.firstRevisionCreatedAt),
                  firstRevisionCreatedBy: a.firstRevisionCreatedBy,
                  glossaryTerms: rev.glossaryTerms,
                  additionalAttributes:
                    withForms || withTimeSeries
                      ? {
                          formsOutput: withForms
                            ? formsOutput(rev.forms)
                            : undefined,
                          readOnlyFormsOutput: withForms ? [] : undefined,
                          latestTimeSeriesDataPointFormsOutput: withTimeSeries
                            ? []
                            : undefined,
                        }
                      : undefined,
                },
              }),
            };
          });
      } else if (input.searchScope === 'DATA_PRODUCT') {
        return Object.values(store.state.dataProducts)
          .filter(
            p =>
              p.domainId === domainId &&
              (!owner || p.owningProjectId === owner),
          )
          .map(p => {
            const rev = latest(p.revisions);
            return {
              seq: p.seq,
              createdAt: p.firstRevisionCreatedAt,
              updatedAt: p.updatedAt,
              forms: rev.forms,
              attributes: {
                name: [rev.name],
                description: textValues(rev.description),
                owningProjectId: [p.owningProjectId],
                glossaryTerms: rev.glossaryTerms ?? [],
              },
              item: () => ({
                dataProductItem: {
                  domainId,
                  id: p.id,
                  name: rev.name,
                  owningProjectId: p.owningProjectId,
                  description: rev.description,
                  glossaryTerms: rev.glossaryTerms,
                  createdAt: date(rev.createdAt),
                  createdBy: rev.createdBy,
                  firstRevisionCreatedAt: date(p.firstRevisionCreatedAt),
                  firstRevisionCreatedBy: p.firstRevisionCreatedBy,
                },
              }),
            };
          });
      }
      return [];
    };
    return runSearch(store, entries, input, [
      'Search',
      domainId,
      input.searchScope,
      owner,
      input.searchText,
      input.searchIn,
      input.filters,
      input.sort,
      input.additionalAttributes,
    ]);
  },
);

/** SearchListings: the published catalog, the latest revision of every ACTIVE listing. */
export const searchListings = op(
  (
    input: dz.SearchListingsInput,
    _ctx: RequestContext,
    store: DataZoneStore,
  ) => {
    const domainId = store.domain(input.domainIdentifier!).id;
    const withForms = input.additionalAttributes?.includes('FORMS');
    const withTimeSeries = input.additionalAttributes?.includes(
      'TIME_SERIES_DATA_POINT_FORMS',
    );
    const entries = (): Entry[] =>
      Object.values(store.state.listings)
        .filter(
          l =>
            l.domainId === domainId && latest(l.revisions).status === 'ACTIVE',
        )
        .map(l => {
          const rev = latest(l.revisions);
          const entityForms =
            l.entityType === 'ASSET'
              ? store.state.assets[l.entityId]?.revisions.find(
                  r => r.revision === rev.entityRevision,
                )?.forms
              : store.state.dataProducts[l.entityId]?.revisions.find(
                  r => r.revision === rev.entityRevision,
                )?.forms;
          const glossaryTerms = rev.glossaryTerms?.map(name => ({ name }));
          const common = {
            listingId: l.id,
            listingRevision: rev.listingRevision,
            name: rev.name,
            entityId: l.entityId,
            entityRevision: rev.entityRevision,
            description: rev.description,
            createdAt: date(rev.createdAt),
            listingCreatedBy: rev.createdBy,
            listingUpdatedBy: rev.updatedBy,
            glossaryTerms,
            owningProjectId: rev.owningProjectId,
          };
          return {
            seq: l.seq,
            createdAt: l.createdAt,
            updatedAt: l.updatedAt,
            forms: entityForms,
            attributes: {
              name: [rev.name],
              description: textValues(rev.description),
              owningProjectId: [rev.owningProjectId],
              entityType: [l.entityType],
              entityId: [l.entityId],
              assetType: textValues(rev.assetType),
              typeIdentifier: textValues(rev.assetType),
              glossaryTerms: rev.glossaryTerms ?? [],
            },
            item: () =>
              l.entityType === 'ASSET'
                ? {
                    assetListing: {
                      ...common,
                      entityType: rev.assetType,
                      additionalAttributes:
                        withForms || withTimeSeries
                          ? {
                              forms: withForms ? rev.forms : undefined,
                              latestTimeSeriesDataPointForms: withTimeSeries
                                ? []
                                : undefined,
                            }
                          : undefined,
                    },
                  }
                : {
                    dataProductListing: {
                      ...common,
                      items: rev.items,
                      additionalAttributes: withForms
                        ? { forms: rev.forms }
                        : undefined,
                    },
                  },
          };
        });
    return {
      ...runSearch(store, entries, input, [
        'SearchListings',
        domainId,
        input.searchText,
        input.searchIn,
        input.filters,
        input.sort,
        input.additionalAttributes,
      ]),
      aggregates: input.aggregations ? [] : undefined,
    };
  },
);
