import { REDACTED } from './redaction';

/**
 * The names that say a value is a credential, and where each counts. `keys`: an object key
 * (`{ password }`, an `env` entry), where a name is always a name. `words` also: a command line's
 * `--flag value`, `--flag=value` and `VAR=value`, where broader names (`--session-timeout=30`,
 * `--authorization-mode=rbac`) would mask plain options. `endsWords`: the name may end a longer word
 * of a key or a variable (`PGPASSWORD`, `MYSQLPWD`, `clientsecret`); the others count only as words
 * of their own (`session`, not `obsession`).
 */
const CREDENTIAL_NAMES: readonly { readonly name: string; readonly in: 'keys' | 'words'; readonly endsWords: boolean }[] = [
  // `-passin`/`-passout`: openssl's (`-passout pass:...`).
  { name: 'pass(?:word|phrase|wd|in|out)?', in: 'words', endsWords: true },
  { name: 'pwd', in: 'words', endsWords: true },
  // `--secret-id`: a name in AWS Secrets Manager, but the secret half of Vault's AppRole login. Masking a name is harmless.
  { name: 'secret(?:[-_.]?id)?', in: 'words', endsWords: true },
  { name: 'token', in: 'words', endsWords: true },
  { name: 'credential', in: 'words', endsWords: true },
  { name: 'api[-_]?key', in: 'words', endsWords: true },
  { name: 'private[-_]?key', in: 'words', endsWords: true },
  { name: 'access[-_]?key', in: 'words', endsWords: true },
  // `--cookie`, curl's `--cookie "session=..."`; not `--cookie-jar` or a cookie file, which are paths.
  { name: 'cookie(?![-_]?(?:jar|file))', in: 'words', endsWords: true },
  { name: 'signing[-_]?key', in: 'keys', endsWords: true },
  { name: 'session', in: 'keys', endsWords: false },
  // A session cookie's name: `JSESSIONID`.
  { name: 'session[-_]?id', in: 'keys', endsWords: true },
  { name: 'authorization', in: 'keys', endsWords: true },
  // The last word only: `auth`, `basicAuth`; not `authMode: 'rbac'`.
  { name: 'auth$', in: 'keys', endsWords: false },
  { name: 'dsn', in: 'keys', endsWords: true },
  { name: 'conn(?:ection)?[-_]?str(?:ing)?', in: 'keys', endsWords: false },
];

const names = (where: 'keys' | 'words', endsWords?: boolean) =>
  CREDENTIAL_NAMES.filter(
    (entry) => (where === 'keys' || entry.in === 'words') && (endsWords === undefined || entry.endsWords === endsWords),
  )
    .map((entry) => entry.name)
    .join('|');

/** `PWD` and `OLDPWD` are the shell's working directories, not passwords: `PWD=/srv/etl` is shown as it is. */
const WORKING_DIRECTORY = /^(?:OLD)?PWD$/;

/** English words that end with `pass`: a `compass`, `bypass` or `overpass` key is no password. */
const WORDS_ENDING_IN_PASS = '(?:com|encom|by|over|under|tres|sur)pass(?:_|$)';

/**
 * A key's words, lower case, joined by `_`: `dbPassword`, `DB_PASSWORD`, `db-password` all read
 * `db_password`, `X-Api-Key` reads `x_api_key`, `MySQLPassword` reads `my_sql_password`.
 */
export function keyWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
}

/**
 * A credential name as a word of a key (or one ending a word, see endsWords), in the singular or
 * the plural: searched in keyWords' form, so a word that merely contains a name (`passive`,
 * `passthrough`, `compass`, `tokenizer`) is none.
 */
const credentialWord = (where: 'keys' | 'words') =>
  new RegExp(`(?:^|_)(?:(?!${WORDS_ENDING_IN_PASS})[a-z0-9]*(?:${names(where, true)})|(?:${names(where, false) || '(?!)'}))s?(?=_|$)`);

const SECRET_KEY_WORD = credentialWord('keys');

/**
 * Keys whose values are credentials whatever they hold: `password`, `MYSQL_PWD`, `PGPASSWORD`,
 * `apiKey`, `AWS_SECRET_ACCESS_KEY`, `sessionToken`, `Authorization`, `Cookie`, `dsn`...: a key with
 * a word that is a credential name; not `PWD`, nor `passive`, `passthrough` or `compass`.
 */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_WORD.test(keyWords(key)) && !WORKING_DIRECTORY.test(key);
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

/** A variable or query parameter with a word named for a credential: `PGPASSWORD`, `DB_PASS`, `&api_key`; not `passive`. */
const SECRET_VARIABLE_WORD = credentialWord('words');

/**
 * `--password=...`, `PGPASSWORD=...`, `&api_key=...`: a name, then its value in the same word. The
 * name is matched whole and judged apart (a credential name searched for inside the pattern made a
 * 30,000-character `passpass...` word cost a second); a value that is not a credential is searched
 * again, for the `&api_key=` of a URL it holds.
 */
const ASSIGNMENT = /((?:^|[\s"'?&;])(--?)?([\w.-]+)=)("[^"]*"|'[^']*'|[^\s"'&]+)/g;

function isSecretAssignment(dashes: string | undefined, name: string): boolean {
  if (dashes) return isSecretFlag(`${dashes}${name}`);
  return SECRET_VARIABLE_WORD.test(keyWords(name)) && !WORKING_DIRECTORY.test(name);
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
