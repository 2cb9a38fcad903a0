import { REDACTED } from '../logging/redaction';

/**
 * Keys whose values are credentials whatever they hold: `password`, `MYSQL_PWD`, `PGPASSWORD`,
 * `apiKey`, `AWS_SECRET_ACCESS_KEY`, `sessionToken`, `Authorization`, `dsn`...
 */
export const SECRET_KEY =
  /pass(word|phrase|wd)?|pwd|secret|token|credential|api[-_]?key|private[-_]?key|access[-_]?key|signing[-_]?key|session|authorization|cookie|^auth$|dsn|conn(ection)?[-_]?str(ing)?/i;

/** A command-line flag that takes a credential as its next word: `--password`, `--api-key`, `-p`-less forms only. */
export const SECRET_FLAG =
  /^--?[\w.-]*(pass(word|phrase|wd)?|pwd|secret|token|credential|api[-_]?key|private[-_]?key|access[-_]?key)[\w.-]*$/i;

/** `--password=...`, `--token=...`, `PGPASSWORD=...`: a secret-named flag or variable with its value in the same word. */
const SECRET_ASSIGNMENT =
  /((?:^|[\s"'?&;])(?:--?)?[\w.-]*(?:pass(?:word|phrase|wd)?|pwd|secret|token|credential|api[-_]?key|private[-_]?key|access[-_]?key)[\w.-]*=)("[^"]*"|'[^']*'|[^\s"'&]+)/gi;

/** `scheme://user:password@host`: the password of a URL's user part (a database or broker URL). */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s/@]+)(@)/gi;

/**
 * A string of a definition with the credentials it visibly holds replaced by `***`: a URL's
 * password, the value of a secret-named `--flag=` or `VAR=`. Only a shape-based guess, for the
 * secrets the application was never told about; the redactor handles the ones it knows exactly.
 */
export function maskCredentialsInText(text: string): string {
  if (!text.includes('=') && !text.includes('@')) return text;
  return text.replace(URL_PASSWORD, `$1${REDACTED}$3`).replace(SECRET_ASSIGNMENT, `$1${REDACTED}`);
}
