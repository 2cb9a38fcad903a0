import { REDACTED } from '../logging/redaction';
import { maskArgvCredentials, maskCommandText, type CommandTextKind } from '../logging/command-credential-mask';
import { isSecretKey, keyWords, maskCredentialsInText } from '../logging/credential-mask';

/** What a function argument shows as: its value exists only once a step runs. */
export const COMPUTED_ARGS = '(computed from the step context when the step runs)';

const MAX_DEPTH = 6;

/**
 * An action class's arguments as the step panel lists them (the original viewer's tooltip):
 * plain data as given, with what looks like a credential replaced by `***` (see credential-mask),
 * functions named for what they are. The API's redaction hook then removes every secret the
 * application knows from whatever strings are left: this masking is for the secrets it does not
 * know, written into a definition (`pg_dump --dbname=postgresql://u:pw@...`, `MYSQL_PWD`).
 */
export function presentActionArgs(args: unknown): unknown {
  if (args === undefined) return null;
  if (typeof args === 'function') return COMPUTED_ARGS;
  // Arguments given as one string are a command line, most likely; an object's strings are judged by their keys.
  return plain(args, 0, typeof args === 'string' ? 'command' : 'text');
}

/**
 * A key whose value is a command line: `command`, `cmd`, `script`, `shellCommand`, `bash`, `run`,
 * `extraArgs`... Elsewhere a string may be prose (`description: 'use --token to authenticate'`).
 */
const COMMAND_KEY = /(?:^|_)(?:command|cmd|script|shell|sh|bash|exec|run|argv|args?|arguments)s?(?=_|$)/;

/**
 * `kind`: whether a string here is known to be a command (see CommandTextKind): the arguments
 * themselves given as a string, a list's items (an argv: `['sh', '-c', '...']`) and all under a
 * command key are; the strings of other fields are any text.
 */
function plain(value: unknown, depth: number, kind: CommandTextKind): unknown {
  if (typeof value === 'string') return maskCommandText(maskCredentialsInText(value), kind);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return COMPUTED_ARGS;
  if (typeof value !== 'object') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (depth >= MAX_DEPTH) return '(nested too deep to show)';
  if (Array.isArray(value)) return argv(value, depth);
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      isSecretKey(key) && item !== undefined
        ? REDACTED
        : plain(item, depth + 1, kind === 'command' || COMMAND_KEY.test(keyWords(key)) ? 'command' : 'text'),
    ]),
  );
}

/** A list, read as a command line too: the word after `--password`, curl's `-b`, a `-H 'Cookie: ...'` header. */
function argv(items: unknown[], depth: number): unknown[] {
  return maskArgvCredentials(items).map((item) => plain(item, depth + 1, 'command'));
}
