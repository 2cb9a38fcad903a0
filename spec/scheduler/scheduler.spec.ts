import { expect } from 'chai';
import { SchedulerStoppedError, UnknownFlowError, type Scheduler, type TickReport } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { tempSqlite } from '../support/temp-database';
import { ManualClock, SchedulerProbe, scheduledApp, scheduledFlow, triggeredKeys } from './fixtures/scheduled-flows';

/** Ticks at `now` until a tick starts nothing; every report, in order. */
async function tickUntilIdle(scheduler: Scheduler, now: Date, max = 200): Promise<TickReport[]> {
  const reports: TickReport[] = [];
  for (let i = 0; i < max; i++) {
    const report = await scheduler.tick(now);
    reports.push(report);
    if (!report.triggered.length) return reports;
  }
  throw new Error(`still triggering after ${max} ticks`);
}

describe('Scheduler', () => {
  let t: TestingApp;
  let probe: SchedulerProbe;
  afterEach(async () => t?.teardown());

  async function start(...flows: ReturnType<typeof scheduledFlow>[]) {
    const app = await scheduledApp(...flows);
    ({ t, probe } = app);
    return app.scheduler;
  }

  /**
   * What SIGTERM does to `synergy-flow scheduler` in the middle of the first day's run: the
   * scheduler stops, the run in flight is cancelled. Resolves to that run's result.
   */
  async function interruptFirstDay(scheduler: Scheduler, now: Date) {
    probe.gates.set('daily 2026010100', new Promise<void>(() => undefined));
    const first = scheduler.tick(now);
    while (probe.started.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const stopped = scheduler.stop();
    expect(t.app.cancel('daily', '2026010100')).to.equal(true);
    const { result } = (await first).triggered[0];
    await stopped;
    probe.gates.delete('daily 2026010100');
    return result;
  }

  it('starts a period once it has ended plus delayMs, not before, and only once', async () => {
    const scheduler = await start(scheduledFlow('hourly', { every: 'hour', start: '2026010100', delayMs: 600_000 }));
    expect((await scheduler.tick(new Date('2026-01-01T00:59:59Z'))).triggered).to.deep.equal([]);
    expect((await scheduler.tick(new Date('2026-01-01T01:09:59.999Z'))).triggered).to.deep.equal([]);
    const report = await scheduler.tick(new Date('2026-01-01T01:10:00Z'));
    expect(report.triggered).to.have.length(1);
    expect(report.triggered[0]).to.include({ flow: 'hourly', timeperiod: '2026010100', reason: 'due', mode: 'run', attempt: 1 });
    expect(report.triggered[0].result?.state).to.equal('processed');
    expect(report.triggered[0].result?.runId).to.match(/^[0-9a-z]{14}$/);
    expect((await scheduler.tick(new Date('2026-01-01T01:30:00Z'))).triggered).to.deep.equal([]);
    expect(probe.started).to.deep.equal(['hourly 2026010100']);
  });

  it('catches missed periods up oldest first, one at a time under maxActiveRuns 1', async () => {
    const scheduler = await start(scheduledFlow('hourly', { every: 'hour', start: '2026010100' }));
    const first = await scheduler.tick(new Date('2026-01-01T05:30:00Z'));
    expect(triggeredKeys(first)).to.deep.equal(['hourly 2026010100']);
    expect(first.waiting).to.deep.include({
      flow: 'hourly',
      timeperiod: '2026010101',
      reason: 'max-active-runs',
      message: '1 of maxActiveRuns 1 running',
    });
    await tickUntilIdle(scheduler, new Date('2026-01-01T05:30:00Z'));
    expect(probe.started).to.deep.equal(['00', '01', '02', '03', '04'].map((h) => `hourly 20260101${h}`));
    expect(probe.maxRunning).to.equal(1);
  });

  it('skips a period run by hand ahead of the others, and finds the gap below it', async () => {
    const scheduler = await start(scheduledFlow('hourly', { every: 'hour', start: '2026010100' }));
    expect((await t.app.run('hourly', { timeperiod: '2026010103' })).state).to.equal('processed');
    await tickUntilIdle(scheduler, new Date('2026-01-01T06:00:00Z'));
    expect(probe.started).to.deep.equal(['03', '00', '01', '02', '04', '05'].map((h) => `hourly 20260101${h}`));
    // A new scheduler (no frontier learnt yet) sees the same: nothing is left to run.
    expect((await t.app.scheduler().tick(new Date('2026-01-01T06:00:00Z'))).triggered).to.deep.equal([]);
  });

  it('runs up to maxActiveRuns periods at once, the oldest first', async () => {
    const scheduler = await start(scheduledFlow('hourly', { every: 'hour', start: '2026010100', maxActiveRuns: 3 }));
    const report = await scheduler.tick(new Date('2026-01-01T05:00:00Z'));
    expect(triggeredKeys(report)).to.deep.equal(['hourly 2026010100', 'hourly 2026010101', 'hourly 2026010102']);
    expect(report.waiting.map((w) => [w.timeperiod, w.reason])).to.deep.equal([['2026010103', 'max-active-runs']]);
    expect(triggeredKeys(await scheduler.tick(new Date('2026-01-01T05:00:00Z')))).to.deep.equal(['hourly 2026010103', 'hourly 2026010104']);
  });

  it("onFailure 'recover' recovers a failed period after retryDelayMs, up to retries times, then reports it and leaves it", async () => {
    const scheduler = await start(scheduledFlow('hourly', { every: 'hour', start: '2026010100', retries: 2, retryDelayMs: 60_000 }));
    probe.failing.add('hourly 2026010100');
    const at = (iso: string) => new Date(`2026-01-01T${iso}Z`);
    const failed = await scheduler.tick(at('01:00:00'));
    expect(failed.triggered[0].result?.state).to.equal('invalid');

    const early = await scheduler.tick(at('01:00:59'));
    expect(early.triggered).to.deep.equal([]);
    expect(early.waiting[0]).to.include({ timeperiod: '2026010100', reason: 'retry-not-due' });

    const retry1 = await scheduler.tick(at('01:01:00'));
    expect(retry1.triggered[0]).to.include({ timeperiod: '2026010100', reason: 'retry', mode: 'recover', attempt: 2 });
    expect(retry1.triggered[0].result?.state).to.equal('invalid');
    const retry2 = await scheduler.tick(at('01:02:00'));
    expect(retry2.triggered[0]).to.include({ reason: 'retry', attempt: 3, message: 'retry 2 of 2' });

    const exhausted = await scheduler.tick(at('01:59:00'));
    expect(exhausted.triggered).to.deep.equal([]);
    expect(exhausted.skipped[0]).to.include({ timeperiod: '2026010100', reason: 'retries-exhausted' });
    // Made through the API, it does not know how its user runs the command line: no `synergy-flow` bin they may not have.
    expect(exhausted.skipped[0].message).to.equal(
      "failed after 2 retries: recover it by hand (app.recover('hourly', { timeperiod: '2026010100' }), " +
        "or 'recover hourly -t 2026010100' on the application's command line)",
    );
    // Told how (the CLI tells its own), it names the command as typed.
    const told = await t.app.scheduler({ programName: 'node dist/main.js' }).tick(at('01:59:00'));
    expect(told.skipped[0].message).to.equal('failed after 2 retries: recover it by hand (node dist/main.js recover hourly -t 2026010100)');
    expect(() => t.app.scheduler({ programName: ' ' })).to.throw(
      "  - programName: must say how the command line is run, e.g. 'node dist/main.js'",
    );
    expect(probe.started).to.deep.equal(['hourly 2026010100', 'hourly 2026010100', 'hourly 2026010100']);

    // Later periods go on meanwhile.
    expect(triggeredKeys(await scheduler.tick(at('02:00:00')))).to.deep.equal(['hourly 2026010101']);
  });

  it("onFailure 'recover': a retry that succeeds processes the period", async () => {
    const scheduler = await start(scheduledFlow('hourly', { every: 'hour', start: '2026010100', retryDelayMs: 0 }));
    probe.failing.add('hourly 2026010100');
    await scheduler.tick(new Date('2026-01-01T01:00:00Z'));
    probe.failing.clear();
    const retry = await scheduler.tick(new Date('2026-01-01T01:00:00Z'));
    expect(retry.triggered[0]).to.include({ reason: 'retry', mode: 'recover' });
    expect(retry.triggered[0].result?.state).to.equal('processed');
    expect((await t.app.status('hourly', '2026010100')).flow.state).to.equal('processed');
  });

  it('a period that failed in a run by hand (no claim): its retry is due retryDelayMs after that run ended', async () => {
    const scheduler = await start(scheduledFlow('hourly', { every: 'hour', start: '2026010100', retryDelayMs: 3_600_000 }));
    probe.failing.add('hourly 2026010100');
    expect((await t.app.run('hourly', { timeperiod: '2026010100' })).state).to.equal('invalid');
    const ended = (await t.app.status('hourly', '2026010100')).flow.finishedAt!;
    const due = new Date(ended.getTime() + 3_600_000);
    const early = await scheduler.tick(new Date(due.getTime() - 1));
    expect(early.waiting[0]).to.deep.include({
      timeperiod: '2026010100',
      reason: 'retry-not-due',
      message: `retry 1 of 2 at ${due.toISOString()}`,
    });
    expect((await scheduler.tick(due)).triggered[0]).to.include({ timeperiod: '2026010100', reason: 'retry', attempt: 1 });
  });

  it("onFailure 'stop' holds later periods until the failed one is processed (by its retry or by hand)", async () => {
    const scheduler = await start(
      scheduledFlow('hourly', { every: 'hour', start: '2026010100', onFailure: 'stop', retries: 1, retryDelayMs: 0 }),
    );
    probe.failing.add('hourly 2026010101');
    const now = new Date('2026-01-01T04:00:00Z');
    await tickUntilIdle(scheduler, now);
    expect(probe.started).to.deep.equal(['hourly 2026010100', 'hourly 2026010101', 'hourly 2026010101']);
    const held = await scheduler.tick(now);
    expect(held.skipped[0]).to.include({ timeperiod: '2026010101', reason: 'retries-exhausted' });
    expect(held.waiting[0]).to.include({ timeperiod: '2026010102', reason: 'on-failure-stop' });

    probe.failing.clear();
    expect((await t.app.recover('hourly', { timeperiod: '2026010101' })).state).to.equal('processed');
    await tickUntilIdle(scheduler, now);
    expect(probe.started.slice(3)).to.deep.equal(['hourly 2026010101', 'hourly 2026010102', 'hourly 2026010103']);
  });

  it("onFailure 'stop': later periods wait while the failed period's retry runs, not only while it waits for one", async () => {
    const scheduler = await start(
      scheduledFlow('daily', { every: 'day', start: '2026010100', maxActiveRuns: 2, onFailure: 'stop', retries: 1, retryDelayMs: 0 }),
    );
    probe.failing.add('daily 2026010100');
    expect((await scheduler.tick(new Date('2026-01-02T00:00:00Z'))).triggered[0].result?.state).to.equal('invalid');

    // The retry runs (its row in_progress) until released; a month of days has come due meanwhile.
    let release!: () => void;
    probe.gates.set('daily 2026010100', new Promise<void>((resolve) => (release = resolve)));
    const now = new Date('2026-01-31T00:00:00Z');
    const retryTick = scheduler.tick(now);
    while (probe.started.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const during = await scheduler.tick(now);
    expect(during.triggered).to.deep.equal([]);
    expect(during.waiting).to.deep.include({
      flow: 'daily',
      timeperiod: '2026010200',
      reason: 'on-failure-stop',
      message: "waits until 2026010100 is processed (onFailure 'stop')",
    });

    release();
    expect((await retryTick).triggered[0]).to.include({ timeperiod: '2026010100', reason: 'retry' });
    const after = await scheduler.tick(now);
    expect(after.triggered).to.deep.equal([]);
    expect(after.skipped[0]).to.include({ timeperiod: '2026010100', reason: 'retries-exhausted' });
    expect(probe.started).to.deep.equal(['daily 2026010100', 'daily 2026010100']);
  });

  it('a run cancelled because its scheduler stopped (a deploy) is resumed by the next scheduler, spending no retry, not counted as a failure', async () => {
    const scheduler = await start(scheduledFlow('daily', { every: 'day', start: '2026010100', onFailure: 'continue', retries: 0 }));
    const now = new Date('2026-01-02T00:00:00Z');
    expect((await interruptFirstDay(scheduler, now))?.state).to.equal('invalid');

    const next = t.app.scheduler({ clock: new ManualClock(now) });
    expect((await next.plan('daily', { limit: 1 }))[0]).to.include({ timeperiod: '2026010100', status: 'due' });
    const resumed = await next.tick(now);
    expect(resumed.triggered[0]).to.include({ timeperiod: '2026010100', reason: 'takeover', mode: 'recover' });
    expect(resumed.triggered[0].message).to.equal('resumes attempt 1, interrupted when its scheduler stopped');
    expect(resumed.triggered[0].result?.state).to.equal('processed');
    expect(resumed.skipped).to.deep.equal([]);
    await next.stop();
  });

  it("onFailure 'stop': a period cut short by its scheduler's stop does not hold the next ones while it is resumed", async () => {
    const flow = scheduledFlow('daily', { every: 'day', start: '2026010100', maxActiveRuns: 2, onFailure: 'stop', retries: 1 });
    await interruptFirstDay(await start(flow), new Date('2026-01-02T00:00:00Z'));

    // The deploy is over; a day has come due meanwhile. Both run in the first tick, side by side.
    const later = new Date('2026-01-03T00:00:00Z');
    const next = t.app.scheduler({ clock: new ManualClock(later) });
    const resumed = await next.tick(later);
    expect(resumed.waiting).to.deep.equal([]);
    expect(resumed.triggered.map((l) => [l.timeperiod, l.reason, l.result?.state])).to.deep.equal([
      ['2026010100', 'takeover', 'processed'],
      ['2026010200', 'due', 'processed'],
    ]);
    await next.stop();
  });

  it("onFailure 'continue' goes on without retrying, and reports the failed period", async () => {
    const scheduler = await start(scheduledFlow('hourly', { every: 'hour', start: '2026010100', onFailure: 'continue' }));
    probe.failing.add('hourly 2026010100');
    const now = new Date('2026-01-01T03:00:00Z');
    await tickUntilIdle(scheduler, now);
    expect(probe.started).to.deep.equal(['hourly 2026010100', 'hourly 2026010101', 'hourly 2026010102']);
    const last = await scheduler.tick(now);
    expect(last.skipped).to.deep.equal([
      { flow: 'hourly', timeperiod: '2026010100', reason: 'failed', message: "failed; onFailure 'continue' goes on without it" },
    ]);
  });

  it('after: a daily period waits for the 24 hours of its day, then runs once', async () => {
    const scheduler = await start(
      scheduledFlow('hourly_ingest', { every: 'hour', start: '2026010100', maxActiveRuns: 5 }),
      scheduledFlow('daily_rollup', { every: 'day', start: '2026010100', after: ['hourly_ingest'] }),
    );
    const now = new Date('2026-01-02T00:00:00Z');
    const first = await scheduler.tick(now);
    expect(first.waiting).to.deep.include({
      flow: 'daily_rollup',
      timeperiod: '2026010100',
      reason: 'after',
      message: 'waits for hourly_ingest: 0 of 24 hourly periods from 2026010100 to 2026010123 processed',
    });
    const reports = [first, ...(await tickUntilIdle(scheduler, now))];
    const rollup = probe.started.indexOf('daily_rollup 2026010100');
    expect(rollup).to.equal(24);
    expect(probe.started.filter((k) => k.startsWith('hourly_ingest'))).to.have.length(24);
    const waits = reports.flatMap((r) => r.waiting.filter((w) => w.flow === 'daily_rollup').map((w) => w.message));
    expect(waits).to.include('waits for hourly_ingest: 20 of 24 hourly periods from 2026010100 to 2026010123 processed');
  });

  it('after: a period waits while one hour of its day failed, and runs once it is recovered', async () => {
    const scheduler = await start(
      scheduledFlow('hourly_ingest', { every: 'hour', start: '2026010100', maxActiveRuns: 24, onFailure: 'continue' }),
      scheduledFlow('daily_rollup', { every: 'day', start: '2026010100', after: ['hourly_ingest'] }),
    );
    probe.failing.add('hourly_ingest 2026010107');
    const now = new Date('2026-01-02T00:00:00Z');
    await tickUntilIdle(scheduler, now);
    expect(probe.started).to.not.include('daily_rollup 2026010100');
    probe.failing.clear();
    await t.app.recover('hourly_ingest', { timeperiod: '2026010107' });
    const report = await scheduler.tick(now);
    expect(triggeredKeys(report)).to.deep.equal(['daily_rollup 2026010100']);
  });

  it('plan lists the next periods with their due time and status', async () => {
    const scheduler = await start(scheduledFlow('hourly', { every: 'hour', start: '2026010100', delayMs: 60_000, retryDelayMs: 120_000 }));
    probe.failing.add('hourly 2026010100');
    await scheduler.tick(new Date('2026-01-01T01:01:00Z'));
    const plan = await scheduler.plan('hourly', { limit: 3, now: new Date('2026-01-01T02:30:00Z') });
    expect(plan.map((p) => [p.timeperiod, p.status, p.dueAt.toISOString()])).to.deep.equal([
      ['2026010100', 'retry', '2026-01-01T01:03:00.000Z'],
      ['2026010101', 'due', '2026-01-01T02:01:00.000Z'],
      ['2026010102', 'scheduled', '2026-01-01T03:01:00.000Z'],
    ]);
  });

  it('plan of a paused flow shows its due, retried and coming periods paused, with why', async () => {
    const scheduler = await start(scheduledFlow('hourly', { every: 'hour', start: '2026010100', retryDelayMs: 60_000 }));
    probe.failing.add('hourly 2026010100');
    await scheduler.tick(new Date('2026-01-01T01:00:00Z'));
    await scheduler.pause('hourly');
    const plan = await scheduler.plan('hourly', { limit: 3, now: new Date('2026-01-01T02:30:00Z') });
    expect(plan.map(({ timeperiod, status, reason }) => ({ timeperiod, status, reason }))).to.deep.equal([
      { timeperiod: '2026010100', status: 'paused', reason: 'retry; held: the schedule is paused (resume it to go on)' },
      { timeperiod: '2026010101', status: 'paused', reason: 'due; held: the schedule is paused (resume it to go on)' },
      { timeperiod: '2026010102', status: 'paused', reason: 'scheduled; held: the schedule is paused (resume it to go on)' },
    ]);
    // What the plan says is what a tick does: nothing starts.
    expect((await scheduler.tick(new Date('2026-01-01T02:30:00Z'))).triggered).to.deep.equal([]);
    await scheduler.resume('hourly');
    expect((await scheduler.plan('hourly', { limit: 1, now: new Date('2026-01-01T02:30:00Z') }))[0]).to.deep.include({ status: 'retry' });
  });

  it('pause and resume are kept in the database: a restarted scheduler on the same file stays paused', async () => {
    const db = tempSqlite();
    const flow = scheduledFlow('hourly', { every: 'hour', start: '2026010100' });
    probe = new SchedulerProbe();
    t = await createTestingApp({ flows: [flow], database: db.database, settings: { probe } });
    try {
      await t.app.scheduler().pause('hourly');
      await t.teardown();
      t = await createTestingApp({ flows: [flow], database: db.database, settings: { probe } });
      const scheduler = t.app.scheduler();
      expect(await scheduler.isPaused('hourly')).to.equal(true);
      const paused = await scheduler.tick(new Date('2026-01-01T03:00:00Z'));
      expect(paused.triggered).to.deep.equal([]);
      expect(paused.waiting).to.deep.equal([
        { flow: 'hourly', timeperiod: '2026010100', reason: 'paused', message: 'the flow is paused: resume it to go on' },
      ]);
      await scheduler.resume('hourly');
      expect(triggeredKeys(await scheduler.tick(new Date('2026-01-01T03:00:00Z')))).to.deep.equal(['hourly 2026010100']);
    } finally {
      await t.teardown();
      db.cleanup();
    }
  });

  it('refuses unknown flows, and ticks no more once stopped', async () => {
    probe = new SchedulerProbe();
    t = await createTestingApp({ flows: [scheduledFlow('hourly', { every: 'hour', start: '2026010100' })], settings: { probe } });
    const scheduler = t.app.scheduler();
    expect(await scheduler.pause('nope').catch((err: unknown) => err)).to.be.instanceOf(UnknownFlowError);
    await scheduler.stop();
    const stopped = await scheduler.tick().catch((err: unknown) => err);
    expect(stopped).to.be.instanceOf(SchedulerStoppedError);
    expect((stopped as Error).message).to.equal('cannot tick: this scheduler is stopped; take a new one with app.scheduler()');
  });
});
