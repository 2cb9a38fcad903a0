import { z } from 'zod';
import { MAX_TIMER_MS } from './max-timer-ms';

/**
 * A whole number within bounds, whose one message states the whole rule and what was given, so
 * `count: 0`, `count: 2.5` and `count: '2'` all tell the user the same range.
 *
 * @param unit e.g. ' of milliseconds'
 */
export function wholeNumber(min: number, max: number, unit = ''): z.ZodNumber {
  return z
    .number({ error: (issue) => `must be a whole number${unit} from ${min} to ${describeLimit(max)}, got ${describeInput(issue.input)}` })
    .int()
    .min(min)
    .max(max);
}

/** Milliseconds that become a timer: at most MAX_TIMER_MS. */
export function timerMs(min: number): z.ZodNumber {
  return wholeNumber(min, MAX_TIMER_MS, ' of milliseconds');
}

function describeLimit(max: number): string {
  return max === MAX_TIMER_MS ? `${max} (2^31 - 1, the longest a timer can wait)` : String(max);
}

/** The value as the user wrote it (numbers as numbers, so NaN and Infinity show as such). */
export function describeInput(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return value.name || 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
