import { SynergyFlowError } from './synergy-flow.error';

/** Throw it (or a subclass) from an action to fail the step at once, without its retries. */
export class NonRetryableError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_NON_RETRYABLE';
}
