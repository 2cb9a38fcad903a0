import { awsSecretsLearntSince } from '../config/aws-resolved-secrets';
import { REDACTED, SUBSTRING_SECRET_LENGTH } from './redaction-rules';
import { encodedForms } from './secret-forms';
import { secretFragmentMasker } from './secret-fragments';

/** Replaces every known secret in a text, and what a cut left of one (see cut-marks.ts). */
export type Redactor = (text: string) => string;

/**
 * A redactor that can be told a secret the application learns after it was built: the viewer's
 * token, given to serve(). Whoever already holds it (every logger) masks the new secret from then on.
 */
export type KnownSecretsRedactor = Redactor & {
  /** Adds secrets (non-strings and empty strings are ignored), in every form createRedactor covers. */
  learn(secrets: Iterable<unknown>): void;
};

export { REDACTED, SUBSTRING_SECRET_LENGTH } from './redaction-rules';

export interface RedactorScope {
  /**
   * An application's redactor: it also masks the AWS keys that clients outside any application
   * resolved in this process (an `S3Filesystem` of the user's own script: see
   * learnAwsSecretsProcessWide), before or after it was built.
   */
  application?: boolean;
}

/**
 * Builds a redactor for the given secret values (AWS keys, passwords from the options), of any
 * length, in the forms a secret travels in (as is, JSON-escaped, URL-encoded, base64: see
 * encodedForms), and masks the piece of one left next to a cut mark. A secret of 6 bytes or more
 * is found inside any base64 text (an `Authorization: Basic` header whatever the user); give the
 * base64 of `user:password` (see basicAuthSecret) as a secret of its own too, for a shorter password.
 */
export function createRedactor(secrets: Iterable<unknown>, scope: RedactorScope = {}): KnownSecretsRedactor {
  const forms = new Set<string>();
  let current: Redactor = (text) => text;
  let awsSecretsSeen = 0;
  const redact: KnownSecretsRedactor = Object.assign(
    (text: string) => {
      if (scope.application) {
        const learnt = awsSecretsLearntSince(awsSecretsSeen);
        if (learnt.length > 0) {
          awsSecretsSeen += learnt.length;
          redact.learn(learnt);
        }
      }
      return current(text);
    },
    {
      learn(more: Iterable<unknown>) {
        const before = forms.size;
        for (const secret of more)
          if (typeof secret === 'string' && secret.length > 0) for (const form of encodedForms(secret)) forms.add(form);
        if (forms.size > before) current = compileRedactor(forms);
      },
    },
  );
  redact.learn(secrets);
  return redact;
}

/** One pattern for every form: built again (rarely: at bootstrap, then when serve() is given a token) when a secret is added. */
function compileRedactor(forms: ReadonlySet<string>): Redactor {
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
