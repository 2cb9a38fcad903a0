import type { Redactor } from '../../logging/redaction';
import { inertLine } from '../../logging/inert-text';

/** The longest error a table row shows; `--json` has the whole message. */
const BRIEF_ERROR_CHARS = 100;

/**
 * An error's first line as a table cell: at most BRIEF_ERROR_CHARS, ending in `…` when cut.
 * Redacted, then made inert, then cut: the row may have been written before a secret was known,
 * and a secret cut in two is caught by no later redaction (its first part would be printed); a
 * cut never leaves half an escape sequence live, and the column is as wide as what the terminal
 * shows.
 */
export function briefError(error: string | null, redact: Redactor): string {
  const first = inertLine(redact((error ?? '').split('\n')[0]));
  return first.length > BRIEF_ERROR_CHARS ? `${first.slice(0, BRIEF_ERROR_CHARS - 1)}…` : first;
}
