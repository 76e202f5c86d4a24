import { createTestDatabases } from '@data-mesh-portal/test-utils';
import { DatabaseSloHistoryStore } from './SloHistoryStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const T0 = new Date('2026-11-20T00:00:00Z').getTime();
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const GAP = 60 * 60_000;

describe.each(databases.eachSupportedId())(
  'DatabaseSloHistoryStore on %p',
  databaseId => {
    let store: DatabaseSloHistoryStore;

    beforeAll(async () => {
      store = await DatabaseSloHistoryStore.fromKnex(
        await databases.init(databaseId),
      );
    });

    const observe = (
      status: 'met' | 'breached',
      ref = 'api:default/a',
      objectiveId = `${ref}#sla/latency`,
    ) => ({
      entityRef: ref,
      objectiveId,
      kind: 'freshness' as const,
      status,
    });

    it('extends an interval while the status holds, splits it when it changes, and starts over after a gap', async () => {
      await store.record([observe('met')], at(0), GAP);
      await store.record([observe('met')], at(30), GAP);
      await store.record([observe('breached')], at(50), GAP);
      await store.record([observe('breached')], at(55), GAP);
      // 3 h later: a new interval, not a 3-hour breach.
      await store.record([observe('breached')], at(240), GAP);
      const intervals = await store.intervals(['api:default/a'], at(-1000));
      expect(
        intervals.map(i => [
          i.status,
          (i.start.getTime() - T0) / 60_000,
          (i.end.getTime() - T0) / 60_000,
        ]),
      ).toEqual([
        ['met', 0, 50],
        ['breached', 50, 55],
        ['breached', 240, 240],
      ]);
      expect(intervals[0]).toMatchObject({
        entityRef: 'api:default/a',
        kind: 'freshness',
        objectiveId: 'api:default/a#sla/latency',
      });
    });

    it('never moves an interval back in time, keeps datasets apart and prunes old intervals', async () => {
      await store.record([observe('met', 'api:default/b')], at(100), GAP);
      await store.record([observe('breached', 'api:default/b')], at(90), GAP);
      expect(
        (await store.intervals(['api:default/b'], at(0))).map(i => i.status),
      ).toEqual(['met']);
      expect(await store.intervals(['api:default/none'], at(0))).toEqual([]);
      expect(await store.prune(at(60))).toBe(2);
      expect(
        (await store.intervals(['api:default/a', 'api:default/b'], at(-1000)))
          .length,
      ).toBe(2);
    });
  },
);
