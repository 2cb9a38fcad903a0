import { inertLine } from './inert-text';

/** How much of an error a table's cell shows. */
const BRIEF_CHARS = 100;

/**
 * An error's first line, for a table that keeps one line per row (`--json` has the whole
 * message): made inert first, then cut, so the cut never leaves half an escape sequence live
 * and the columns are as wide as what the terminal shows.
 */
export function errorBrief(error: string | null): string {
  const first = inertLine((error ?? '').split('\n')[0]);
  return first.length > BRIEF_CHARS ? `${first.slice(0, BRIEF_CHARS - 1)}…` : first;
}
