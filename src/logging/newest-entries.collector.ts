import { unindentContinuationLine } from './continuation-lines';
import type { BackwardLine } from './log-lines.backward';
import { parseLogLine, type LogEntry, type LogSource } from './log-entry';
import { ATTEMPT_LINE, matchesLogFilter, type LogEntryFilter } from './log-line.filter';

/** The entries a collector kept. */
export interface NewestEntries {
  /** Whole entries, oldest first, each ending in a newline. */
  text: string;
  /** How many entries `text` holds. */
  lines: number;
  /** True when older entries the filter keeps were left out, to stay within the budget. */
  truncated: boolean;
  /** False when no entry the filter keeps was read at all. */
  exists: boolean;
}

/** An entry read, with its bytes in the file; `whole: false` when its lines were too many to hold. */
interface ReadEntry {
  entry: LogEntry;
  bytes: number;
  whole: boolean;
}

/**
 * Builds the end of a log from its lines read newest first (linesBackward): the newest entries the
 * filter keeps, as many as fit in `maxBytes`: the longest run of the newest entries `app.logs()`
 * gives (LogLineFilter, reading forward) that fits, in the same order. It says when it has them
 * (`add` answers false), so a reader stops there: what it reads follows `maxBytes`, not the log's size.
 *
 * Forward, an entry's attempt is the last `attempt N started` of its run before it. Backward, the
 * entries of the run wait (as many as could be shown) until that line comes, then are placed. An
 * attempt is only asked for with its run (`filter.runId`, as the viewer's route requires): a
 * timeperiod's runs interleave, and their entries could wait on each other without bound.
 */
export class NewestEntriesCollector {
  /** The entries shown, newest first. */
  private readonly shown: string[] = [];
  private shownBytes = 0;
  /** Continuation lines read since the last entry's first line: the next (older) entry's, newest first. */
  private following: string[] = [];
  private followingBytes = 0;
  private followingWhole = true;
  /** The run's entries read since its last `attempt N started` (newest first), and whether every one is held. */
  private unplaced: ReadEntry[] = [];
  private unplacedBytes = 0;
  /** The bytes of those held: all of unplacedBytes while unplacedWhole. */
  private unplacedHeldBytes = 0;
  private unplacedWhole = true;
  private matched = false;
  private truncated = false;
  private stopped = false;
  /** The most bytes of entries it held at once: what a measurement of its memory reads. */
  peakBytes = 0;

  /**
   * @param notBefore no entry of the run asked for is older than this (ms since the epoch): the
   * reader stops at the first one that is (run-log-tail.query.ts says why that holds).
   */
  constructor(
    private readonly source: LogSource,
    private readonly filter: LogEntryFilter,
    private readonly maxBytes: number,
    private readonly notBefore = -Infinity,
  ) {
    if (filter.attempt !== undefined && filter.runId === undefined)
      throw new Error(
        "NewestEntriesCollector: filter.attempt needs filter.runId (an attempt is one run's); app.logs() reads a timeperiod's attempts",
      );
  }

  /** Takes the next older line; false once no older line can change the answer. */
  add(line: BackwardLine): boolean {
    if (this.stopped) return false;
    const entry = parseLogLine(line.text, this.source);
    if (!entry) {
      // a continuation line: its entry's first line is older
      this.followingBytes += line.bytes;
      if (this.followingWhole && this.followingBytes <= this.room()) this.following.push(line.text);
      else this.dropFollowing();
      this.measure();
      return true;
    }
    const read = this.complete(entry, line);
    if (entry.time.getTime() < this.notBefore) {
      this.end();
      return false;
    }
    if (!this.offer(read)) this.stopped = true;
    this.measure();
    return !this.stopped;
  }

  /** The log's start (or the time bound): the run's entries still unplaced have no attempt. */
  end(): void {
    if (this.stopped) return;
    if (this.filter.attempt !== undefined) this.place(undefined);
    this.stopped = true;
  }

  tail(): NewestEntries {
    return {
      text: this.shown
        .slice()
        .reverse()
        .map((line) => `${line}\n`)
        .join(''),
      lines: this.shown.length,
      truncated: this.truncated,
      exists: this.matched,
    };
  }

  /** The entry this first line starts, with the continuation lines read before it (if they could be held). */
  private complete(entry: LogEntry, line: BackwardLine): ReadEntry {
    const bytes = line.bytes + this.followingBytes;
    const whole = !line.cut && this.followingWhole && bytes <= this.room();
    if (whole && this.following.length > 0) {
      const rest = this.following.reverse();
      entry.line += `\n${rest.join('\n')}`;
      entry.message += `\n${rest.map(unindentContinuationLine).join('\n')}`;
    }
    this.following = [];
    this.followingBytes = 0;
    this.followingWhole = true;
    return { entry, bytes, whole };
  }

  /** False when the answer is complete. */
  private offer(read: ReadEntry): boolean {
    const { timeperiod, runId, attempt } = this.filter;
    if (attempt === undefined) return !matchesLogFilter(read.entry, this.filter) || this.show(read);
    if (!matchesLogFilter(read.entry, { timeperiod, runId })) return true;
    const { entry } = read;
    // as LogLineFilter: a step's line without its own attempt has the run's last one started
    const inferred = entry.step !== undefined && entry.attempt === undefined;
    if (!inferred && this.unplaced.length === 0 && this.unplacedWhole) return !matchesLogFilter(entry, this.filter) || this.show(read);
    this.unplacedBytes += read.bytes;
    if (this.unplacedWhole && this.unplacedBytes <= this.maxBytes - this.shownBytes) {
      this.unplaced.push(read);
      this.unplacedHeldBytes += read.bytes;
    } else this.unplacedWhole = false;
    const started = inferred && entry.action === undefined ? ATTEMPT_LINE.exec(entry.message) : null;
    return started ? this.place(Number(started[1])) : true;
  }

  /** The run's entries waiting for their attempt are of this one (undefined: of none). False when the answer is complete. */
  private place(attempt: number | undefined): boolean {
    const placed = this.unplaced;
    const whole = this.unplacedWhole;
    this.unplaced = [];
    this.unplacedBytes = 0;
    this.unplacedHeldBytes = 0;
    this.unplacedWhole = true;
    for (const read of placed) {
      read.entry.attempt ??= attempt;
      if (matchesLogFilter(read.entry, this.filter) && !this.show(read)) return false;
    }
    if (!whole && attempt === this.filter.attempt) {
      // older entries of the attempt, left out for room: the answer ends here, cut
      this.matched = true;
      this.truncated = true;
      return false;
    }
    return true;
  }

  /** Shows an entry the filter keeps; false (and cut) when it does not fit: nothing older can be shown. */
  private show(read: ReadEntry): boolean {
    this.matched = true;
    if (!read.whole || this.shownBytes + read.bytes > this.maxBytes) {
      this.truncated = true;
      return false;
    }
    this.shown.push(read.entry.line);
    this.shownBytes += read.bytes;
    return true;
  }

  /** What an entry being read may still hold: what is left of the budget. */
  private room(): number {
    return this.maxBytes - this.shownBytes - this.unplacedHeldBytes;
  }

  private dropFollowing(): void {
    this.following = [];
    this.followingWhole = false;
  }

  private measure(): void {
    const held = this.shownBytes + this.unplacedHeldBytes + (this.followingWhole ? this.followingBytes : 0);
    this.peakBytes = Math.max(this.peakBytes, held);
  }
}
