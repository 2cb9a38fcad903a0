import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { FlowState, type ScheduleOptions, type TickReport } from '../../src';
import { createDataSource, FlowEntity, StepEntity } from '../../src/persistence';
import { ScheduleMarkRecord } from '../../src/persistence/schedule/schedule-mark.entity';
import { ScheduleStore } from '../../src/persistence/schedule/schedule-store';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { SPEC_DATABASES, type SpecDatabase } from '../persistence/fixtures/spec-databases';
import { SchedulerProbe, scheduledFlow, triggeredKeys } from './fixtures/scheduled-flows';

const at = (hhmm: string) => new Date(`2026-01-01T${hhmm}:00Z`);
const hours = (...hh: string[]) => hh.map((h) => `hourly 20260101${h}`);

/**
 * The persisted mark (schedule_mark): how far a flow's periods have their flow rows, so that a
 * restarted scheduler counts from there and not from the schedule's start. Each spec stops one
 * application and starts another on the same database, as a restarted scheduler process does, and
 * breaks the mark the ways a real database can: a start moved earlier, a row deleted by hand, a
 * failed run below the mark, a clock that went back.
 */
for (const kind of SPEC_DATABASES) {
  describe(`scheduler: the persisted mark of each flow, on ${kind.name}`, function () {
    this.timeout(120_000);
    let db: SpecDatabase;
    let t: TestingApp | undefined;
    let probe: SchedulerProbe;
    let direct: DataSource | undefined;

    /** A new application on the database, with this schedule (the last one stopped first): a restarted scheduler process. */
    async function restart(schedule: ScheduleOptions) {
      await t?.teardown();
      probe = new SchedulerProbe();
      t = await createTestingApp({ flows: [scheduledFlow('hourly', schedule)], database: db.options, settings: { probe } });
      return t.app.scheduler();
    }
    async function tickUntilIdle(scheduler: { tick(now: Date): Promise<TickReport> }, now: Date): Promise<string[]> {
      const started: string[] = [];
      for (let i = 0; i < 50; i++) {
        const report = await scheduler.tick(now);
        if (!report.triggered.length) return started;
        started.push(...triggeredKeys(report));
      }
      throw new Error('still triggering after 50 ticks');
    }
    /** The database as a user's own SQL client sees it. */
    async function database(): Promise<DataSource> {
      direct ??= await createDataSource(db.options);
      return direct;
    }
    async function markOf(flowName: string): Promise<Partial<ScheduleMarkRecord> | null> {
      const mark = await (await database()).getRepository(ScheduleMarkRecord).findOneBy({ flowName });
      return mark && { startPeriod: mark.startPeriod, granularity: mark.granularity, nextPeriod: mark.nextPeriod };
    }
    /** The `from` of every count of periods without a row while `work` runs: where the scheduler believed the rows stop. */
    async function countsFrom(work: () => Promise<unknown>): Promise<string[]> {
      // A spy that calls through to the real count on the real database; put back below.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const original = ScheduleStore.prototype.periodsWithoutRow;
      const froms: string[] = [];
      ScheduleStore.prototype.periodsWithoutRow = function (this: ScheduleStore, ...args: Parameters<typeof original>) {
        froms.push(args[2]);
        return original.apply(this, args);
      };
      try {
        await work();
      } finally {
        ScheduleStore.prototype.periodsWithoutRow = original;
      }
      return froms;
    }

    beforeEach(async () => (db = await kind.create()));
    afterEach(async () => {
      await t?.teardown();
      t = undefined;
      await direct?.destroy();
      direct = undefined;
      await db.cleanup();
    });

    it("a restarted scheduler counts from the mark its predecessor left, not from the flow's start", async () => {
      const before = await restart({ every: 'hour', start: '2026010100' });
      expect(await tickUntilIdle(before, at('06:00'))).to.deep.equal(hours('00', '01', '02', '03', '04', '05'));
      expect(await markOf('hourly')).to.deep.equal({ startPeriod: '2026010100', granularity: 'hourly', nextPeriod: '2026010106' });

      const after = await restart({ every: 'hour', start: '2026010100' });
      expect(await countsFrom(() => after.tick(at('06:30')))).to.deep.equal(['2026010106']);
      expect(probe.started).to.deep.equal([]);
      // plan (the CLI's, the viewer's) reads from the mark too.
      let plan: Array<{ timeperiod: string; status: string }> = [];
      expect(await countsFrom(async () => (plan = await after.plan('hourly', { limit: 2, now: at('07:30') })))).to.deep.equal([
        '2026010106',
      ]);
      expect(plan.map((p) => [p.timeperiod, p.status])).to.deep.equal([
        ['2026010106', 'due'],
        ['2026010107', 'scheduled'],
      ]);
      expect(await tickUntilIdle(after, at('07:00'))).to.deep.equal(hours('06'));
      expect(await markOf('hourly')).to.include({ nextPeriod: '2026010107' });
    });

    it('a start moved earlier in the code: the mark is not believed, the periods before the old start run, oldest first, and nothing runs twice', async () => {
      const before = await restart({ every: 'hour', start: '2026010105' });
      expect(await tickUntilIdle(before, at('08:00'))).to.deep.equal(hours('05', '06', '07'));
      expect(await markOf('hourly')).to.include({ startPeriod: '2026010105', nextPeriod: '2026010108' });

      const after = await restart({ every: 'hour', start: '2026010100' });
      const froms = await countsFrom(async () =>
        expect(await tickUntilIdle(after, at('08:00'))).to.deep.equal(hours('00', '01', '02', '03', '04')),
      );
      expect(froms[0], 'counted from the new start').to.equal('2026010100');
      expect(await markOf('hourly')).to.deep.equal({ startPeriod: '2026010100', granularity: 'hourly', nextPeriod: '2026010108' });
      expect(await tickUntilIdle(after, at('09:00'))).to.deep.equal(hours('08'));
    });

    it('a later start, or another granularity: a mark of the same flow counted otherwise is used only where it holds', async () => {
      const before = await restart({ every: 'hour', start: '2026010100', maxActiveRuns: 24 });
      const dayTwo = new Date('2026-01-02T00:00:00Z');
      expect(await tickUntilIdle(before, dayTwo)).to.have.length(24);
      expect(await markOf('hourly')).to.include({ nextPeriod: '2026010200' });
      // Moved later: the mark still holds for the periods from the new start on.
      const later = await restart({ every: 'hour', start: '2026010102' });
      expect(await countsFrom(() => later.tick(dayTwo))).to.deep.equal(['2026010200']);
      // Now daily: the hourly mark 2026010200 reads as a day too, but hours say nothing of days; counted from the start.
      const daily = await restart({ every: 'day', start: '2026010100' });
      expect(await countsFrom(() => daily.tick(new Date('2026-01-03T00:00:00Z')))).to.deep.equal(['2026010100']);
    });

    it('a row deleted by hand below the mark: the mark is reset, a restarted scheduler finds the period and runs it again (the next attempt)', async () => {
      const before = await restart({ every: 'hour', start: '2026010100' });
      await tickUntilIdle(before, at('06:00'));
      await t!.teardown();
      t = undefined;

      const sql = await database();
      await sql.getRepository(StepEntity).delete({ flowName: 'hourly', timeperiod: '2026010102' });
      await sql.getRepository(FlowEntity).delete({ flowName: 'hourly', timeperiod: '2026010102' });
      expect(await markOf('hourly'), 'reset by the delete').to.include({ nextPeriod: null });

      const after = await restart({ every: 'hour', start: '2026010100' });
      let report: TickReport | undefined;
      expect(await countsFrom(async () => (report = await after.tick(at('06:00'))))).to.deep.equal(['2026010100']);
      expect(report!.triggered.map((r) => [r.timeperiod, r.reason, r.attempt, r.result?.state])).to.deep.equal([
        ['2026010102', 'due', 2, 'processed'],
      ]);
      expect(await tickUntilIdle(after, at('06:00'))).to.deep.equal([]);
      expect(await markOf('hourly')).to.include({ nextPeriod: '2026010106' });
    });

    it("a failed run below the mark: a restarted scheduler retries it ('recover'), and holds the later periods behind it ('stop')", async () => {
      const recover = { every: 'hour', start: '2026010100', retries: 1, retryDelayMs: 3_600_000 } as const;
      const before = await restart(recover);
      probe.failing.add('hourly 2026010101');
      expect(await tickUntilIdle(before, at('04:00'))).to.deep.equal(hours('00', '01', '02', '03'));
      expect(await markOf('hourly'), 'the failed period has its row: the mark passes it').to.include({ nextPeriod: '2026010104' });

      const after = await restart(recover);
      const report = await after.tick(at('05:00'));
      expect(report.triggered.map((r) => [r.timeperiod, r.reason, r.mode, r.result?.state])).to.deep.equal([
        ['2026010101', 'retry', 'recover', 'processed'],
      ]);
      expect(await tickUntilIdle(after, at('05:00'))).to.deep.equal(hours('04'));

      const stop = { ...recover, onFailure: 'stop' } as const;
      const failing = await restart(stop);
      probe.failing.add('hourly 2026010105');
      expect(await tickUntilIdle(failing, at('08:00'))).to.deep.equal(hours('05'));
      const held = await restart(stop);
      const waiting = await held.tick(at('08:00'));
      expect(waiting.triggered).to.deep.equal([]);
      expect(waiting.waiting.map((w) => [w.timeperiod, w.reason])).to.deep.equal([
        ['2026010105', 'retry-not-due'],
        ['2026010106', 'on-failure-stop'],
      ]);
      expect(await tickUntilIdle(held, at('09:00'))).to.deep.equal(hours('05', '06', '07', '08'));
    });

    it('a clock that moves backwards: nothing runs again, the mark is not moved back, and the periods after it run once the clock is past them', async () => {
      const scheduler = await restart({ every: 'hour', start: '2026010100' });
      await tickUntilIdle(scheduler, at('10:00'));
      const back = await scheduler.tick(at('05:00'));
      expect([back.triggered, back.waiting, back.skipped]).to.deep.equal([[], [], []]);
      expect(await markOf('hourly')).to.include({ nextPeriod: '2026010110' });

      const restarted = await restart({ every: 'hour', start: '2026010100' });
      expect(await tickUntilIdle(restarted, at('05:00'))).to.deep.equal([]);
      expect(await markOf('hourly')).to.include({ nextPeriod: '2026010110' });
      expect(await tickUntilIdle(restarted, at('11:00'))).to.deep.equal(hours('10'));
      expect(probe.started).to.deep.equal(hours('10'));
    });
  });
}

