import { REDACTED } from '../logging/redaction';

/** What a function argument shows as: its value exists only once a step runs. */
export const COMPUTED_ARGS = '(computed from the step context when the step runs)';

/** Keys whose values are credentials whatever they hold: shown as `***`. */
const SECRET_KEY = /pass(word|phrase)?|secret|token|credential|api[-_]?key|private[-_]?key|access[-_]?key|session|authorization|^auth$/i;
const MAX_DEPTH = 6;

/**
 * An action class's arguments as the step panel lists them (the original viewer's tooltip):
 * plain data as given, values under credential-like keys replaced by `***`, functions named for
 * what they are. The API's redaction hook then removes every secret the application knows from
 * whatever strings are left.
 */
export function presentActionArgs(args: unknown): unknown {
  if (args === undefined) return null;
  if (typeof args === 'function') return COMPUTED_ARGS;
  return plain(args, 0);
}

function plain(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return COMPUTED_ARGS;
  if (typeof value !== 'object') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (depth >= MAX_DEPTH) return '(nested too deep to show)';
  if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) && item !== undefined ? REDACTED : plain(item, depth + 1)]),
  );
}
