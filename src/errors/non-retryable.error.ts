import { SynergyFlowError } from './synergy-flow.error';

/** Throw it (or a subclass) from an action to fail the step at once, without its retries. */
export class NonRetryableError extends SynergyFlowError {}
