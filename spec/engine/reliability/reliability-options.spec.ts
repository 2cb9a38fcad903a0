import { expect } from 'chai';
import { Flow, FlowDefinitionError, Main, Step, type StepOptions, type Type } from '../../../src';
import { scanFlows } from '../../../src/metadata/flow-scanner';

/** A one-step flow whose step has these options (and a main action with these). */
function flowWith(stepOptions: StepOptions, mainOptions: { timeoutMs?: number } = {}): Type {
  class Load {
    run() {}
  }
  Main(mainOptions)(Load.prototype, 'run', Object.getOwnPropertyDescriptor(Load.prototype, 'run')!);
  Step({ name: 'load', ...stepOptions })(Load);
  class Nightly {}
  Flow({ name: 'nightly', steps: [Load] })(Nightly);
  return Nightly;
}

const rejection = (flow: Type) => {
  try {
    scanFlows([flow]);
  } catch (err) {
    expect(err).to.be.instanceOf(FlowDefinitionError);
    return (err as Error).message;
  }
  throw new Error('the flow was accepted');
};

describe('engine/reliability: retry and timeout options are checked at bootstrap', () => {
  it('accepts every valid combination', () => {
    const flow = flowWith(
      { retries: 3, retryDelayMs: 0, backoff: 'exponential', maxRetryDelayMs: 60_000, timeoutMs: 1, nonRetryableErrors: [TypeError] },
      { timeoutMs: 500 },
    );
    expect(scanFlows([flow]).get('nightly')!.steps.get('load')!.options).to.include({ retries: 3, backoff: 'exponential' });
  });

  it('says which option of which step is wrong, what it got and how to fix it', () => {
    expect(rejection(flowWith({ retries: -1 }))).to.equal(
      "flow 'nightly', step 'load': retries must be a whole number >= 0, got -1: fix @Step({ retries })",
    );
    expect(rejection(flowWith({ backoff: 'linear' as 'fixed' }))).to.equal(
      "flow 'nightly', step 'load': backoff must be 'fixed' or 'exponential', got 'linear': fix @Step({ backoff })",
    );
    expect(rejection(flowWith({ timeoutMs: 0 }))).to.equal(
      "flow 'nightly', step 'load': timeoutMs must be a number of milliseconds > 0, got 0: fix @Step({ timeoutMs }), or leave it out for no timeout",
    );
    expect(rejection(flowWith({}, { timeoutMs: -5 }))).to.equal(
      "flow 'nightly', step 'load': action 'run' (@Main): timeoutMs must be a number of milliseconds > 0, got -5: fix its options, or leave timeoutMs out for no timeout",
    );
    expect(rejection(flowWith({ nonRetryableErrors: ['TypeError'] as unknown as [] }))).to.match(
      /nonRetryableErrors must be an array of error classes, got \["TypeError"\]/,
    );
  });

  it('bounds every delay and timeout by 2^31 - 1 ms, the longest a timer waits (2^31 retried after a few ms)', () => {
    expect(rejection(flowWith({ retryDelayMs: 2 ** 31 }))).to.equal(
      "flow 'nightly', step 'load': retryDelayMs must be at most 2147483647 ms (2^31 - 1, the longest a timer can wait), got 2147483648: fix @Step({ retryDelayMs })",
    );
    expect(rejection(flowWith({ maxRetryDelayMs: 1e12 }))).to.match(
      /maxRetryDelayMs must be at most 2147483647 ms .*, got 1000000000000: fix @Step\(\{ maxRetryDelayMs \}\)$/,
    );
    expect(rejection(flowWith({ timeoutMs: 2 ** 31 }))).to.match(/timeoutMs must be at most 2147483647 ms/);
    expect(rejection(flowWith({}, { timeoutMs: 2 ** 40 }))).to.match(/action 'run' \(@Main\): timeoutMs must be at most 2147483647 ms/);
    expect(rejection(flowWith({ retryDelayMs: 1.5 }))).to.match(/retryDelayMs must be a whole number of milliseconds, got 1.5/);
    expect(rejection(flowWith({ retries: 1_000_000 }))).to.match(/retries must be at most 1000, got 1000000/);
    expect(
      scanFlows([flowWith({ retryDelayMs: 2 ** 31 - 1, timeoutMs: 2 ** 31 - 1 })])
        .get('nightly')!
        .steps.get('load')!.options,
    ).to.include({ retryDelayMs: 2 ** 31 - 1 });
  });

  it('names an unknown option and the one it most likely meant, and lists every problem of the step at once', () => {
    expect(rejection(flowWith({ retires: 3 } as StepOptions))).to.equal(
      "flow 'nightly', step 'load': 'retires' is not an option of @Step(): did you mean 'retries'?",
    );
    expect(rejection(flowWith({}, { timeout: 5 } as { timeoutMs?: number }))).to.equal(
      "flow 'nightly', step 'load': action 'run' (@Main): 'timeout' is not an option of @Main(): did you mean 'timeoutMs'?",
    );
    expect(rejection(flowWith({ retries: -1, skip: 'yes' as unknown as boolean }, { timeoutMs: 0 }))).to.equal(
      "flow 'nightly', step 'load': skip must be true or false, got 'yes': fix @Step({ skip }); retries must be a whole number >= 0, got -1: fix @Step({ retries }); " +
        "action 'run' (@Main): timeoutMs must be a number of milliseconds > 0, got 0: fix its options, or leave timeoutMs out for no timeout",
    );
  });
});
