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
  // Private fields behind getters: live objects, not data, they would drown a serialised context,
  // so they are not own enumerable properties (Object.defineProperty did the same, far slower per context).
  readonly #logger: Logger;
  readonly #cluster: Cluster;
  readonly #signal: AbortSignal;

  constructor(init: StepContextInit) {
    super(init);
    this.stepName = init.stepName;
    this.attempt = init.attempt;
    this.#logger = init.logger;
    this.#cluster = init.cluster;
    this.#signal = init.signal;
  }

  /** Writes to the step's log file. */
  get logger(): Logger {
    return this.#logger;
  }

  /** The cluster this execution runs on; its commands log to this step and stop on `signal`. */
  get cluster(): Cluster {
    return this.#cluster;
  }

  /** Aborted when the step times out or the flow is cancelled: pass it to anything long-running. */
  get signal(): AbortSignal {
    return this.#signal;
  }

  /**
   * A step's context on top of an execution's. The execution's fields are named one by one, not
   * spread: a spread of a class instance is slow, and misses the getters. A field added to
   * ExecutionContextInit must be added here too.
   */
  static of(
    execution: ExecutionContextInit,
    step: Pick<StepContextInit, 'stepName' | 'attempt' | 'logger' | 'cluster' | 'signal'>,
  ): StepContext {
    return new StepContext({
      flowName: execution.flowName,
      timeperiod: execution.timeperiod,
      runId: execution.runId,
      startTimeperiod: execution.startTimeperiod,
      endTimeperiod: execution.endTimeperiod,
      runMode: execution.runMode,
      settings: execution.settings,
      credentials: execution.credentials,
      stepName: step.stepName,
      attempt: step.attempt,
      logger: step.logger,
      cluster: step.cluster,
      signal: step.signal,
    });
  }

  /** The same execution seen by one action: its own logger (`step.action` lines), cluster view and signal. */
  forAction(logger: Logger, cluster: Cluster, signal: AbortSignal): StepContext {
    return StepContext.of(this, { stepName: this.stepName, attempt: this.attempt, logger, cluster, signal });
  }
}
