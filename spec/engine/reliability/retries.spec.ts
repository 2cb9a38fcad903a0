import * as fs from 'node:fs';
import { expect } from 'chai';
import {
  DependsOn,
  Flow,
  FlowState,
  IdentityAction,
  Main,
  NonRetryableError,
  Step,
  StepState,
  type FlowEvent,
  type StepContext,
} from '../../../src';
import { createTestingApp, type TestingApp } from '../../../src/testing';

const TP = '2026112600';
/** How many times each step's main action was called, across attempts. */
const calls = new Map<string, number>();
const bump = (step: string) => {
  const n = (calls.get(step) ?? 0) + 1;
  calls.set(step, n);
  return n;
};

@Step({ name: 'flaky', retries: 3, retryDelayMs: 40, backoff: 'exponential' })
class Flaky {
  @Main() run() {
    const n = bump('flaky');
    if (n <= 2) throw new Error(`flaky failure ${n}`);
  }
}

@Step({ name: 'after_flaky' })
@DependsOn(Flaky)
@Main(IdentityAction)
class AfterFlaky {}

@Flow({ name: 'flaky_flow', steps: [Flaky, AfterFlaky] })
class FlakyFlow {}

@Step({ name: 'always_failing', retries: 2 })
class AlwaysFailing {
  @Main() run() {
    throw new Error(`always fails (${bump('always_failing')})`);
  }
}

@Flow({ name: 'exhausted_flow', steps: [AlwaysFailing] })
class ExhaustedFlow {}

class QuotaExceededError extends Error {}
class BadInputError extends NonRetryableError {}

@Step({ name: 'bad_input', retries: 5 })
class BadInput {
  @Main() run() {
    bump('bad_input');
    throw new BadInputError('the input file is empty: fix the upstream export');
  }
}

@Step({ name: 'quota', retries: 5, nonRetryableErrors: [QuotaExceededError] })
class Quota {
  @Main() run() {
    bump('quota');
    throw new QuotaExceededError('monthly quota exceeded');
  }
}

@Step({ name: 'type_error', retries: 1, nonRetryableErrors: [QuotaExceededError] })
class TypeErrorStep {
  @Main() run() {
    bump('type_error');
    throw new TypeError('not listed: retried');
  }
}

@Flow({ name: 'non_retryable_flow', steps: [BadInput, Quota, TypeErrorStep] })
class NonRetryableFlow {}

@Step({ name: 'slow_retry', retries: 1, retryDelayMs: 60_000 })
class SlowRetry {
  @Main() run() {
    throw new Error('fails, then waits a minute before its retry');
  }
}

@Flow({ name: 'slow_retry_flow', steps: [SlowRetry] })
class SlowRetryFlow {}

@Step({ name: 'observed', retries: 1 })
class Observed {
  static seen: Array<{ state: string; attempt: number; error: string | null }> = [];
  static app?: TestingApp;

  @Main() async run(ctx: StepContext) {
    // What the database says while this attempt runs.
    const { steps } = await Observed.app!.app.status(ctx.flowName, ctx.timeperiod);
    const row = steps.find((s) => s.stepName === 'observed')!;
    Observed.seen.push({ state: row.state, attempt: row.attempt, error: row.error });
    if (ctx.attempt === 1) throw new Error('first attempt fails');
  }
}

@Flow({ name: 'observed_flow', steps: [Observed] })
class ObservedFlow {}

const of = <T extends FlowEvent['type']>(events: FlowEvent[], type: T, step: string) =>
  events.filter((e): e is Extract<FlowEvent, { type: T }> => e.type === type && 'stepName' in e && e.stepName === step);

