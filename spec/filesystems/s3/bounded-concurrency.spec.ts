import { expect } from 'chai';
import { forEachConcurrently } from '../../../src/filesystems/s3/bounded-concurrency';

describe('forEachConcurrently', () => {
  const tick = () => new Promise((r) => setTimeout(r, 1));

  it('never has more than `limit` calls in flight, and runs every item', async () => {
    let inFlight = 0;
    let highWater = 0;
    const done: number[] = [];
    await forEachConcurrently(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (i) => {
        inFlight++;
        highWater = Math.max(highWater, inFlight);
        await tick();
        inFlight--;
        done.push(i);
      },
    );
    expect(highWater).to.equal(3);
    expect(done.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i));
  });

  it('stops taking items after a failure, waits for the calls in flight, and rethrows the failure', async () => {
    const started: number[] = [];
    let settled = 0;
    async function* items() {
      for (let i = 0; i < 100; i++) yield i;
    }
    const err = await forEachConcurrently(items(), 2, async (i) => {
      started.push(i);
      await tick();
      settled++;
      if (i === 3) throw new Error('boom');
    }).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('boom');
    expect(started.length).to.be.lessThan(10);
    expect(settled).to.equal(started.length);
  });
});
