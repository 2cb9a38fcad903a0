import { SynergyFlowError } from './synergy-flow.error';

/**
 * The viewer is already doing as much of a costly kind of work (reading logs) as it may at once,
 * with as many requests waiting: it answers 503 with `Retry-After` rather than take from the runs
 * in its process the memory and time more would cost.
 */
export class ViewerBusyError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_VIEWER_BUSY';

  /**
   * @param what the work refused, e.g. "log reads"
   * @param limits the limits reached, named as in serve({ limits }), e.g. "maxLogReads: 2, maxQueuedLogReads: 16"
   * @param retryAfterSeconds when to ask again (the `Retry-After` header)
   */
  constructor(
    what: string,
    limits: string,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `the viewer is busy: it does ${what} a few at a time so that the runs in its process keep their memory and time, ` +
        `and as many are waiting already (limits ${limits}); try again in ${retryAfterSeconds} s`,
    );
  }
}
