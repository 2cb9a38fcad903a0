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
    // Plain fields, not defineProperty: a context is built per attempt and per action, on the hot
    // path. toJSON (and so inspect) lists the data fields only, so these live objects stay out.
    this.logger = init.logger;
    this.cluster = init.cluster;
    this.signal = init.signal;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), stepName: this.stepName, attempt: this.attempt };
  }

  /** The same execution seen by one action: its own logger (`step.action` lines), cluster view and signal. */
  forAction(logger: Logger, cluster: Cluster, signal: AbortSignal): StepContext {
    return new StepContext({ ...this.executionInit(), stepName: this.stepName, attempt: this.attempt, logger, cluster, signal });
  }
}
