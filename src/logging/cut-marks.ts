/**
 * The marks a text carries where it was cut: a line cut at its end (` [cut N bytes]`, the output of
 * a command) and a tail cut at its start (`[stderr tail cut: N earlier characters left out] `, a
 * failed command's error). Text is cut before it is redacted (the cut is made where the text is
 * read, the redaction where it leaves), so a secret across a cut is never whole on either side; the
 * redactor finds the marks and masks what of a secret is left next to them (see
 * maskSecretFragmentsAtCuts). One place for both ends: the mark written is the mark looked for.
 */
export function lineCutMark(bytesCut: number): string {
  return ` [cut ${bytesCut} bytes]`;
}

export function tailCutMark(charsLeftOut: number): string {
  return `[stderr tail cut: ${charsLeftOut} earlier characters left out] `;
}

/** Either mark; its group is set when it is a tail's start, not a line's end. */
export const CUT_MARKS = / \[cut \d+ bytes\]|(\[stderr tail cut: \d+ earlier characters left out\] )/g;

/** Whether a text may hold a mark: two plain searches, cheaper on every line than the pattern. */
export function mayHoldCutMark(text: string): boolean {
  return text.includes(' [cut ') || text.includes('[stderr tail cut: ');
}
