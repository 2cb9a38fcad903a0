import { expect } from 'chai';
import type { FlowRunResult, RunOptions } from '../../src';
import type { TestingApp } from '../../src/testing';
import { scheduledApp, scheduledFlow, type SchedulerProbe } from './fixtures/scheduled-flows';

/**
 * A tick decides from the period's state, claims it, checks the state once more with the claim, and
 * only then does the run take the period's lease: another engine (a run by hand, a backfill) can run
 * the period in that window. A full run would then purge the processed steps' records and run them
 * again; the scheduler's run checks the state it decided from under its lease instead.
 */
describe('Scheduler: a period another engine runs between the claim and the run', () => {
  let t: TestingApp;
  let probe: SchedulerProbe;
  afterEach(async () => t?.teardown());

  it('is not run again: its steps ran once, its history has the other run only, the tick reports why', async () => {
    const made = await scheduledApp(scheduledFlow('hourly', { every: 'hour', start: '2026010100' }));
    ({ t, probe } = made);
    const run = t.app.run.bind(t.app);
    // The other engine's whole run fits in the window: after the claim, before the scheduler's run holds the lease.
    t.app.run = async (flow: string, options: RunOptions): Promise<FlowRunResult> => {
      if (options.trigger === 'scheduler') expect((await run(flow, { timeperiod: options.timeperiod })).state).to.equal('processed');
      return run(flow, options);
    };

    const report = await made.scheduler.tick(new Date('2026-01-01T01:30:00Z'));

    expect(report.triggered).to.have.length(1);
    expect(report.triggered[0]).to.include({ timeperiod: '2026010100', mode: 'run', attempt: 1 });
    expect(report.triggered[0].result).to.equal(undefined);
    expect(report.triggered[0].error).to.match(/is processed, but the run expected it had never run: another engine ran it/);
    expect(probe.started, 'the step ran once').to.deep.equal(['hourly 2026010100']);
    const history = await t.app.history('hourly', { timeperiod: '2026010100' });
    expect(history.map((r) => [r.trigger, r.state])).to.deep.equal([['api', 'processed']]);
    // Done for the next tick: nothing more to start for that period.
    expect((await made.scheduler.tick(new Date('2026-01-01T01:40:00Z'))).triggered).to.deep.equal([]);
  });
});
