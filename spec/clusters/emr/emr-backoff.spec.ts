import { expect } from 'chai';
import { backoffDelay, sleep } from '../../../src/clusters/emr/emr-backoff';

describe('EMR polling backoff', () => {
  it('starts at the poll interval, grows by half each poll, and stops at four intervals', () => {
    const middle = () => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(1000, n, middle))).to.deep.equal([1000, 1500, 2250, 3375, 4000, 4000]);
  });

  it('jitters by at most 10%', () => {
    expect(backoffDelay(1000, 0, () => 0)).to.equal(900);
    expect(backoffDelay(1000, 0, () => 1)).to.equal(1100);
  });

  it('sleeps until aborted, then rejects with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('step timed out');
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 10);
    const err = await sleep(600_000, controller.signal).catch((e: unknown) => e);
    expect(err).to.equal(reason);
    // Far below the 10 minutes it would have slept, with room for a loaded machine.
    expect(Date.now() - started).to.be.lessThan(15_000);
  });
});
