import { z } from 'zod';
import { MAX_TIMER_MS } from '../config/max-timer-ms';
import { describeInput } from '../config/whole-number.schema';
import { MAX_RETRIES } from './step-options.quick-check';

/** A count, whose message reads `retries must be a whole number >= 0, got -1` (the scanner adds the fix). */
function count(field: string, max: number): z.ZodNumber {
  return z
    .number({
      error: (issue) =>
        `${field} must be ${codeOf(issue) === 'too_big' ? `at most ${max}` : 'a whole number >= 0'}, got ${describeInput(issue.input)}`,
    })
    .int()
    .min(0)
    .max(max);
}

/** Milliseconds that become a timer: > 0 (a timeout) or >= 0 (a delay), and at most 2^31 - 1. */
export function milliseconds(field: string, min: 0 | 1): z.ZodNumber {
  return z
    .number({
      error: (issue) => {
        const rule =
          codeOf(issue) === 'too_big'
            ? `at most ${MAX_TIMER_MS} ms (2^31 - 1, the longest a timer can wait)`
            : issue.code === 'invalid_type' && issue.expected === 'int'
              ? 'a whole number of milliseconds'
              : `a number of milliseconds ${min === 0 ? '>= 0' : '> 0'}`;
        return `${field} must be ${rule}, got ${describeInput(issue.input)}`;
      },
    })
    .int()
    .min(min)
    .max(MAX_TIMER_MS);
}

/** A schema's error function also gets the issues of its checks (`.min`, `.max`), typed narrower than they are. */
function codeOf(issue: { code?: string }): string | undefined {
  return issue.code;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** `@Step({ ... })`: checked when the flow is scanned (at bootstrap), into a FlowDefinitionError. */
export const stepOptionsSchema = z.strictObject({
  /** Defaults to the class name. */
  name: z.string({ error: (issue) => `name must be a string, got ${describeInput(issue.input)}` }).optional(),
  /** The step is not run; it is recorded as `noop` and its dependents proceed. */
  skip: z.boolean({ error: (issue) => `skip must be true or false, got ${describeInput(issue.input)}` }).optional(),
  /** How many times a failed attempt is retried (0 = no retry, at most 1000). */
  retries: count('retries', MAX_RETRIES).optional(),
  /** Delay before the first retry, in ms (at most 2^31 - 1). Default 0. */
  retryDelayMs: milliseconds('retryDelayMs', 0).optional(),
  /** `exponential` doubles the delay at each retry, up to `maxRetryDelayMs`. Default `fixed`. */
  backoff: z
    .enum(['fixed', 'exponential'], { error: (issue) => `backoff must be 'fixed' or 'exponential', got ${describeInput(issue.input)}` })
    .optional(),
  /** The longest delay between two retries, in ms (at most 2^31 - 1). */
  maxRetryDelayMs: milliseconds('maxRetryDelayMs', 0).optional(),
  /** Error classes that fail the step at once, without retrying (NonRetryableError always does). */
  nonRetryableErrors: z
    .custom<ErrorClass[]>((value) => Array.isArray(value) && value.every((type) => typeof type === 'function'), {
      error: (issue) => `nonRetryableErrors must be an array of error classes, got ${describeInput(issue.input)}`,
    })
    .optional(),
  /** Budget of one attempt (pre + main + post), in ms; on expiry ctx.signal aborts and the attempt fails. */
  timeoutMs: milliseconds('timeoutMs', 1).optional(),
  description: z.string({ error: (issue) => `description must be a string, got ${describeInput(issue.input)}` }).optional(),
});

/** `@Pre/@Main/@Post(..., { ... })`: checked with the step's options. */
export const actionOptionsSchema = z.strictObject({
  /** Name in logs and events; defaults to the method or action class name. */
  name: z
    .string({ error: (issue) => `name must be a string, got ${describeInput(issue.input)}` })
    .min(1)
    .optional(),
  /** The action is not run (logged as skipped). */
  skip: z.boolean({ error: (issue) => `skip must be true or false, got ${describeInput(issue.input)}` }).optional(),
  /** Budget of this action alone, in ms (at most 2^31 - 1). */
  timeoutMs: milliseconds('timeoutMs', 1).optional(),
});
