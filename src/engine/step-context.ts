import type { Cluster } from '../clusters/cluster';
import type { Logger } from '../logging/logger';
import { ExecutionContext, type ExecutionContextInit } from './execution-context';

export interface StepContextInit extends ExecutionContextInit {
  stepName: string;
  attempt: number;
  logger: Logger;
  cluster: Cluster;
  signal: AbortSignal;
}

/**
 * What one execution (one attempt) of a step receives: as the argument of every action, or
 * injected (`constructor(ctx: StepContext)` or `@inject(STEP_CONTEXT)`).
 */
export class StepContext extends ExecutionContext {
  readonly stepName: string;
  readonly attempt: number;
  /** Writes to the step's log file. */
  readonly logger: Logger;
  /** The cluster this execution runs on; its commands log to this step and stop on `signal`. */
  readonly cluster: Cluster;
  /** Aborted when the step times out or the flow is cancelled: pass it to anything long-running. */
  readonly signal: AbortSignal;

  constructor(init: StepContextInit) {
    super(init);
    this.stepName = init.stepName;
    this.attempt = init.attempt;
    // Not enumerable: they are live objects, not data, and would drown a serialised context.
    for (const key of ['logger', 'cluster', 'signal'] as const) {
      Object.defineProperty(this, key, { value: init[key], enumerable: false });
    }
  }

  /** The same execution seen by one action: its own logger (`step.action` lines), cluster view and signal. */
  forAction(logger: Logger, cluster: Cluster, signal: AbortSignal): StepContext {
    return new StepContext({ ...this, credentials: this.credentials, logger, cluster, signal });
  }
}
