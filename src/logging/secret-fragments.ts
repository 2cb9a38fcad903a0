import { CUT_MARKS, mayHoldCutMark } from './cut-marks';
import { REDACTED, SUBSTRING_SECRET_LENGTH } from './redaction-rules';

/**
 * Masks what a cut left of a secret: the start of one just before a line's cut mark, the end of
 * one just after a tail's cut mark. The longest such piece is masked, however short: each character
 * of a secret told narrows the search for the rest. Text that merely looks like such a piece is
 * masked too: a few characters at the edge of a cut text are worth less than a secret. A text
 * without a mark costs two searches.
 *
 * A piece of a secret shorter than SUBSTRING_SECRET_LENGTH counts only where it stands alone on
 * the side away from the cut (`password=p` before the mark, not `help`), as the whole secret does.
 */
export function secretFragmentMasker(forms: readonly string[]): (text: string) => string {
  return (text) => (mayHoldCutMark(text) ? maskAtCuts(text, forms) : text);
}

function maskAtCuts(text: string, forms: readonly string[]): string {
  let out = '';
  let from = 0;
  for (const mark of text.matchAll(CUT_MARKS)) {
    const at = mark.index;
    if (at < from) continue;
    if (mark[1] === undefined) {
      const piece = longestSecretStart(text, from, at, forms);
      out += `${text.slice(from, at - piece)}${piece ? REDACTED : ''}${mark[0]}`;
      from = at + mark[0].length;
    } else {
      const start = at + mark[0].length;
      const piece = longestSecretEnd(text, start, forms);
      out += `${text.slice(from, start)}${piece ? REDACTED : ''}`;
      from = start + piece;
    }
  }
  return out + text.slice(from);
}

/** The length of the longest piece of text[from, end) that ends at `end` and begins a form without being all of it. */
function longestSecretStart(text: string, from: number, end: number, forms: readonly string[]): number {
  let longest = 0;
  for (const form of forms)
    for (let length = Math.min(form.length - 1, end - from); length > longest; length--)
      if (text.startsWith(form.slice(0, length), end - length) && standsAlone(text, end - length - 1, form)) {
        longest = length;
        break;
      }
  return longest;
}

/** The length of the longest piece of text that starts at `start` and ends a form without being all of it. */
function longestSecretEnd(text: string, start: number, forms: readonly string[]): number {
  let longest = 0;
  for (const form of forms)
    for (let length = Math.min(form.length - 1, text.length - start); length > longest; length--)
      if (text.startsWith(form.slice(-length), start) && standsAlone(text, start + length, form)) {
        longest = length;
        break;
      }
  return longest;
}

/** A long secret's piece counts anywhere; a short one's only next to a character that is not a letter or a digit (or none). */
function standsAlone(text: string, neighbour: number, form: string): boolean {
  if (form.length >= SUBSTRING_SECRET_LENGTH || neighbour < 0 || neighbour >= text.length) return true;
  return !/[\p{L}\p{N}]/u.test(text[neighbour]);
}
