/** The longest a step's text (a command line) is quoted in an error's first words. */
const MAX_DISPLAY = 120;

/**
 * A step's text as an error quotes it: whole up to MAX_DISPLAY characters, else its start and
 * `...`. Give it redacted text: a secret cut here is whole on neither side, and no redaction of the
 * message finds the piece that is left.
 */
export function briefDisplay(redactedDisplay: string): string {
  return redactedDisplay.length > MAX_DISPLAY ? `${redactedDisplay.slice(0, MAX_DISPLAY - 3)}...` : redactedDisplay;
}
