import { abortReason, onAbort } from './abortable';

/**
 * The deadline of aborted work: `graceMs` after `watched` aborts (a timeout, a cancel), by which
 * the work must have wound down (a killed process reaped, an EMR step cancelled). Work raced
 * against it settles as the work does, or is abandoned with the abort's reason once it passes.
 *
 * One per attempt, and one more per action with a timeout of its own. It costs one watcher of the
 * watched signal (see onAbort); its promise and its AbortSignal are made only when something asks
 * for them. An AbortController and listeners for every action were an eighth of a no-op step's cost.
 *
 * Its timer is not unref'd on purpose: a hung action holds no handle of its own, and the process
 * must stay alive until the grace period gives up on it.
 */
export class GraceDeadline {
  private timer: NodeJS.Timeout | undefined;
  private hasPassed = false;
  private controller: AbortController | undefined;
  private expiry: { promise: Promise<never>; reject: (reason: Error) => void } | undefined;
  private readonly unwatch: () => void;

  constructor(
    readonly watched: AbortSignal,
    private readonly graceMs: number,
  ) {
    this.unwatch = onAbort(watched, () => {
      this.timer = setTimeout(() => this.pass(), this.graceMs);
    });
  }

  /** True once the grace period after the abort has run out. */
  get passed(): boolean {
    return this.hasPassed;
  }

  /** Aborts, with the watched signal's reason, when the deadline passes: for work that takes a signal. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.hasPassed) this.controller.abort(this.watched.reason);
    }
    return this.controller.signal;
  }

  /** Settles as `work` does, or rejects with the watched signal's reason once the deadline passes. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.hasPassed) {
      work.catch(() => undefined);
      return Promise.reject(abortReason(this.watched));
    }
    if (!this.expiry) {
      let reject!: (reason: Error) => void;
      const promise = new Promise<never>((_, r) => (reject = r));
      promise.catch(() => undefined); // nobody may be racing it when it passes
      this.expiry = { promise, reject };
    }
    return Promise.race([work, this.expiry.promise]);
  }

  /**
   * Awaits `work` within the deadline. Once the watched signal has aborted it rejects with that
   * reason (StepTimeoutError, FlowCancelledError), which says more than the work's own "aborted"
   * error; work that completed all the same resolves.
   */
  async settle<T>(work: Promise<T>): Promise<T> {
    try {
      return await this.race(work);
    } catch (err) {
      throw this.watched.aborted ? abortReason(this.watched) : err;
    }
  }

  /** Stops watching: the work is over. */
  clear(): void {
    clearTimeout(this.timer);
    this.unwatch();
  }

  private pass(): void {
    this.hasPassed = true;
    this.controller?.abort(this.watched.reason);
    this.expiry?.reject(abortReason(this.watched));
  }
}
