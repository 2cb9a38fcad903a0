import { expect } from 'chai';
import { ClusterError, NonRetryableError, StepTimeoutError } from '../../../src';
import { isRetryable, retryDelay } from '../../../src/engine/retry-policy';

describe('engine/reliability: retry policy', () => {
  it('waits retryDelayMs before every retry with fixed backoff (the default)', () => {
    expect([1, 2, 3].map((n) => retryDelay({ retries: 3, retryDelayMs: 200 }, n))).to.deep.equal([200, 200, 200]);
    expect(retryDelay({ retries: 1 }, 1)).to.equal(0);
  });

  it('doubles the delay with exponential backoff, capped by maxRetryDelayMs', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay({ retryDelayMs: 100, backoff: 'exponential' }, n))).to.deep.equal([
      100, 200, 400, 800, 1600,
    ]);
    expect([1, 2, 3, 4].map((n) => retryDelay({ retryDelayMs: 100, backoff: 'exponential', maxRetryDelayMs: 300 }, n))).to.deep.equal([
      100, 200, 300, 300,
    ]);
  });

  it('never grows an exponential delay past 2^31 - 1 ms, which a timer would fire at once', () => {
    // retries is at most 1000: 2^999 ms without a cap, and the 32nd retry of 1 ms already overflows.
    expect(retryDelay({ retryDelayMs: 1, backoff: 'exponential' }, 33)).to.equal(2 ** 31 - 1);
    expect(retryDelay({ retryDelayMs: 2 ** 30, backoff: 'exponential' }, 1000)).to.equal(2 ** 31 - 1);
  });

  it('retries any failure but NonRetryableError (and its subclasses) and the classes the step lists', () => {
    class BadInput extends NonRetryableError {}
    class QuotaExceeded extends Error {}
    expect(isRetryable(new Error('flaky'), {})).to.equal(true);
    expect(isRetryable(new StepTimeoutError('s', 10), {})).to.equal(true);
    expect(isRetryable(new NonRetryableError('no'), {})).to.equal(false);
    expect(isRetryable(new BadInput('no'), {})).to.equal(false);
    expect(isRetryable(new QuotaExceeded('quota'), { nonRetryableErrors: [QuotaExceeded] })).to.equal(false);
    expect(isRetryable(new ClusterError('exit 1'), { nonRetryableErrors: [QuotaExceeded] })).to.equal(true);
  });
});
