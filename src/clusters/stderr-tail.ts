import { tailCutMark } from '../logging/cut-marks';

/** How many of the last stderr lines a failed command's error quotes. */
export const STDERR_TAIL_LINES = 20;
/** How much of them at most: the error goes into the step's `error` column, events and `status --json`. */
export const STDERR_TAIL_CHARS = 4096;

/**
 * The last lines of a command's stderr, for its error: the cause is usually at the end. Bounded
 * in lines and in characters (a single 5 MB line must not become a 5 MB error), and it says when
 * it left something out; the whole output is in the step log. The mark it starts with then tells
 * the redactor where it was cut, so that it masks the end of a secret the cut left.
 */
export class StderrTail {
  /** Each line's end (all that can ever be quoted) and its whole length. */
  private readonly lines: Array<{ end: string; length: number }> = [];

  add(line: string): void {
    this.lines.push({ end: line.length > STDERR_TAIL_CHARS ? line.slice(-STDERR_TAIL_CHARS) : line, length: line.length });
    if (this.lines.length > STDERR_TAIL_LINES) this.lines.shift();
  }

  text(): string {
    const tail = this.lines.map((line) => line.end).join('\n');
    const length = this.lines.reduce((sum, line) => sum + line.length, Math.max(0, this.lines.length - 1));
    if (length <= STDERR_TAIL_CHARS) return tail;
    return `${tailCutMark(length - STDERR_TAIL_CHARS)}${tail.slice(-STDERR_TAIL_CHARS)}`;
  }
}
