/** The end of a log as a reader shows it: whole entries, the newest within a byte budget. */
export interface LogTail {
  /** Whole entries, oldest first, each ending in a newline. */
  text: string;
  /** How many entries `text` holds. */
  lines: number;
  /** Bytes of every entry read, before any were left out. */
  size: number;
  /** True when older entries were left out, to stay within the budget. */
  truncated: boolean;
  /** False when no entry was read at all. */
  exists: boolean;
}

/**
 * Keeps the newest entries of a log read oldest first, as long as they fit in `maxBytes`: a ring
 * whose oldest entries leave as new ones come. What it holds follows the budget, not the log's size
 * (a 22 MiB log read for its last byte holds one entry at a time). An entry larger than the budget
 * empties it: the tail is a suffix of the log, so nothing older can be shown either.
 */
export class NewestLinesWindow {
  private readonly texts: string[] = [];
  private readonly sizes: number[] = [];
  /** Index of the oldest entry kept: entries leave from the front without moving the others each time. */
  private first = 0;
  private keptBytes = 0;
  private added = 0;
  private dropped = false;
  private totalBytes = 0;
  /** The most bytes it held between two entries: what a measurement of its memory reads. */
  peakBytes = 0;
  /** The most entries it held between two entries. */
  peakLines = 0;

  constructor(readonly maxBytes: number) {}

  /** Adds the next entry: its line as in the file (without its final newline), and its bytes with that newline. */
  add(line: string, bytes: number): void {
    this.added++;
    this.totalBytes += bytes;
    if (bytes > this.maxBytes) {
      this.dropped = true;
      this.clear();
      return;
    }
    this.texts.push(line);
    this.sizes.push(bytes);
    this.keptBytes += bytes;
    while (this.keptBytes > this.maxBytes) {
      this.keptBytes -= this.sizes[this.first];
      this.first++;
      this.dropped = true;
    }
    this.compact();
    this.peakBytes = Math.max(this.peakBytes, this.keptBytes);
    this.peakLines = Math.max(this.peakLines, this.texts.length - this.first);
  }

  /** How many entries were added, kept or not. */
  get count(): number {
    return this.added;
  }

  tail(): LogTail {
    const shown = this.texts.slice(this.first);
    return {
      text: shown.map((line) => `${line}\n`).join(''),
      lines: shown.length,
      size: this.totalBytes,
      truncated: this.dropped,
      exists: this.added > 0,
    };
  }

  private clear(): void {
    this.texts.length = 0;
    this.sizes.length = 0;
    this.first = 0;
    this.keptBytes = 0;
  }

  /** Drops the slots of the entries that left, once they are most of the arrays (so each entry is moved O(1) times). */
  private compact(): void {
    if (this.first < 1024 || this.first * 2 < this.texts.length) return;
    this.texts.splice(0, this.first);
    this.sizes.splice(0, this.first);
    this.first = 0;
  }
}
