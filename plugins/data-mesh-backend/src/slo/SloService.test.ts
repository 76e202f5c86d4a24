import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { stringifyDataContract } from '@data-mesh-portal/plugin-data-mesh-common';
import { createTestDatabases } from '@data-mesh-portal/test-utils';
import { DataQualityRun } from './signals';
import { DatabaseSloHistoryStore } from './SloHistoryStore';
import { SloService } from './SloService';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const NOW = new Date('2026-11-20T12:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;

const dataset: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: {
    name: 'orders-dataset',
    annotations: { 'data-mesh-portal.io/glue-table': 'orders' },
  },
  spec: {
    type: 'data-contract',
    lifecycle: 'production',
    owner: 'group:default/sales',
    definition: stringifyDataContract({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'orders',
      version: '1.0.0',
      status: 'active',
      schema: [
        {
          name: 'orders',
          physicalName: 'orders',
          quality: [
            {
              name: 'orders_row_count',
              type: 'library',
              metric: 'rowCount',
              mustBeGreaterThan: 0,
            },
          ],
        },
      ],
    }),
  },
};
const OBJECTIVE = 'api:default/orders-dataset#quality/orders#orders_row_count';

/** A data-quality run every day at 06:00 for 30 days; the runs 10 and 20 days ago failed. */
function dailyRuns(): DataQualityRun[] {
  const newest = new Date('2026-11-20T06:00:00Z').getTime();
  return Array.from({ length: 30 }, (_, daysAgo) => ({
    timestamp: new Date(newest - daysAgo * DAY),
    evaluations: [
      {
        types: ['RowCount'],
        applicableFields: [],
        status: daysAgo === 10 || daysAgo === 20 ? 'FAIL' : 'PASS',
      },
    ],
  }));
}

describe.each(databases.eachSupportedId())('SloService on %p', databaseId => {
  let store: DatabaseSloHistoryStore;
  let now = NOW;
  let quality: { ok: boolean };

  function service() {
    return new SloService({
      catalog: catalogServiceMock(),
      store,
      logger: mockServices.logger.mock(),
      clock: () => now,
      reader: {
        read: async () => ({
          quality: quality.ok
            ? {
                ok: true,
                data: { runs: dailyRuns() },
                observedAt: now,
                source: 'test',
              }
            : {
                ok: false,
                kind: 'unavailable',
                reason: 'throttled',
                observedAt: now,
                source: 'test',
              },
        }),
      },
    });
  }

  beforeAll(async () => {
    store = await DatabaseSloHistoryStore.fromKnex(
      await databases.init(databaseId),
    );
  });

  it('a first evaluation already shows 30 days of history from the data-quality results', async () => {
    quality = { ok: true };
    const report = await service().evaluateDatasets(
      'api:default/orders-dataset',
      [dataset],
    );
    const objective = report.objectives.find(o => o.id === OBJECTIVE)!;
    // Passing now, but 2 of 30 runs failed: more than the pass-rate target allows.
    expect(objective.status).toBe('at-risk');
    // From the oldest run (29 days before 06:00 today) to now: 2 failed days.
    expect(objective.errorBudget).toMatchObject({
      coveredMinutes: (29 * DAY + 6 * 3_600_000) / MINUTE,
      breachedMinutes: (2 * DAY) / MINUTE,
      status: 'breached',
    });
    const days = Object.fromEntries(report.history.map(d => [d.date, d]));
    expect(days['2026-11-10']).toEqual({
      date: '2026-11-10',
      met: 6 * 60,
      atRisk: 0,
      breached: 18 * 60,
      unknown: 0,
    });
    expect(days['2026-11-15']).toMatchObject({ met: 24 * 60, breached: 0 });
    expect(days['2026-10-22']).toMatchObject({ met: 18 * 60, breached: 0 });
  });

  it('recorded evaluations are never counted twice, and keep the history when results cannot be read', async () => {
    quality = { ok: true };
    now = new Date(NOW.getTime() + 10 * MINUTE);
    const later = await service().evaluateDatasets(
      'api:default/orders-dataset',
      [dataset],
    );
    const today = later.history.find(d => d.date === '2026-11-20')!;
    expect(today.met + today.atRisk + today.breached + today.unknown).toBe(
      12 * 60 + 10,
    );
    expect(
      later.objectives.find(o => o.id === OBJECTIVE)!.errorBudget
        ?.coveredMinutes,
    ).toBe((29 * DAY + 6 * 3_600_000) / MINUTE + 10);

    // DataZone throttles: the recorded evaluations remain; the results' history is not invented.
    quality = { ok: false };
    now = new Date(NOW.getTime() + 20 * MINUTE);
    const unreadable = await service().evaluateDatasets(
      'api:default/orders-dataset',
      [dataset],
    );
    const objective = unreadable.objectives.find(o => o.id === OBJECTIVE)!;
    expect(objective.status).toBe('unknown');
    expect(objective.errorBudget?.breachedMinutes).toBe(0);
    expect(objective.errorBudget?.coveredMinutes).toBe(10);
  });
});
