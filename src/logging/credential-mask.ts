import { REDACTED } from './redaction';

/**
 * The names that say a value is a credential, and where each counts. `keys`: an object key
 * (`{ password }`, an `env` entry), where a name is always a name. `words` also: a command line's
 * `--flag value`, `--flag=value` and `VAR=value`, where broader names (`--session-timeout=30`,
 * `--authorization-mode=rbac`) would mask plain options.
 */
const CREDENTIAL_NAMES: readonly { readonly name: string; readonly in: 'keys' | 'words' }[] = [
  // `-passin`/`-passout`: openssl's (`-passout pass:...`).
  { name: 'pass(?:word|phrase|wd|in|out)?', in: 'words' },
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

/**
 * A flag named for a credential: its name ends with a credential name (`--password`, `--db-password`,
 * `--dbPassword`, `--client-secret`, `--auth-token`, `--api-key`, `-pass`), `pass` alone only as a
 * word of its own (`--ssh-pass`, not `--bypass`). A name that only contains one names something
 * else: `--passive-ftp`, `--password-stdin`, `--password-file`, `--max-tokens`, `--token-file`; and
 * `--no-password` (psql), `--ask-pass` (ansible), `--prompt-password` switch a prompt, taking no value.
 */
const SECRET_FLAG = new RegExp(`^--?(?!-|(?:no|ask|prompt)[-_.])[\\w.-]*(?:${names('words')})(?<![a-z0-9]pass)$`, 'i');

/** A command-line flag that takes a credential as its value: `--password`, `--api-key`, `--cookie`; `-p`-less forms only. */
export function isSecretFlag(word: string): boolean {
  return SECRET_FLAG.test(word);
}

/** A variable or query parameter named for a credential anywhere in its name: `PGPASSWORD`, `DB_PASS`, `&api_key`. */
const SECRET_VARIABLE = new RegExp(names('words'), 'i');

/**
 * `--password=...`, `PGPASSWORD=...`, `&api_key=...`: a name, then its value in the same word. The
 * name is matched whole and judged apart (a credential name searched for inside the pattern made a
 * 30,000-character `passpass...` word cost a second); a value that is not a credential is searched
 * again, for the `&api_key=` of a URL it holds.
 */
const ASSIGNMENT = /((?:^|[\s"'?&;])(--?)?([\w.-]+)=)("[^"]*"|'[^']*'|[^\s"'&]+)/g;

function isSecretAssignment(dashes: string | undefined, name: string): boolean {
  if (dashes) return isSecretFlag(`${dashes}${name}`);
  return SECRET_VARIABLE.test(name) && !WORKING_DIRECTORY.test(name);
}

/**
 * `scheme://user:password@host`: the password of a URL's user part (a database or broker URL). The
 * scheme starts a word: tried inside one too, a 30,000-letter word cost half a second.
 */
const URL_PASSWORD = /((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s/@]+)(@)/gi;

/**
 * A string of a definition with the credentials it visibly holds replaced by `***`: a URL's
 * password, the value of a secret-named `--flag=` or `VAR=`. Only a shape-based guess, for the
 * secrets the application was never told about; the redactor handles the ones it knows exactly.
 */
export function maskCredentialsInText(text: string): string {
  if (!text.includes('=') && !text.includes('@')) return text;
  return maskAssignments(text.replace(URL_PASSWORD, `$1${REDACTED}$3`));
}

function maskAssignments(text: string): string {
  let shown = '';
  let from = 0;
  ASSIGNMENT.lastIndex = 0;
  for (let match = ASSIGNMENT.exec(text); match; match = ASSIGNMENT.exec(text)) {
    const [, assignment, dashes, name, value] = match;
    const valueStart = match.index + assignment.length;
    if (isSecretAssignment(dashes, name)) {
      shown += `${text.slice(from, valueStart)}${REDACTED}`;
      from = valueStart + value.length;
    } else {
      ASSIGNMENT.lastIndex = valueStart;
    }
  }
  return `${shown}${text.slice(from)}`;
}
