import { expect } from 'chai';
import type { TickReport } from '../../src';
import type { TestingApp } from '../../src/testing';
import { scheduledApp, scheduledFlow, triggeredKeys } from './fixtures/scheduled-flows';

/** The next SynergyFlowWarning this process emits. */
function nextSynergyWarning(): Promise<Error> {
  return new Promise((resolve) => {
    const listener = (warning: Error) => {
      if (warning.name !== 'SynergyFlowWarning') return;
      process.off('warning', listener);
      resolve(warning);
    };
    process.on('warning', listener);
  });
}

describe('Scheduler: an after flow whose schedule starts later than the waiting periods', () => {
  let t: TestingApp;
  afterEach(async () => t?.teardown());

  async function start(...flows: ReturnType<typeof scheduledFlow>[]) {
    const app = await scheduledApp(...flows);
    t = app.t;
    return app.scheduler;
  }

  const hourlyFromThe3rd = () =>
    start(
      scheduledFlow('hourly_ingest', { every: 'hour', start: '2026010300', maxActiveRuns: 100 }),
      scheduledFlow('daily_rollup', { every: 'day', start: '2026010100', after: ['hourly_ingest'] }),
    );
  const blockedReason =
    "waits for hourly_ingest periods 2026010100 to 2026010123, before hourly_ingest's schedule start 2026010300: " +
    'no scheduler runs them, so this period would wait for ever; run them by hand ' +
    "('backfill hourly_ingest --from 2026010100 --to 2026010123' on the application's command line) or move daily_rollup's schedule start to 2026010300";

  /** daily_rollup 2026010100 waits for ever, and the tick says so to a program (the reason) and to a person (the message). */
  const expectBlockedWait = (report: TickReport) =>
    expect(report.waiting).to.deep.include({
      flow: 'daily_rollup',
      timeperiod: '2026010100',
      reason: 'after-blocked',
      message: blockedReason,
    });

  it('plan shows those periods blocked, with why and what to do, and the later ones held behind them', async () => {
    const scheduler = await hourlyFromThe3rd();
    const plan = await scheduler.plan('daily_rollup', { limit: 3, now: new Date('2026-01-05T00:00:00Z') });
    expect(plan.map(({ timeperiod, status, reason }) => ({ timeperiod, status, reason }))).to.deep.equal([
      { timeperiod: '2026010100', status: 'blocked', reason: blockedReason },
      { timeperiod: '2026010200', status: 'blocked', reason: `held behind 2026010100, which ${blockedReason}` },
      { timeperiod: '2026010300', status: 'blocked', reason: `held behind 2026010100, which ${blockedReason}` },
    ]);
    // The upstream itself is not held.
    expect((await scheduler.plan('hourly_ingest', { limit: 1, now: new Date('2026-01-05T00:00:00Z') }))[0]).to.include({
      timeperiod: '2026010300',
      status: 'due',
    });
  });

  it("a tick says the period waits for ever (reason 'after-blocked'), and why, while the upstream runs from its start", async () => {
    const scheduler = await hourlyFromThe3rd();
    const report = await scheduler.tick(new Date('2026-01-04T00:00:00Z'));
    expectBlockedWait(report);
    expect(triggeredKeys(report)).to.include('hourly_ingest 2026010300').and.not.include('hourly_ingest 2026010223');
  });

  it("an upstream that is merely behind does not hide one that blocks the period: the wait is 'after-blocked'", async () => {
    const scheduler = await start(
      scheduledFlow('daily_ingest', { every: 'day', start: '2026010100' }),
      scheduledFlow('hourly_ingest', { every: 'hour', start: '2026010300', maxActiveRuns: 100 }),
      scheduledFlow('daily_rollup', { every: 'day', start: '2026010100', after: ['daily_ingest', 'hourly_ingest'] }),
    );
    // daily_ingest 2026010100 is due too, not processed yet: on its own it would be an 'after' wait.
    const report = await scheduler.tick(new Date('2026-01-04T00:00:00Z'));
    expectBlockedWait(report);
  });

  it('start() warns, naming both flows, both starts and the periods no scheduler runs', async () => {
    const scheduler = await hourlyFromThe3rd();
    const warned = nextSynergyWarning();
    scheduler.start({ tickMs: 60_000 });
    try {
      expect((await warned).message).to.equal(
        "flow 'daily_rollup' (schedule start 2026010100) runs after 'hourly_ingest', whose schedule starts later, at 2026010300: " +
          "daily_rollup's periods before 2026010300 wait for hourly_ingest periods 2026010100 to 2026010223, which no scheduler runs: " +
          "they would wait for ever; run them by hand ('backfill hourly_ingest --from 2026010100 --to 2026010223' on the application's command line) " +
          "or move daily_rollup's schedule start to 2026010300",
      );
    } finally {
      await scheduler.stop();
    }
  });

  it('upstream periods processed by hand count: the period they cover is due again, the next one still blocked', async () => {
    const scheduler = await start(
      scheduledFlow('daily_ingest', { every: 'day', start: '2026010300' }),
      scheduledFlow('daily_rollup', { every: 'day', start: '2026010100', after: ['daily_ingest'] }),
    );
    await t.app.run('daily_ingest', { timeperiod: '2026010100' });
    const plan = await scheduler.plan('daily_rollup', { limit: 2, now: new Date('2026-01-05T00:00:00Z') });
    expect(plan.map(({ timeperiod, status, reason }) => ({ timeperiod, status, reason }))).to.deep.equal([
      { timeperiod: '2026010100', status: 'due', reason: undefined },
      {
        timeperiod: '2026010200',
        status: 'blocked',
        reason:
          "waits for daily_ingest 2026010200, before daily_ingest's schedule start 2026010300: no scheduler runs it, so this " +
          "period would wait for ever; run it by hand ('backfill daily_ingest --from 2026010200 --to 2026010200' on the application's command line) or move daily_rollup's schedule start to 2026010300",
      },
    ]);
    expect(triggeredKeys(await scheduler.tick(new Date('2026-01-05T00:00:00Z')))).to.include('daily_rollup 2026010100');
  });
});
