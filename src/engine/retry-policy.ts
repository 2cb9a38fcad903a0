import type { StepOptions } from '../../decorators/types';
import { MAX_TIMER_MS } from '../config/max-timer-ms';
import { NonRetryableError } from '../errors/non-retryable.error';

/** Delay before retry number `retry` (1-based), per the step's backoff options. */
export function retryDelay(options: StepOptions, retry: number): number {
  const base = options.retryDelayMs ?? 0;
  const delay = options.backoff === 'exponential' ? base * 2 ** (retry - 1) : base;
  // A timer fires at once past MAX_TIMER_MS: a long exponential backoff must stop growing there.
  return Math.min(delay, options.maxRetryDelayMs ?? MAX_TIMER_MS, MAX_TIMER_MS);
}

/** A failure is retried unless it says it must not be, or its class is listed as non-retryable. */
export function isRetryable(err: unknown, options: StepOptions): boolean {
  if (err instanceof NonRetryableError) return false;
  return !(options.nonRetryableErrors ?? []).some((type) => err instanceof type);
}
