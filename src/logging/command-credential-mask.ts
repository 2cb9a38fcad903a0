import { REDACTED } from './redaction';
import { isSecretFlag, isSecretKey, maskCredentialsInText } from './credential-mask';

/**
 * One shell word: quoted parts, escaped and bare characters, up to a space or a command separator
 * (`|`, `;`, `&`). A `\\` before a line end is not part of a word but a line continuation.
 */
const WORD = `(?:"[^"]*"|'[^']*'|\\\\[^\\r\\n]|[^\\s"'|;&\\\\])+`;

/** Between two words of one command: blanks, or a line continuation (`\` at the end of a line). */
const WORD_GAP = `(?:[ \\t]|\\\\\\r?\\n)+`;

const WORDS = new RegExp(WORD, 'g');
const ONLY_A_WORD_GAP = new RegExp(`^${WORD_GAP}$`);

/** curl's and wget's header option: `-H <header>`, `-H<header>`, `--header <header>`, `--header=<header>`. */
const HEADER_FLAG = /^(?:-H|--header)$/;
const ATTACHED_HEADER = /^(-H|--header=)([^]+)$/;
const HEADER_IN_TEXT = new RegExp(`((?:^|\\s)(?:-H|--header)(?:=|[ \\t]*))(${WORD})`, 'g');

/** `Name: value`, the value shown as `***` when the name says it is a credential (`Cookie`, `Authorization`, `X-Api-Key`). */
const HEADER = /^([\w-]+)(\s*:\s*)(\S[^]*)$/;

/**
 * A short flag that carries a credential in one program only, and how its value is given.
 * Its words in a script run to a command separator or a line end.
 */
interface ProgramCredentialFlag {
  readonly program: RegExp;
  readonly command: RegExp;
  readonly flag: string;
  readonly inText: RegExp;
  /** Whether `-b <value>` counts, besides the attached `-b<value>`. */
  readonly spaced: boolean;
}

function programFlag(program: string, flag: string, spaced: boolean): ProgramCredentialFlag {
  return {
    program: new RegExp(`(?:^|/)(?:${program})(?:\\.exe)?$`),
    command: new RegExp(`(?<![\\w.-])(?:${program})(?![\\w.-])(?:${WORD_GAP}${WORD})+`, 'g'),
    flag,
    inText: new RegExp(`((?:^|\\s)${flag}${spaced ? '[ \\t]*' : ''})(${WORD})`, 'g'),
    spaced,
  };
}

const PROGRAM_CREDENTIAL_FLAGS: readonly ProgramCredentialFlag[] = [
  // curl's `--cookie`; `-b` is a block size to tar and split, a bind address to ssh.
  programFlag('curl', '-b', true),
  // mysql's password, attached only: `mysql -p sales` asks for it and opens the database `sales`;
  // to psql and ssh `-p` is a port.
  programFlag('mysql\\w*|mariadb(?:-\\w+)?', '-p', false),
];

/**
 * An argv with the credentials its words visibly hold shown as `***`: the word after a
 * secret-named flag (`--password`, `--cookie`), after curl's `-b`, attached to mysql's `-p`, and the
 * value of a credential header (`-H 'Cookie: ...'`, `--header=Authorization: ...`). Items that are
 * not strings are left.
 */
export function maskArgvCredentials(items: readonly unknown[]): unknown[] {
  let programs: readonly ProgramCredentialFlag[] = [];
  return items.map((item, i) => {
    if (typeof item !== 'string') return item;
    const previous = items[i - 1];
    const masked = maskArgvWord(item, typeof previous === 'string' ? previous : undefined, programs);
    const named = PROGRAM_CREDENTIAL_FLAGS.filter((entry) => !programs.includes(entry) && entry.program.test(item));
    if (named.length > 0) programs = [...programs, ...named];
    return masked;
  });
}

function maskArgvWord(word: string, previous: string | undefined, programs: readonly ProgramCredentialFlag[]): string {
  if (previous !== undefined && (isSecretFlag(previous) || programs.some((entry) => entry.spaced && previous === entry.flag))) {
    return REDACTED;
  }
  if (previous !== undefined && HEADER_FLAG.test(previous)) return maskHeader(word);
  const attached = ATTACHED_HEADER.exec(word);
  if (attached) return `${attached[1]}${maskHeader(attached[2])}`;
  const short = programs.find((entry) => word.startsWith(entry.flag) && word.length > entry.flag.length);
  return short ? `${short.flag}${REDACTED}` : word;
}

