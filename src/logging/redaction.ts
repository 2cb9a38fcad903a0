import { REDACTED, SUBSTRING_SECRET_LENGTH } from './redaction-rules';
import { encodedForms } from './secret-forms';
import { secretFragmentMasker } from './secret-fragments';

/** Replaces every known secret in a text, and what a cut left of one (see cut-marks.ts). */
export type Redactor = (text: string) => string;

export { REDACTED, SUBSTRING_SECRET_LENGTH } from './redaction-rules';

/**
 * Builds a redactor for the given secret values (AWS keys, passwords from the options), of any
 * length, in the forms a secret travels in (as is, JSON-escaped, URL-encoded, base64: see
 * encodedForms), and masks the piece of one left next to a cut mark. Give the base64 of
 * `user:password` (see basicAuthSecret) as a secret of its own: it is not a substring of the
 * password's base64.
 */
export function createRedactor(secrets: Iterable<unknown>): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets)
    if (typeof secret === 'string' && secret.length > 0) for (const form of encodedForms(secret)) forms.add(form);
  if (forms.size === 0) return (text) => text;
  // The longest first: the alternation takes the first that matches, and a longer form contains shorter ones.
  const alternatives = [...forms]
    .sort((a, b) => b.length - a.length)
    .map((form) =>
      form.length >= SUBSTRING_SECRET_LENGTH ? escapeRegExp(form) : `(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`,
    );
  const pattern = new RegExp(alternatives.join('|'), 'gu');
  const maskFragments = secretFragmentMasker([...forms]);
  // Whole secrets first: what is then left next to a cut mark can only be a piece of one.
  return (text) => maskFragments(text.replace(pattern, REDACTED));
}

/** The Basic authentication form of a user and password (`Authorization: Basic ...`, `https://user:pass@` sent as a header). */
export function basicAuthSecret(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}

/** Collects the leaves of a credentials object, as the text they print as (a numeric PIN leaks as digits). */
export function secretValues(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'bigint') out.push(String(value));
  else if (value && typeof value === 'object') for (const v of Object.values(value)) secretValues(v, out);
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
