import { ViewerBusyError } from '../errors';
import type { ServeLimits } from './serve-options';

/** What a client refused for a full queue is told to wait: a log read takes about a second at most (a timeperiod's, back through 22 MiB). */
const RETRY_AFTER_SECONDS = 1;

/**
 * How many log reads the viewer does at once: each reads a log backwards from its end (the whole
 * of it, 22 MiB by default, for a timeperiod's lines fewer than asked), so any number of clients costs the engine's process at most `maxLogReads` of them.
 * Requests beyond wait in turn, up to `maxQueuedLogReads`; more are refused with ViewerBusyError
 * (503, Retry-After). A waiting request whose client goes leaves the queue.
 */
export class LogReadBudget {
  private reading = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limits: Pick<ServeLimits, 'maxLogReads' | 'maxQueuedLogReads'>) {}

  /** Runs `read` when its turn comes; rejects with the signal's reason if it aborts while waiting. */
  async run<T>(signal: AbortSignal, read: () => Promise<T>): Promise<T> {
    await this.turn(signal);
    try {
      return await read();
    } finally {
      this.release();
    }
  }

  private turn(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const { maxLogReads, maxQueuedLogReads } = this.limits;
    if (this.reading < maxLogReads) {
      this.reading++;
      return Promise.resolve();
    }
    if (this.waiting.length >= maxQueuedLogReads)
      throw new ViewerBusyError('log reads', `maxLogReads: ${maxLogReads}, maxQueuedLogReads: ${maxQueuedLogReads}`, RETRY_AFTER_SECONDS);
    return new Promise((resolve, reject) => {
      // the read that ends hands its place over: `reading` stays as it is
      const start = () => {
        signal.removeEventListener('abort', leave);
        resolve();
      };
      const leave = () => {
        const at = this.waiting.indexOf(start);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal.reason);
      };
      this.waiting.push(start);
      signal.addEventListener('abort', leave, { once: true });
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.reading--;
  }
}
