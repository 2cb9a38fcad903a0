/** Replaces every known secret in a text. */
export type Redactor = (text: string) => string;

export const REDACTED = '***';

/**
 * Builds a redactor for the given secret values (AWS keys, passwords from the options). Short
 * values are ignored: redacting "a" would mangle every line and protect nothing.
 */
export function createRedactor(secrets: Iterable<unknown>): Redactor {
  const values = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 6))];
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}

/** Collects the string leaves of a credentials object. */
export function secretValues(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) secretValues(v, out);
  return out;
}
