import { expect } from 'chai';
import type { DataSource, EntityManager } from 'typeorm';
import { FlowState } from '../../../src';
import { createDataSource, FlowEntity } from '../../../src/persistence';
import { ScheduleStore } from '../../../src/persistence/schedule/schedule-store';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';

const FLOWS = Array.from({ length: 20 }, (_, i) => `flow_${String(i).padStart(2, '0')}`);
const HOURS = 500;
const hour = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().slice(0, 13).replace(/[-T]/g, '');

/**
 * What a scheduler tick reads of the flows' unfinished rows on SQLite, once ANALYZE has given the
 * planner statistics (an operator's `PRAGMA optimize`, or the scheduler bench): nearly every row is
 * processed, which those statistics cannot tell, and the planner scanned the whole flow table at
 * every tick. PostgreSQL's planner keeps the states' frequencies: the hint is SQLite's only.
 */
describe('persistence/ScheduleStore: the unfinished rows on SQLite with statistics', () => {
  let db: SpecDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    db = await SPEC_DATABASES.find((kind) => kind.name === 'SQLite')!.create();
    dataSource = await createDataSource(db.options);
    const createdAt = new Date();
    const rows = FLOWS.flatMap((flowName) =>
      Array.from({ length: HOURS }, (_, i) => ({
        flowName,
        timeperiod: hour(i),
        // two failed periods a flow, among hundreds processed
        state: i === 7 || i === 300 ? FlowState.INVALID : FlowState.PROCESSED,
        runMode: 'run' as const,
        createdAt,
      })),
    );
    for (let i = 0; i < rows.length; i += 500) await dataSource.getRepository(FlowEntity).insert(rows.slice(i, i + 500));
    await dataSource.query('ANALYZE');
  });
  afterEach(async () => {
    await dataSource.destroy();
    await db.cleanup();
  });

  it('reads them through the [flow_name, state, timeperiod] index, never by scanning the table, oldest first', async () => {
    const sent: Array<[string, unknown[]]> = [];
    // The store's manager, with every query it sends kept for EXPLAIN QUERY PLAN.
    const recording = (m: EntityManager) =>
      new Proxy(m, {
        get: (target, key, receiver) =>
          key === 'query'
            ? (sql: string, parameters: unknown[]) => {
                sent.push([sql, parameters]);
                return target.query(sql, parameters);
              }
            : Reflect.get(target, key, receiver),
      });
    const store = new ScheduleStore({ transaction: (work) => dataSource.transaction((m) => work(recording(m))) });

    const { rows: unfinished } = await store.transaction((m) => store.unfinishedOf(m, FLOWS));

    expect(unfinished.map((row) => `${row.flowName} ${row.timeperiod} ${row.state}`)).to.deep.equal([
      ...FLOWS.map((flowName) => `${flowName} ${hour(7)} invalid`),
      ...FLOWS.map((flowName) => `${flowName} ${hour(300)} invalid`),
    ]);
    const [query] = sent.filter(([sql]) => sql.includes('"state" IN'));
    expect(query, 'the unfinished rows are read by one query').to.not.equal(undefined);
    const plan = await dataSource.query<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${query[0]}`, query[1]);
    const steps = plan.map((row) => row.detail);
    expect(
      steps.some((step) => step.includes('USING INDEX ix_flow_name_state_timeperiod')),
      steps.join('; '),
    ).to.equal(true);
    expect(
      steps.some((step) => /^SCAN f\b/.test(step)),
      steps.join('; '),
    ).to.equal(false);
  });
});
