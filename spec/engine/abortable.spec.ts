import { expect } from 'chai';
import { onAbort, timeoutController } from '../../src/engine/abortable';

/** Waits for process.nextTick callbacks and the uncaught exceptions they throw. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('engine: watching a signal for its abort (onAbort)', () => {
  it('calls the watchers still watching, once, in the order they started watching', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    onAbort(controller.signal, () => calls.push('a'));
    const unwatchB = onAbort(controller.signal, () => calls.push('b'));
    onAbort(controller.signal, () => calls.push('c'));
    unwatchB();
    controller.abort();
    controller.abort();
    expect(calls).to.deep.equal(['a', 'c']);
  });

  it('calls a watcher of an already aborted signal at once', () => {
    const controller = new AbortController();
    controller.abort();
    let called = 0;
    onAbort(controller.signal, () => called++);
    expect(called).to.equal(1);
  });

  it('a watcher that throws does not keep the others from running, and its error is reported as uncaught', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const uncaught: unknown[] = [];
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', (err) => uncaught.push(err));
    try {
      onAbort(controller.signal, () => {
        throw new Error('boom');
      });
      onAbort(controller.signal, () => calls.push('after'));
      controller.abort();
      await nextTurn();
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const listener of listeners) process.on('uncaughtException', listener);
    }
    expect(calls).to.deep.equal(['after']);
    expect(uncaught.map((e) => (e as Error).message)).to.deep.equal(['boom']);
  });

  it('timeoutController: aborts with the parent, with its own reason on time, and neither once cleared', async () => {
    const parent = new AbortController();
    const child = timeoutController(parent.signal, 60_000, () => new Error('timed out'));
    parent.abort(new Error('cancelled'));
    expect((child.signal.reason as Error).message).to.equal('cancelled');

    const quick = timeoutController(new AbortController().signal, 5, () => new Error('timed out'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((quick.signal.reason as Error).message).to.equal('timed out');

    const other = new AbortController();
    const cleared = timeoutController(other.signal, 5, () => new Error('timed out'));
    cleared.clear();
    other.abort();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(cleared.signal.aborted).to.equal(false);
  });
});
