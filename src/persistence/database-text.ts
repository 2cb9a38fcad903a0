/** U+2400 SYMBOL FOR NULL: shows where the NUL was, and no database refuses it. */
const NUL_SYMBOL = '\u2400';
// eslint-disable-next-line no-control-regex -- NUL is the character this module replaces
const NUL = /\u0000/g;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Free text (a step's error: a command's stderr, a user's exception message) as both databases
 * accept it. PostgreSQL refuses a NUL byte in a text value ("invalid byte sequence for encoding
 * UTF8: 0x00"), and that failed write left the step in_progress under an invalid flow; a lone
 * surrogate is not UTF-8 at all, and each driver would replace it its own way. So NUL becomes
 * U+2400 and a lone surrogate U+FFFD, the same on SQLite and PostgreSQL.
 */
export function databaseText(text: string): string {
  return text.replace(NUL, NUL_SYMBOL).replace(LONE_SURROGATE, '\uFFFD');
}
