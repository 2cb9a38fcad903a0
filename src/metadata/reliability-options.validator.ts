import type { StepOptions } from '../../decorators/types';
import { FlowDefinitionError } from '../errors';
import type { ActionDefinition } from './flow-definition';

/**
 * Checks a step's retry and timeout options and its actions' timeouts. A typo here would not fail
 * anything at run time, it would silently mean "never retry" or "never time out".
 */
export function validateReliabilityOptions(where: string, options: StepOptions, actions: readonly ActionDefinition[]): void {
  const fail = (what: string, got: unknown, fix: string) => {
    throw new FlowDefinitionError(`${where}: ${what}, got ${describe(got)}: ${fix}`);
  };
  const { retries, retryDelayMs, maxRetryDelayMs, backoff, timeoutMs, nonRetryableErrors } = options;
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) fail('retries must be a whole number >= 0', retries, 'fix @Step({ retries })');
  if (retryDelayMs !== undefined && !isDuration(retryDelayMs)) fail('retryDelayMs must be a number of milliseconds >= 0', retryDelayMs, 'fix @Step({ retryDelayMs })');
  if (maxRetryDelayMs !== undefined && !isDuration(maxRetryDelayMs)) fail('maxRetryDelayMs must be a number of milliseconds >= 0', maxRetryDelayMs, 'fix @Step({ maxRetryDelayMs })');
  if (backoff !== undefined && backoff !== 'fixed' && backoff !== 'exponential') fail(`backoff must be 'fixed' or 'exponential'`, backoff, 'fix @Step({ backoff })');
  if (timeoutMs !== undefined && !isTimeout(timeoutMs)) fail('timeoutMs must be a number of milliseconds > 0', timeoutMs, 'fix @Step({ timeoutMs }), or leave it out for no timeout');
  if (nonRetryableErrors !== undefined && !(Array.isArray(nonRetryableErrors) && nonRetryableErrors.every((type) => typeof type === 'function'))) {
    fail('nonRetryableErrors must be an array of error classes', nonRetryableErrors, 'list the classes themselves, e.g. @Step({ nonRetryableErrors: [TypeError] })');
  }
  for (const action of actions) {
    const ms = action.options.timeoutMs;
    if (ms !== undefined && !isTimeout(ms)) {
      fail(`action '${action.name}' (@${capitalize(action.phase)}): timeoutMs must be a number of milliseconds > 0`, ms, 'fix its options, or leave timeoutMs out for no timeout');
    }
  }
}

function isDuration(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isTimeout(value: unknown): boolean {
  // setTimeout cannot wait longer than 2^31 - 1 ms: it would fire at once.
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 2 ** 31 - 1;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return value.name || 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function capitalize(phase: string): string {
  return phase.charAt(0).toUpperCase() + phase.slice(1);
}
