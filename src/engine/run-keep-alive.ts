/** Longest delay a Node timer takes; the timer never needs to fire, only to exist. */
const FOREVER_MS = 2 ** 31 - 1;

/**
 * Keeps the process alive for exactly as long as any flow run is in flight. A step whose promise
 * never settles holds no handle of its own, and the lease heartbeat is unref'd (it must not keep
 * an idle process alive), so without this the event loop would empty mid-run: the process would
 * exit 0 with no result, its flow and step left in_progress and its lease row left behind. Held,
 * a signal (SIGINT/SIGTERM) is what ends such a run, with its states recorded.
 */
export class RunKeepAlive {
  private runs = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Holds the process alive until the returned function is called (once per hold). */
  hold(): () => void {
    if (this.runs++ === 0) this.timer = setInterval(() => undefined, FOREVER_MS);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.runs === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }
}

/** One per process: runs of every application hold it. */
export const runKeepAlive = new RunKeepAlive();