describe('engine/reliability: retries', () => {
  let t: TestingApp;

  beforeEach(async () => {
    calls.clear();
    t = await createTestingApp({ flows: [FlakyFlow, ExhaustedFlow, NonRetryableFlow, SlowRetryFlow, ObservedFlow] });
  });

  afterEach(() => t.teardown());

  it('retries a flaky step until it passes, persisting and emitting every attempt, with exponential backoff', async () => {
    const result = await t.app.run('flaky_flow', { timeperiod: TP });
    expect(result.state).to.equal(FlowState.PROCESSED);
    expect(calls.get('flaky')).to.equal(3);

    const { steps } = await t.app.status('flaky_flow', TP);
    const flaky = steps.find((s) => s.stepName === 'flaky')!;
    expect(flaky).to.include({ state: StepState.PROCESSED, attempt: 3, error: null });

    const starts = of(t.events, 'step', 'flaky').filter((e) => e.state === 'in_progress');
    expect(starts.map((e) => e.attempt)).to.deep.equal([1, 2, 3]);
    const retries = of(t.events, 'retry', 'flaky');
    expect(retries.map((e) => [e.attempt, e.delayMs, e.error])).to.deep.equal([
      [1, 40, 'Error: flaky failure 1'],
      [2, 80, 'Error: flaky failure 2'],
    ]);
    const actions = of(t.events, 'action', 'flaky').map((e) => `${e.attempt}:${e.state}`);
    expect(actions).to.deep.equal(['1:started', '1:failed', '2:started', '2:failed', '3:started', '3:completed']);

    // measured: the next attempt starts no earlier than the backoff delay after the failure, and not much later
    const failures = of(t.events, 'action', 'flaky').filter((e) => e.state === 'failed');
    for (const [i, delay] of [40, 80].entries()) {
      const waited = starts[i + 1].at - failures[i].at;
      expect(waited, `wait before attempt ${i + 2}`)
        .to.be.at.least(delay - 1)
        .and.below(delay + 1_000);
    }

    const log = fs.readFileSync(t.app.logs.stepLogFile('flaky_flow', 'flaky'), 'utf8');
    expect(log).to.match(/flaky WARN \[\S+\] attempt 1 failed, retrying in 40 ms: Error: flaky failure 1/);
    expect(log).to.match(/flaky WARN \[\S+\] attempt 2 failed, retrying in 80 ms: Error: flaky failure 2/);
    expect(log).to.match(/flaky INFO \[\S+\] attempt 3 started/);
  });

  it('persists the attempt number on the step row before the attempt runs', async () => {
    Observed.seen = [];
    Observed.app = t;
    await t.app.run('observed_flow', { timeperiod: TP });
    expect(Observed.seen).to.deep.equal([
      { state: StepState.IN_PROGRESS, attempt: 1, error: null },
      { state: StepState.IN_PROGRESS, attempt: 2, error: null },
    ]);
    const retry = of(t.events, 'retry', 'observed');
    expect(retry).to.have.length(1);
  });

  it('fails the step once its retries are exhausted: attempt = retries + 1, the last error kept', async () => {
    const result = await t.app.run('exhausted_flow', { timeperiod: TP });
    expect(result.state).to.equal(FlowState.INVALID);
    expect(calls.get('always_failing')).to.equal(3);
    const { steps } = await t.app.status('exhausted_flow', TP);
    expect(steps[0]).to.include({ state: StepState.INVALID, attempt: 3, error: 'Error: always fails (3)' });
    expect(of(t.events, 'retry', 'always_failing').map((e) => e.delayMs)).to.deep.equal([0, 0]);
  });

  it('fails at once on a NonRetryableError or an error class listed in nonRetryableErrors; retries the others', async () => {
    const result = await t.app.run('non_retryable_flow', { timeperiod: TP, failFast: false });
    expect(result.steps).to.deep.equal({ bad_input: StepState.INVALID, quota: StepState.INVALID, type_error: StepState.INVALID });
    expect(Object.fromEntries(calls)).to.deep.equal({ bad_input: 1, quota: 1, type_error: 2 });
    const { steps } = await t.app.status('non_retryable_flow', TP);
    const byName = Object.fromEntries(steps.map((s) => [s.stepName, s]));
    expect(byName.bad_input).to.include({ attempt: 1, error: 'BadInputError: the input file is empty: fix the upstream export' });
    expect(byName.quota).to.include({ attempt: 1 });
    expect(byName.type_error).to.include({ attempt: 2 });
    expect(t.events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.stepName)).to.deep.equal(['type_error']);
  });

  it('shows why the step waits during the backoff; a cancel then ends it canceled at once, without its retry', async () => {
    const running = t.app.run('slow_retry_flow', { timeperiod: TP });
    await new Promise<void>((resolve) => {
      const sub = t.app.events$.subscribe((e) => {
        if (e.type === 'retry') {
          sub.unsubscribe();
          resolve();
        }
      });
    });
    const waiting = (await t.app.status('slow_retry_flow', TP)).steps[0];
    expect(waiting).to.include({ state: StepState.IN_PROGRESS, attempt: 1, error: 'Error: fails, then waits a minute before its retry' });
    const cancelledAt = performance.now();
    t.app.cancel('slow_retry_flow', TP);
    const result = await running;
    // Far below the 60 s retry delay it would have waited, with room for a loaded machine.
    expect(performance.now() - cancelledAt).to.be.below(15_000);
    expect(result.state).to.equal(FlowState.INVALID);
    expect(result.steps.slow_retry).to.equal(StepState.CANCELED);
    const { steps } = await t.app.status('slow_retry_flow', TP);
    expect(steps[0].attempt).to.equal(1);
    expect(steps[0].error).to.match(/^FlowCancelledError: .*cancelled by app.cancel\(\)/);
  });
});
