import { SynergyFlowError } from './synergy-flow.error';

/**
 * A scheduler was asked to tick or start after `stop()` (or after its application closed): a
 * stopped scheduler starts nothing more.
 *
 * @example
 * ```ts
 * const scheduler = app.scheduler();
 * await scheduler.stop();
 * await scheduler.tick(); // throws SchedulerStoppedError: take a new app.scheduler()
 * ```
 */
export class SchedulerStoppedError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_SCHEDULER_STOPPED';

  /** @param operation what was asked: `tick`, `start` */
  constructor(operation: string) {
    super(`cannot ${operation}: this scheduler is stopped; take a new one with app.scheduler()`);
  }
}
