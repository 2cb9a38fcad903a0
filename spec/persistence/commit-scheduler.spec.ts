import { expect } from 'chai';
import { CommitScheduler } from '../../src/persistence/commit-scheduler';

/** A transaction the spec ends by hand: what ran, in order, and which run now. */
function harness(limit: number) {
  const scheduler = new CommitScheduler(() => limit);
  const log: string[] = [];
  const enders = new Map<string, () => void>();
  const schedule = (name: string, rows?: string[]) =>
    scheduler.run(rows && new Set(rows), () => {
      log.push(`start ${name}`);
      return new Promise<void>((resolve) => enders.set(name, resolve));
    });
  const end = async (name: string) => {
    enders.get(name)!();
    enders.delete(name);
    // The end, then the starts it lets happen (a few microtasks later).
    await new Promise((r) => setImmediate(r));
  };
  const running = () => [...enders.keys()];
  return { scheduler, log, schedule, end, running, settle: () => new Promise((r) => setImmediate(r)) };
}

/** CommitScheduler: when a StateWriter's transactions run (see its class comment). */
describe('persistence: CommitScheduler', () => {
  it('with a limit of 1 (SQLite) runs every transaction alone, in the order scheduled, rows or not', async () => {
    const h = harness(1);
    void h.schedule('a', ['step 1']);
    void h.schedule('b', ['step 2']);
    void h.schedule('c');
    await h.settle();
    expect(h.running()).to.deep.equal(['a']);
    await h.end('a');
    expect(h.running()).to.deep.equal(['b']);
    await h.end('b');
    expect(h.running()).to.deep.equal(['c']);
    await h.end('c');
    expect(h.log).to.deep.equal(['start a', 'start b', 'start c']);
  });

  it('runs transactions of disjoint rows at once, up to the limit; one that meets a row of a running or earlier waiting one waits', async () => {
    const h = harness(3);
    void h.schedule('a', ['step 1', 'attempt 1']);
    void h.schedule('b', ['step 1', 'step 2']); // meets a
    void h.schedule('c', ['step 2']); // meets b, still waiting: after b
    void h.schedule('d', ['step 3']);
    void h.schedule('e', ['step 4']);
    await h.settle();
    expect(h.running()).to.deep.equal(['a', 'd', 'e']);
    await h.end('d');
    // b still meets a; c meets b: the free slot stays free.
    expect(h.running()).to.deep.equal(['a', 'e']);
    await h.end('a');
    expect(h.running()).to.deep.equal(['e', 'b']);
    await h.end('b');
    expect(h.running()).to.deep.equal(['e', 'c']);
    expect(h.log).to.deep.equal(['start a', 'start d', 'start e', 'start b', 'start c']);
  });

  it('runs a transaction without rows alone: after every earlier one, before any later one; idle() waits for all', async () => {
    const h = harness(4);
    void h.schedule('a', ['step 1']);
    void h.schedule('b', ['step 2']);
    void h.schedule('code');
    void h.schedule('c', ['step 3']);
    await h.settle();
    expect(h.running()).to.deep.equal(['a', 'b']);
    let idle = false;
    void h.scheduler.idle().then(() => (idle = true));
    await h.end('b');
    expect(h.running()).to.deep.equal(['a']);
    await h.end('a');
    expect(h.running()).to.deep.equal(['code']);
    await h.end('code');
    expect(h.running()).to.deep.equal(['c']);
    expect(idle).to.equal(false);
    await h.end('c');
    expect(idle).to.equal(true);
  });

  it('passes a failure on to its caller, and goes on with the next', async () => {
    const scheduler = new CommitScheduler(() => 2);
    const failed = scheduler.run(new Set(['step 1']), () => Promise.reject(new Error('boom')));
    const next = scheduler.run(new Set(['step 1']), () => Promise.resolve('written'));
    expect(await failed.then(String, (err: Error) => err.message)).to.equal('boom');
    expect(await next).to.equal('written');
  });
});