/**
 * What a text is known to be. `command`: a command line (a script, a word of an argv), where the word
 * after a secret-named flag is its value whatever it looks like. `text`: any string (an action's
 * argument that may be a sentence: `use --token to authenticate`), where that word is masked only
 * when it looks like a value rather than a word of prose (see PROSE_WORD).
 */
export type CommandTextKind = 'command' | 'text';

/**
 * A word of prose: a lower-case word of up to 15 letters, punctuation around it (`to`, `first,`,
 * `(see`). A value has a digit, a symbol, a capital inside, quotes or more letters (`Hunter2Pw`,
 * `$TOKEN`, `"..."`, a 32-letter random string): shown as `***`. A password that is a short
 * lower-case word is shown in a text that is not known to be a command: this is a guess at shapes
 * for the secrets the application was never told about (pass those through `bootstrap({ credentials })`).
 */
const PROSE_WORD = /^\(?[a-z]{1,15}[.,;:!?)]*$/;

/**
 * A command line written as one string (a script) with the same credentials shown as `***`, keeping
 * the flag and the value's quotes: the word after a secret-named flag (`--password "***"`; in a
 * `text`, only a word that is no word of prose), a credential header's value (`-H 'Cookie: ***'`),
 * curl's `-b` and mysql's `-p<password>`.
 */
export function maskCommandText(text: string, kind: CommandTextKind = 'command'): string {
  if (!text.includes('-')) return text;
  const masked = maskSpacedFlagValues(text, kind).replace(
    HEADER_IN_TEXT,
    (_whole, flag: string, word: string) => `${flag}${maskQuotedHeader(word)}`,
  );
  return PROGRAM_CREDENTIAL_FLAGS.reduce(
    (shown, entry) =>
      shown.replace(entry.command, (command) =>
        command.replace(entry.inText, (_whole, flag: string, word: string) => `${flag}${maskWord(word)}`),
      ),
    masked,
  );
}

/** `--password <value>`: the word after a secret-named flag, with only blanks or a line continuation between. */
function maskSpacedFlagValues(text: string, kind: CommandTextKind): string {
  let flagEnd = -1;
  return text.replace(WORDS, (word: string, offset: number) => {
    const value = flagEnd >= 0 && ONLY_A_WORD_GAP.test(text.slice(flagEnd, offset)) && (kind === 'command' || !PROSE_WORD.test(word));
    flagEnd = isSecretFlag(word) ? offset + word.length : -1;
    return value ? maskWord(word) : word;
  });
}

/** `***`, in the quotes the word had: `"***"` for `"abc def"`, `'***'` for `'x'`. */
function maskWord(word: string): string {
  const quote = word[0];
  const quoted = (quote === '"' || quote === "'") && word.length > 1 && word.endsWith(quote);
  return quoted ? `${quote}${REDACTED}${quote}` : REDACTED;
}

function maskQuotedHeader(word: string): string {
  const quote = word[0];
  const quoted = (quote === '"' || quote === "'") && word.length > 1 && word.endsWith(quote);
  return quoted ? `${quote}${maskHeader(word.slice(1, -1))}${quote}` : maskHeader(word);
}

function maskHeader(header: string): string {
  const match = HEADER.exec(header);
  return match && isSecretKey(match[1]) ? `${match[1]}${match[2]}${REDACTED}` : header;
}

/**
 * A command as a log line or an error shows it (`running: ...`, `'...' exited 1`): the credentials
 * its words visibly hold shown as `***`, as the viewer shows the step's definition. A literal
 * password in a step's code (`['mysql', '--password', pw]`, `curl -H 'Authorization: ...'`) is
 * none the application was told about, so its redactor cannot know it.
 */
export function maskCommandWords(argv: readonly string[]): string[] {
  return maskArgvCredentials(argv).map((word) => maskCommandText(maskCredentialsInText(word as string)));
}
