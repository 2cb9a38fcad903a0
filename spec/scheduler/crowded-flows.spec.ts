import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { FlowState, type Scheduler, type TickReport } from '../../src';
import { createDataSource, FlowEntity } from '../../src/persistence';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { tempSqlite } from '../support/temp-database';
import { ManualClock, SchedulerProbe, scheduledFlow } from './fixtures/scheduled-flows';

const hour = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().slice(0, 13).replace(/[-T]/g, '');

/**
 * One flow with many failed periods (a long outage under onFailure 'continue') beside another:
 * the other flow's retries and its onFailure 'stop' must work as if it were alone, and the
 * crowded flow's periods a tick does not read are reported, not dropped without a word.
 */
describe('Scheduler: a flow with many failed periods beside others', function () {
  this.timeout(60_000);
  let t: TestingApp;
  let db: ReturnType<typeof tempSqlite>;
  let rows: DataSource;
  let probe: SchedulerProbe;
  afterEach(async () => {
    await rows?.destroy();
    await t?.teardown();
    db?.cleanup();
  });

  /** The app, with `failedHours` invalid hours of a_hourly (paused: its own runs are not the point) written beside it. */
  async function start(failedHours: number, bOnFailure: 'recover' | 'stop'): Promise<Scheduler> {
    db = tempSqlite();
    probe = new SchedulerProbe();
    t = await createTestingApp({
      database: db.database,
      settings: { probe },
      flows: [
        scheduledFlow('a_hourly', { every: 'hour', start: '2025010100', onFailure: 'continue' }),
        scheduledFlow('b_daily', { every: 'day', start: '2026120100', onFailure: bOnFailure, retries: 1, retryDelayMs: 0 }),
      ],
    });
    rows = await createDataSource(db.database);
    const createdAt = new Date();
    const failed = Array.from({ length: failedHours }, (_, i) => ({
      flowName: 'a_hourly',
      timeperiod: hour(i),
      state: FlowState.INVALID,
      runMode: 'run' as const,
      createdAt,
    }));
    for (let i = 0; i < failed.length; i += 500) await rows.getRepository(FlowEntity).insert(failed.slice(i, i + 500));
    const scheduler = t.app.scheduler({ clock: new ManualClock(new Date('2026-12-06T00:30:00Z')) });
    await scheduler.pause('a_hourly');
    return scheduler;
  }

  async function tickUntilIdle(scheduler: Scheduler): Promise<TickReport> {
    for (;;) {
      const report = await scheduler.tick(new Date('2026-12-06T00:30:00Z'));
      if (!report.triggered.length) return report;
    }
  }

  it("retries the other flow's failed period, and holds its later periods under 'stop'", async () => {
    const scheduler = await start(1000, 'stop');
    probe.failing.add('b_daily 2026120300');

    const last = await tickUntilIdle(scheduler);

    expect(probe.started).to.deep.equal(['b_daily 2026120100', 'b_daily 2026120200', 'b_daily 2026120300', 'b_daily 2026120300']);
    expect(last.skipped.filter((s) => s.flow === 'b_daily').map((s) => [s.timeperiod, s.reason])).to.deep.equal([
      ['2026120300', 'retries-exhausted'],
    ]);
    expect(last.waiting.filter((w) => w.flow === 'b_daily').map((w) => [w.timeperiod, w.reason])).to.deep.equal([
      ['2026120400', 'on-failure-stop'],
    ]);
  });

  it("reports the crowded flow's periods it does not read, between its oldest and newest 500", async () => {
    const scheduler = await start(1100, 'recover');

    const report = await scheduler.tick(new Date('2026-12-06T00:30:00Z'));

    const unread = report.skipped.filter((s) => s.reason === 'unread');
    expect(unread).to.have.length(1);
    expect(unread[0]).to.include({ flow: 'a_hourly', timeperiod: hour(499) });
    expect(unread[0].message).to.contain(`100 more unfinished periods after ${hour(499)} and before ${hour(600)} are not read`);
    // The rows read are reported one by one, as before.
    expect(report.skipped.filter((s) => s.flow === 'a_hourly' && s.reason === 'failed')).to.have.length(1000);
  });
});
