import { expect } from 'chai';
import { FlowState, StepState } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { BadPreFlow, BranchesFlow, LongFlow, SkipFlow } from '../support/engine-flows';
import { startedSteps } from '../support/in-flight';

const TP = '2026112600';

describe('engine/scheduling: failures, skips and cancellation', () => {
  let t: TestingApp;

  beforeEach(async () => {
    t = await createTestingApp({ flows: [BranchesFlow, SkipFlow, BadPreFlow, LongFlow] });
  });

  afterEach(() => t.teardown());

  it('fail-fast (the default): a failed step stops new steps from starting', async () => {
    const result = await t.app.run('branches_flow', { timeperiod: TP, clusters: 1 });
    expect(result.state).to.equal(FlowState.INVALID);
    expect(result.steps).to.deep.equal({ bad: 'invalid', ok: 'embryo', after_ok: 'embryo', after_bad: 'embryo' });
    expect(startedSteps(t.events)).to.deep.equal(['bad']);
  });

  it('fail-fast lets steps that are already running finish', async () => {
    // two clusters: bad and ok start together; ok is running when bad fails
    const result = await t.app.run('branches_flow', { timeperiod: TP, clusters: 2 });
    expect(result.steps).to.include({ bad: 'invalid', ok: 'processed', after_ok: 'embryo', after_bad: 'embryo' });
  });

  it('failFast: false keeps running the branches that do not depend on the failure', async () => {
    const result = await t.app.run('branches_flow', { timeperiod: TP, clusters: 1, failFast: false });
    expect(result.state).to.equal(FlowState.INVALID);
    expect(result.steps).to.deep.equal({ bad: 'invalid', ok: 'processed', after_ok: 'processed', after_bad: 'embryo' });
  });

  it('a skipped step is noop and its dependents run; a skipped action is not run', async () => {
    const result = await t.app.run('skip_flow', { timeperiod: TP });
    expect(result.state).to.equal(FlowState.PROCESSED);
    expect(result.steps).to.deep.equal({ skipped_step: StepState.NOOP, after_skip: StepState.PROCESSED });
    const actions = t.events
      .filter((e) => e.type === 'action')
      .map((e) => e.type === 'action' && `${e.stepName}.${e.actionName}:${e.state}`);
    expect(actions).to.deep.equal([
      'after_skip.FailureAction:skipped',
      'after_skip.run:started',
      'after_skip.run:completed',
      'after_skip.never:skipped',
    ]);
  });

  it('a failing pre action stops the step: main and post do not run, the step is invalid', async () => {
    const result = await t.app.run('bad_pre_flow', { timeperiod: TP });
    expect(result.steps.bad_pre).to.equal(StepState.INVALID);
    const actions = t.events.filter((e) => e.type === 'action').map((e) => e.type === 'action' && `${e.actionName}:${e.state}`);
    expect(actions).to.deep.equal(['FailureAction:started', 'FailureAction:failed']);
    const { steps } = await t.app.status('bad_pre_flow', TP);
    expect(steps[0].error).to.equal('Error: pre failed');
  });

  it('app.cancel aborts the running steps: they end canceled, nothing new starts, the flow is invalid', async () => {
    const running = t.app.run('long_flow', { timeperiod: TP });
    await new Promise<void>((resolve) => {
      const sub = t.app.events$.subscribe((e) => {
        if (e.type === 'action' && e.state === 'started') {
          sub.unsubscribe();
          resolve();
        }
      });
    });
    const started = performance.now();
    expect(t.app.cancel('long_flow', TP)).to.equal(true);
    const result = await running;
    expect(performance.now() - started).to.be.lessThan(5_000);
    expect(result.state).to.equal(FlowState.INVALID);
    expect(result.steps).to.deep.equal({ long: StepState.CANCELED, after_long: StepState.EMBRYO });
    expect(result.error).to.include('FlowCancelledError');
    expect(t.app.cancel('long_flow', TP)).to.equal(false);
  });

  it('an AbortSignal in the run options cancels like app.cancel', async () => {
    const controller = new AbortController();
    // Aborted once the step runs (not after a fixed delay, which a slow set-up outlasts under load).
    const sub = t.app.events$.subscribe((e) => {
      if (e.type === 'action' && e.state === 'started') {
        sub.unsubscribe();
        controller.abort();
      }
    });
    const running = t.app.run('long_flow', { timeperiod: TP, signal: controller.signal });
    const result = await running;
    expect(result.steps.long).to.equal(StepState.CANCELED);
    expect(result.state).to.equal(FlowState.INVALID);
  });
});
