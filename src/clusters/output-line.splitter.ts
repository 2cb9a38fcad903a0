import { lineCutMark } from '../logging/cut-marks';

/** The most of one output line kept: a line has no length limit, memory and log files do. */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Splits a child process's output stream into lines as the chunks come, holding at most
 * `maxLineBytes` of the line in progress: the rest of a longer line is counted, not kept, and the
 * line ends with `[cut N bytes]`. A 30 MB line without a newline costs 64 KiB, not a 30 MB string
 * rebuilt for every chunk. `end()` hands over a last line that has no newline.
 *
 * The line is cut before the logger redacts it: the mark tells the redactor where, so that it masks
 * the start of a secret the cut left (see cut-marks.ts). A line that fits costs nothing more.
 */
export class OutputLineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private cut = 0;
  private pending = false;

  constructor(
    private readonly onLine: (line: string, terminated: boolean) => void,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      this.keep(chunk.subarray(start, newline === -1 ? chunk.length : newline));
      if (newline === -1) return;
      this.emit(true);
      start = newline + 1;
    }
  }

  /** The stream ended: its last line, if it had no newline. */
  end(): void {
    if (this.pending) this.emit(false);
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pending = true;
    const room = this.maxLineBytes - this.kept;
    const taken = room > 0 ? bytes.subarray(0, room) : bytes.subarray(0, 0);
    if (taken.length) {
      // A copy: a subarray would keep the whole chunk alive while the line waits for its end.
      this.parts.push(Buffer.from(taken));
      this.kept += taken.length;
    }
    this.cut += bytes.length - taken.length;
  }

  private emit(terminated: boolean): void {
    let bytes = Buffer.concat(this.parts, this.kept);
    if (this.cut) {
      // A character cut in two would end the text as U+FFFD, hiding from the redactor the secret's start before it.
      const whole = wholeCharactersLength(bytes);
      this.cut += bytes.length - whole;
      bytes = bytes.subarray(0, whole);
    }
    const text = bytes.toString('utf8');
    const line = this.cut ? `${text}${lineCutMark(this.cut)}` : text;
    this.parts = [];
    this.kept = 0;
    this.cut = 0;
    this.pending = false;
    this.onLine(line, terminated);
  }
}

/** The length of the UTF-8 bytes without a last character that is missing bytes. */
function wholeCharactersLength(bytes: Buffer): number {
  let lead = bytes.length - 1;
  while (lead >= 0 && bytes.length - lead < 4 && (bytes[lead] & 0xc0) === 0x80) lead--;
  if (lead < 0) return bytes.length;
  const first = bytes[lead];
  const needed = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return bytes.length - lead >= needed ? bytes.length : lead;
}
