import { REDACTED } from '../logging/redaction';
import { isSecretKey, SECRET_FLAG } from './credential-mask';

/** One shell word: quoted parts and bare characters, up to a space or a command separator (`|`, `;`, `&`). */
const WORD = `(?:"[^"]*"|'[^']*'|[^\\s"'|;&])+`;

/** Between two words of one command: blanks, or a line continuation (`\` at the end of a line). */
const WORD_GAP = `(?:[ \\t]|\\\\\\r?\\n)+`;

/** curl's and wget's header option: `-H <header>`, `-H<header>`, `--header <header>`, `--header=<header>`. */
const HEADER_FLAG = /^(?:-H|--header)$/;
const ATTACHED_HEADER = /^(-H|--header=)([^]+)$/;
const HEADER_IN_TEXT = new RegExp(`((?:^|\\s)(?:-H|--header)(?:=|[ \\t]*))(${WORD})`, 'g');

/** `Name: value`, the value shown as `***` when the name says it is a credential (`Cookie`, `Authorization`, `X-Api-Key`). */
const HEADER = /^([\w-]+)(\s*:\s*)(\S[^]*)$/;

/**
 * A curl command, whose `-b` (`--cookie`'s short form) sends cookies. Only curl's: `-b` is a block
 * size to tar and split, a bind address to ssh. Its words run to a command separator or a line end.
 */
const CURL_COMMAND = new RegExp(`\\bcurl\\b(?:${WORD_GAP}${WORD})+`, 'g');
const CURL_COOKIE_IN_TEXT = new RegExp(`((?:^|\\s)(?:-b[ \\t]*|--cookie[ \\t]+))(${WORD})`, 'g');
const CURL_PROGRAM = /(?:^|\/)curl(?:\.exe)?$/;

/**
 * An argv with the credentials its words visibly hold shown as `***`: the word after a
 * secret-named flag (`--password`, `--cookie`), after curl's `-b`, and the value of a credential
 * header (`-H 'Cookie: ...'`, `--header=Authorization: ...`). Items that are not strings are left.
 */
export function maskArgvCredentials(items: readonly unknown[]): unknown[] {
  let curl = false;
  return items.map((item, i) => {
    if (typeof item !== 'string') return item;
    const previous = items[i - 1];
    const masked = maskArgvWord(item, typeof previous === 'string' ? previous : undefined, curl);
    curl ||= CURL_PROGRAM.test(item);
    return masked;
  });
}

function maskArgvWord(word: string, previous: string | undefined, curl: boolean): string {
  if (previous !== undefined && (SECRET_FLAG.test(previous) || (curl && previous === '-b'))) return REDACTED;
  if (previous !== undefined && HEADER_FLAG.test(previous)) return maskHeader(word);
  const attached = ATTACHED_HEADER.exec(word);
  if (attached) return `${attached[1]}${maskHeader(attached[2])}`;
  if (curl && word.startsWith('-b') && word.length > 2) return `-b${REDACTED}`;
  return word;
}

/**
 * A command line written as one string (a script) with the same credentials shown as `***`: a
 * credential header's value, keeping its name and quotes (`-H 'Cookie: ***'`), and a curl
 * command's `-b` or `--cookie` value.
 */
export function maskCommandText(text: string): string {
  if (!text.includes('-')) return text;
  return text
    .replace(HEADER_IN_TEXT, (_whole, flag: string, word: string) => `${flag}${maskQuotedHeader(word)}`)
    .replace(CURL_COMMAND, (command) => command.replace(CURL_COOKIE_IN_TEXT, `$1${REDACTED}`));
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
