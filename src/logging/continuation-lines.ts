/**
 * How a text log keeps a multi-line message (a stack trace, a command's output) whole without
 * letting it forge lines: every line of the message after its first is written behind a tab. A
 * line of the file that starts an entry starts with its timestamp (or `{` in a JSON log), so an
 * indented line can never be taken for one, whatever the message holds: a command printing
 * `...\n2026-12-06T07:00:00.000 step ERROR [<timeperiod>#<another run>] ...` only adds a line to
 * its own entry.
 */
export const CONTINUATION_INDENT = '\t';

/**
 * Every way a message can break a line, as a reader (readline, an editor, a terminal) may take
 * it: `\r\n`, a lone `\r`, `\n`, and the rarer ones (vertical tab, form feed, NEL, U+2028, U+2029).
 */
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
const ANY_LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;

/**
 * The message as the file holds it: its line breaks made `\n`, each followed by the indent. An
 * ordinary one-line message is returned as is, after one regex test (this is on every log line).
 */
export function indentContinuationLines(message: string): string {
  if (!ANY_LINE_BREAK.test(message)) return message;
  return message.replace(LINE_BREAKS, `\n${CONTINUATION_INDENT}`);
}

/**
 * A continuation line of the file as the message had it: without the indent. A line without it
 * was written by a version before the indent, and is the message's as it stands.
 */
export function unindentContinuationLine(line: string): string {
  return line.startsWith(CONTINUATION_INDENT) ? line.slice(CONTINUATION_INDENT.length) : line;
}
