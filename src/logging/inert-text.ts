/**
 * Text for a terminal that cannot act on it. What the CLI prints for a person quotes text nobody
 * vetted: a step's error, a command's output in a log, a row written by another engine. A
 * terminal takes control characters in it as orders: `ESC[2J` clears the screen, `ESC]0;...BEL`
 * retitles the window, `ESC]52;c;...BEL` writes the clipboard, a lone `\r` writes over a line. Each
 * is shown instead as its code (`\x1b`), so the text reads as it was and does nothing.
 *
 * The C0 controls (U+0000-U+001F), DEL and the C1 controls (U+0080-U+009F, which some terminals
 * obey like their ESC forms); the engine's own colours are added after, around inert text.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this module finds
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- the same, newlines included
const CONTROLS_AND_NEWLINES = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** The text with its control characters shown as `\xNN`; newlines and tabs are kept. */
export function inertText(text: string): string {
  return text.replace(CONTROLS, shown);
}

/** The same for a place that holds one line (a table's cell, a progress title): a newline is shown too. */
export function inertLine(text: string): string {
  return text.replace(CONTROLS_AND_NEWLINES, shown);
}

/** `\x00`... by code, made once: a log may hold millions of them (a file's sparse, zeroed part). */
const SHOWN = Array.from({ length: 0xa0 }, (_, code) => `\\x${code.toString(16).padStart(2, '0')}`);

function shown(control: string): string {
  return SHOWN[control.charCodeAt(0)];
}