describe('scheduler: the mark against concurrent writers, on PostgreSQL', function () {
  this.timeout(120_000);
  let db: SpecDatabase;
  let ticking: DataSource;
  let other: DataSource;
  const mark = { flowName: 'hourly', startPeriod: '2026010100', granularity: 'hourly', nextPeriod: '2026010104' };

  beforeEach(async () => {
    db = await SPEC_DATABASES[1].create();
    ticking = await createDataSource(db.options);
    other = await createDataSource(db.options);
    const createdAt = new Date();
    await other.getRepository(FlowEntity).insert(
      ['00', '01', '02', '03'].map((h) => ({
        flowName: 'hourly',
        timeperiod: `20260101${h}`,
        state: FlowState.PROCESSED,
        runMode: 'run' as const,
        createdAt,
      })),
    );
  });
  afterEach(async () => {
    await ticking.destroy();
    await other.destroy();
    await db.cleanup();
  });
  const store = () => new ScheduleStore({ transaction: (work) => ticking.transaction(work) });
  const stored = () => other.getRepository(ScheduleMarkRecord).findOneByOrFail({ flowName: 'hourly' });
  const waitingOnALock = async () =>
    Number((await other.query<Array<{ n: string }>>('SELECT COUNT(*) AS n FROM pg_locks WHERE NOT granted'))[0].n) > 0;

  it("a row deleted (and committed) while a tick counts: the tick's mark is not written, the reset stays", async () => {
    await other.getRepository(ScheduleMarkRecord).insert({ ...mark, nextPeriod: '2026010102', version: 1 });
    const s = store();
    await s.transaction(async (m) => {
      const read = (await s.marks(m, ['hourly'])).get('hourly')!;
      await other.getRepository(FlowEntity).delete({ flowName: 'hourly', timeperiod: '2026010101' });
      await s.writeMark(m, mark, read.version);
    });
    expect(await stored()).to.include({ nextPeriod: null, version: 2 });
  });

  it('a row deleted in a transaction still open when the tick writes: the write waits for it, then misses', async () => {
    await other.getRepository(ScheduleMarkRecord).insert({ ...mark, nextPeriod: '2026010102', version: 1 });
    const deleter = other.createQueryRunner();
    await deleter.startTransaction();
    const s = store();
    let written: Promise<void> | undefined;
    try {
      await s.transaction(async (m) => {
        const read = (await s.marks(m, ['hourly'])).get('hourly')!;
        await deleter.manager.delete(FlowEntity, { flowName: 'hourly', timeperiod: '2026010101' });
        written = s.writeMark(m, mark, read.version);
        // The write waits on the deleter's lock of the mark row (the trigger's); the deleter commits; then the write matches nothing.
        for (const deadline = Date.now() + 60_000; !(await waitingOnALock());) {
          if (Date.now() > deadline) throw new Error('the write never waited on the lock');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await deleter.commitTransaction();
        await written;
      });
    } finally {
      if (deleter.isTransactionActive) await deleter.rollbackTransaction();
      await deleter.release();
    }
    expect(await stored()).to.include({ nextPeriod: null, version: 2 });
  });

  it('a flow without a mark yet, a row deleted meanwhile: the reset row the trigger made wins over the insert', async () => {
    const s = store();
    await s.transaction(async (m) => {
      expect((await s.marks(m, ['hourly'])).size).to.equal(0);
      await other.getRepository(FlowEntity).delete({ flowName: 'hourly', timeperiod: '2026010101' });
      await s.writeMark(m, mark, undefined);
    });
    expect(await stored()).to.include({ nextPeriod: null, version: 1 });
  });

  it('two schedulers writing the mark read at the same version: the first one goes in, the second writes nothing', async () => {
    await other.getRepository(ScheduleMarkRecord).insert({ ...mark, nextPeriod: '2026010102', version: 1 });
    const second = new ScheduleStore({ transaction: (work) => other.transaction(work) });
    const s = store();
    await s.transaction(async (m) => {
      const read = (await s.marks(m, ['hourly'])).get('hourly')!;
      await second.transaction(async (n) => second.writeMark(n, { ...mark, nextPeriod: '2026010103' }, read.version));
      await s.writeMark(m, mark, read.version);
    });
    expect(await stored()).to.include({ nextPeriod: '2026010103', version: 2 });
  });
});
