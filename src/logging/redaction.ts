/** Replaces every known secret in a text. */
export type Redactor = (text: string) => string;

export const REDACTED = '***';

/**
 * From this length on a secret is redacted wherever it appears, inside a word too. A shorter
 * one is redacted where it stands alone: not touching a letter or a digit on either side. So a
 * 2-character password `pw` is caught in `password=pw`, `user:pw@host`, `"pw"` or at the end of
 * a message, while `npw` or `pwd` in some other text are left alone: redacting every `pw` in
 * every word would mangle each line and protect nothing (such a fragment inside a word does not
 * tell anyone the secret).
 */
export const SUBSTRING_SECRET_LENGTH = 6;

/**
 * Builds a redactor for the given secret values (AWS keys, passwords from the options), of any
 * length, in the forms a secret travels in: as is, JSON-escaped (once, or twice for JSON inside
 * JSON), URL-encoded (`%40`, or `+` for a space in a form), and base64-encoded. Give the base64 of
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
  return (text) => text.replace(pattern, REDACTED);
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

function encodedForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const url = encodeURIComponent(secret);
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  return [
    secret,
    json,
    JSON.stringify(json).slice(1, -1),
    url,
    url.replace(/%20/g, '+'),
    url.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    base64,
    base64.replace(/=+$/, ''),
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
