import { MAX_TIMER_MS } from '../config/max-timer-ms';
import {
  isBoolean,
  isFunctionArray,
  isNonEmptyString,
  isOneOf,
  isStrictObject,
  isString,
  isWholeNumber,
  type QuickCheck,
} from '../config/quick-check';

/** The most retries a step may ask for: beyond it, a retry loop is a typo, not a policy. */
export const MAX_RETRIES = 1000;

/**
 * `@Step({ ... })` options that step-options.schema.ts certainly accepts, told without loading zod
 * (config/quick-check.ts): a flow of valid steps is scanned without it.
 */
export const certainStepOptions: QuickCheck = isStrictObject({
  name: isString,
  skip: isBoolean,
  retries: isWholeNumber(0, MAX_RETRIES),
  retryDelayMs: isWholeNumber(0, MAX_TIMER_MS),
  backoff: isOneOf('fixed', 'exponential'),
  maxRetryDelayMs: isWholeNumber(0, MAX_TIMER_MS),
  nonRetryableErrors: isFunctionArray,
  timeoutMs: isWholeNumber(1, MAX_TIMER_MS),
  description: isString,
});

/** `@Pre/@Main/@Post(..., { ... })` options that the action options' schema certainly accepts. */
export const certainActionOptions: QuickCheck = isStrictObject({
  name: isNonEmptyString,
  skip: isBoolean,
  timeoutMs: isWholeNumber(1, MAX_TIMER_MS),
});
