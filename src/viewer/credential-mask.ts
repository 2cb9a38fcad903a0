import { REDACTED } from '../logging/redaction';

/**
 * The names that say a value is a credential, and where each counts. `keys`: an object key
 * (`{ password }`, an `env` entry), where a name is always a name. `words` also: a command line's
 * `--flag value`, `--flag=value` and `VAR=value`, where broader names (`--session-timeout=30`,
 * `--authorization-mode=rbac`) would mask plain options.
 */
const CREDENTIAL_NAMES: readonly { readonly name: string; readonly in: 'keys' | 'words' }[] = [
  { name: 'pass(?:word|phrase|wd)?', in: 'words' },
  { name: 'pwd', in: 'words' },
  { name: 'secret', in: 'words' },
  { name: 'token', in: 'words' },
  { name: 'credential', in: 'words' },
  { name: 'api[-_]?key', in: 'words' },
  { name: 'private[-_]?key', in: 'words' },
  { name: 'access[-_]?key', in: 'words' },
  // `--cookie`, curl's `--cookie "session=..."`; not `--cookie-jar` or a cookie file, which are paths.
  { name: 'cookie(?![-_]?(?:jar|file))', in: 'words' },
  { name: 'signing[-_]?key', in: 'keys' },
  { name: 'session', in: 'keys' },
  { name: 'authorization', in: 'keys' },
  { name: '^auth$', in: 'keys' },
  { name: 'dsn', in: 'keys' },
  { name: 'conn(?:ection)?[-_]?str(?:ing)?', in: 'keys' },
];

const names = (where: 'keys' | 'words') =>
  CREDENTIAL_NAMES.filter((entry) => where === 'keys' || entry.in === 'words')
    .map((entry) => entry.name)
    .join('|');

/** `PWD` and `OLDPWD` are the shell's working directories, not passwords: `PWD=/srv/etl` is shown as it is. */
const WORKING_DIRECTORY = /^(?:OLD)?PWD$/;

const SECRET_KEY = new RegExp(names('keys'), 'i');

/**
 * Keys whose values are credentials whatever they hold: `password`, `MYSQL_PWD`, `PGPASSWORD`,
 * `apiKey`, `AWS_SECRET_ACCESS_KEY`, `sessionToken`, `Authorization`, `Cookie`, `dsn`...; not `PWD`.
 */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !WORKING_DIRECTORY.test(key);
}

/** A command-line flag that takes a credential as its next word: `--password`, `--api-key`, `--cookie`; `-p`-less forms only. */
export const SECRET_FLAG = new RegExp(`^--?[\\w.-]*(?:${names('words')})[\\w.-]*$`, 'i');

/** `--password=...`, `--token=...`, `PGPASSWORD=...`: a secret-named flag or variable with its value in the same word. */
const SECRET_ASSIGNMENT = new RegExp(
  `((?:^|[\\s"'?&;])(?:--?)?([\\w.-]*(?:${names('words')})[\\w.-]*)=)("[^"]*"|'[^']*'|[^\\s"'&]+)`,
  'gi',
);

/** `scheme://user:password@host`: the password of a URL's user part (a database or broker URL). */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s/@]+)(@)/gi;

/**
 * A string of a definition with the credentials it visibly holds replaced by `***`: a URL's
 * password, the value of a secret-named `--flag=` or `VAR=`. Only a shape-based guess, for the
 * secrets the application was never told about; the redactor handles the ones it knows exactly.
 */
export function maskCredentialsInText(text: string): string {
  if (!text.includes('=') && !text.includes('@')) return text;
  return text
    .replace(URL_PASSWORD, `$1${REDACTED}$3`)
    .replace(SECRET_ASSIGNMENT, (whole, assignment: string, name: string) =>
      WORKING_DIRECTORY.test(name) ? whole : `${assignment}${REDACTED}`,
    );
}
