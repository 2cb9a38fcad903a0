/**
 * Tokens under which one step execution's values are registered in its child container, for
 * constructors that want them injected: `constructor(@inject(STEP_LOGGER) log: Logger)`.
 * (StepContext can also be injected by its class.)
 */
export const STEP_CONTEXT = Symbol.for('synergy-flow:StepContext');
/**
 * The step's {@link Logger} (its lines go to the step's log file).
 *
 * @example
 * ```ts
 * @Step()
 * class Extract {
 *   constructor(@inject(STEP_LOGGER) private readonly log: Logger) {}
 *   @Main() run() { this.log.info('extracting'); }
 * }
 * ```
 */
export const STEP_LOGGER = Symbol.for('synergy-flow:StepLogger');
/** The {@link Cluster} the step execution runs on. */
export const CLUSTER = Symbol.for('synergy-flow:Cluster');
/** The run's {@link ExecutionContext}: flow, timeperiod, run mode, settings. */
export const EXECUTION_CONTEXT = Symbol.for('synergy-flow:ExecutionContext');
