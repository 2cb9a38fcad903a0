import { expect } from 'chai';
import type { TestingApp } from '../../src/testing';
import type { TriggeredRun } from '../../src';
import { scheduledApp, scheduledFlow } from './fixtures/scheduled-flows';

/** Waits until `check` holds, polling; fails naming `what` after 30 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * start() does not wait for its runs, so `onTick`'s report is written as they start: how each one
 * ended comes to `onRunEnd`, once its claim has recorded it (a program logs its failures there).
 */
describe('Scheduler.start: onRunEnd', () => {
  let t: TestingApp | undefined;
  afterEach(async () => {
    await t?.teardown();
    t = undefined;
  });

  it('hears each run it started end, with its result: a failed one and the retry that processed it', async () => {
    const started = await scheduledApp(scheduledFlow('hourly', { every: 'hour', start: '2025123123', retries: 1, retryDelayMs: 0 }));
    t = started.t;
    started.probe.failing.add('hourly 2025123123');
    const ended: TriggeredRun[] = [];
    started.scheduler.start({
      tickMs: 10,
      onRunEnd: (run) => {
        ended.push(run);
        // The retry processes it.
        started.probe.failing.clear();
      },
    });
    await until(() => ended.length === 2, 'the run and its retry to end');
    await started.scheduler.stop();
    expect(ended.map((run) => [run.timeperiod, run.mode, run.attempt, run.result?.state, run.result?.steps.work])).to.deep.equal([
      ['2025123123', 'run', 1, 'invalid', 'invalid'],
      ['2025123123', 'recover', 2, 'processed', 'processed'],
    ]);
    expect(ended[0].result?.runId).to.match(/^[0-9a-z]{14}$/);
  });

  it('a listener that throws costs a process warning, not the scheduler: stop() still resolves', async () => {
    const started = await scheduledApp(scheduledFlow('hourly', { every: 'hour', start: '2025123123' }));
    t = started.t;
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      started.scheduler.start({
        tickMs: 10,
        onRunEnd: () => {
          throw new Error('listener bug');
        },
      });
      await until(() => warnings.length > 0, 'the warning');
      await started.scheduler.stop();
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).to.deep.equal(['synergy-flow scheduler: onRunEnd threw: listener bug']);
  });

  it('refuses an onRunEnd that is not a function, naming it', async () => {
    const started = await scheduledApp(scheduledFlow('hourly', { every: 'hour', start: '2025123123' }));
    t = started.t;
    expect(() => started.scheduler.start({ onRunEnd: 'log' as never })).to.throw(/onRunEnd: must be a function/);
  });
});
