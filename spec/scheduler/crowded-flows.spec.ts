import { expect } from 'chai';
import type { Scheduler, TickReport } from '../../src';
import { FailedBacklog, hourOf2025 } from './fixtures/failed-backlog';
import { ManualClock, type SchedulerProbe, scheduledFlow } from './fixtures/scheduled-flows';

const hour = hourOf2025;

/**
 * One flow with many failed periods (a long outage under onFailure 'continue') beside another:
 * the other flow's retries and its onFailure 'stop' must work as if it were alone, and the
 * crowded flow's periods a tick does not read are reported, not dropped without a word.
 */
describe('Scheduler: a flow with many failed periods beside others', function () {
  this.timeout(60_000);
  let backlog: FailedBacklog | undefined;
  let probe: SchedulerProbe;
  afterEach(async () => backlog?.close());

  /** The app, with `failedHours` invalid hours of a_hourly (paused: its own runs are not the point) written beside it. */
  async function start(failedHours: number, bOnFailure: 'recover' | 'stop'): Promise<Scheduler> {
    const flows = [
      scheduledFlow('a_hourly', { every: 'hour', start: '2025010100', onFailure: 'continue' }),
      scheduledFlow('b_daily', { every: 'day', start: '2026120100', onFailure: bOnFailure, retries: 1, retryDelayMs: 0 }),
    ];
    backlog = await FailedBacklog.open(
      flows,
      'a_hourly',
      Array.from({ length: failedHours }, (_, i) => hour(i)),
    );
    probe = backlog.probe;
    const scheduler = backlog.t.app.scheduler({ clock: new ManualClock(new Date('2026-12-06T00:30:00Z')) });
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

  it("reports the crowded flow's periods it does not read at this tick, beyond its oldest and newest 500 and a slice between", async () => {
    const scheduler = await start(1600, 'recover');

    const report = await scheduler.tick(new Date('2026-12-06T00:30:00Z'));

    const unread = report.skipped.filter((s) => s.reason === 'unread');
    expect(unread).to.have.length(1);
    expect(unread[0]).to.include({ flow: 'a_hourly', timeperiod: hour(499) });
    expect(unread[0].message).to.contain(
      `100 more unfinished periods after ${hour(499)} and before ${hour(1100)} are not read by this tick ` +
        `(a tick reads a flow's oldest and newest 500, and 500 between: ${hour(500)} to ${hour(999)} this time)`,
    );
    // The rows read are reported one by one, as before.
    expect(report.skipped.filter((s) => s.flow === 'a_hourly' && s.reason === 'failed')).to.have.length(1500);
  });

  it('reads all of a flow of 1,100 failed periods at one tick: no unread', async () => {
    const scheduler = await start(1100, 'recover');

    const report = await scheduler.tick(new Date('2026-12-06T00:30:00Z'));

    expect(report.skipped.filter((s) => s.reason === 'unread')).to.deep.equal([]);
    expect(report.skipped.filter((s) => s.flow === 'a_hourly' && s.reason === 'failed')).to.have.length(1100);
  });
});
