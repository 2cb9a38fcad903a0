import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { FlowState } from '../../../src';
import { createDataSource, FlowEntity } from '../../../src/persistence';
import { ScheduleStore } from '../../../src/persistence/schedule/schedule-store';
import { UNFINISHED_PER_FLOW_END } from '../../../src/persistence/schedule/unfinished-rows';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';

const hour = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().slice(0, 13).replace(/[-T]/g, '');

/**
 * A tick reads every scheduled flow's unfinished rows at once. A flow with many failed periods
 * must not crowd the others' rows out of that read (their retries and onFailure 'stop' hang on
 * them), and a flow's own rows past the bound are counted, not silently dropped.
 */
for (const kind of SPEC_DATABASES) {
  describe(`persistence/ScheduleStore on ${kind.name}: the unfinished rows, a bounded number per flow`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;
    let dataSource: DataSource;
    let store: ScheduleStore;

    beforeEach(async () => {
      db = await kind.create();
      dataSource = await createDataSource(db.options);
      store = new ScheduleStore({ transaction: (work) => dataSource.transaction(work) });
    });
    afterEach(async () => {
      await dataSource?.destroy();
      await db?.cleanup();
    });

    async function insert(flowName: string, timeperiods: string[], state: FlowState) {
      const createdAt = new Date();
      const rows = timeperiods.map((timeperiod) => ({ flowName, timeperiod, state, runMode: 'run' as const, createdAt }));
      for (let i = 0; i < rows.length; i += 500) await dataSource.getRepository(FlowEntity).insert(rows.slice(i, i + 500));
    }

    it("reads another flow's failed period whatever the number of a crowded flow's older ones", async () => {
      const crowded = Array.from({ length: 2 * UNFINISHED_PER_FLOW_END }, (_, i) => hour(i));
      await insert('a_hourly', crowded, FlowState.INVALID);
      await insert('b_daily', ['2026120300'], FlowState.INVALID);
      await insert('b_daily', ['2026120400'], FlowState.IN_PROGRESS);

      const { rows, unread } = await store.transaction((m) => store.unfinishedOf(m, ['a_hourly', 'b_daily']));

      expect(rows.filter((row) => row.flowName === 'b_daily').map((row) => `${row.timeperiod} ${row.state}`)).to.deep.equal([
        '2026120300 invalid',
        '2026120400 in_progress',
      ]);
      expect(rows.filter((row) => row.flowName === 'a_hourly').map((row) => row.timeperiod)).to.deep.equal(crowded);
      expect(unread.size).to.equal(0);
    });

    it("keeps a flow's oldest and newest rows past the bound and a slice between, and says how many between were left out", async () => {
      const all = Array.from({ length: 3 * UNFINISHED_PER_FLOW_END + 150 }, (_, i) => hour(i));
      await insert('a_hourly', all, FlowState.INVALID);
      const ends = [...all.slice(0, UNFINISHED_PER_FLOW_END), ...all.slice(-UNFINISHED_PER_FLOW_END)];
      const between = all.slice(UNFINISHED_PER_FLOW_END, -UNFINISHED_PER_FLOW_END);
      const read = (sliceAfter?: string) =>
        store.transaction((m) => store.unfinishedOf(m, ['a_hourly'], new Map(sliceAfter ? [['a_hourly', sliceAfter]] : [])));
      const bounds = { after: all[UNFINISHED_PER_FLOW_END - 1], before: all[2 * UNFINISHED_PER_FLOW_END + 150] };

      const first = await read();
      expect(first.rows.map((row) => row.timeperiod)).to.deep.equal([...ends, ...between.slice(0, 500)].sort());
      expect(first.unread.get('a_hourly')).to.deep.equal({
        ...bounds,
        count: 150,
        read: { count: 500, from: between[0], to: between[499] },
        next: between[499],
      });

      const second = await read(first.unread.get('a_hourly')!.next);
      expect(second.rows.map((row) => row.timeperiod)).to.deep.equal([...ends, ...between.slice(500)].sort());
      expect(second.unread.get('a_hourly')).to.deep.equal({
        ...bounds,
        count: 500,
        read: { count: 150, from: between[500], to: between[649] },
      });

      const third = await read(second.unread.get('a_hourly')!.next);
      expect(
        third.rows.map((row) => row.timeperiod),
        'from the start again',
      ).to.deep.equal(first.rows.map((row) => row.timeperiod));
    });
  });
}
