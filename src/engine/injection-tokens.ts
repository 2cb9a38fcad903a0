/**
 * Tokens under which one step execution's values are registered in its child container, for
 * constructors that want them injected: `constructor(@inject(STEP_LOGGER) log: Logger)`.
 * (StepContext can also be injected by its class.)
 */
export const STEP_CONTEXT = Symbol.for('synergy-flow:StepContext');
export const STEP_LOGGER = Symbol.for('synergy-flow:StepLogger');
export const CLUSTER = Symbol.for('synergy-flow:Cluster');
export const EXECUTION_CONTEXT = Symbol.for('synergy-flow:ExecutionContext');
