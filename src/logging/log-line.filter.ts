import { unindentContinuationLine } from './continuation-lines';
import { parseLogLine, type LogEntry, type LogSource } from './log-entry';

/** Which lines to keep: those of a timeperiod, of a run, of an attempt (every line when empty). */
export interface LogEntryFilter {
  timeperiod?: string;
  runId?: string;
  attempt?: number;
}

/**
 * The step's own line that starts an attempt (step-executor.ts), or carries it into a file a
 * rotation opened (attempt-continuation.ts): a text line's attempt is the last one of these in its run.
 */
export const ATTEMPT_LINE = /^attempt (\d+) (?:started|continues)/;

/**
 * Reads a log's lines one by one, in file order, and says which to keep: the lines of the entries
 * the filter asks for, with their continuation lines (a multi-line message, a stack trace). Keeps
 * the state that takes: the attempt each run of a step is at, and whether the last entry was kept.
 * `app.logs()` reads files through it, and `logs --follow` the lines as they come.
 */
export class LogLineFilter {
  private readonly attempts = new Map<string, number>();
  /** The last entry kept, which a continuation line extends; undefined after an entry left out. */
  private current: LogEntry | undefined;
  private keeping: boolean;

  constructor(
    private readonly source: LogSource,
    private readonly filter: LogEntryFilter = {},
  ) {
    // Continuation lines before any entry (a file that starts mid-message) are kept only when everything is.
    this.keeping = filter.timeperiod === undefined && filter.runId === undefined && filter.attempt === undefined;
  }

  /** The entry this line starts, if kept; undefined otherwise (also for a continuation line, which `current` absorbs). */
  next(line: string): { kept: boolean; entry?: LogEntry } {
    const entry = parseLogLine(line, this.source);
    if (!entry) {
      if (this.keeping && this.current) {
        this.current.line += `\n${line}`;
        this.current.message += `\n${unindentContinuationLine(line)}`;
      }
      return { kept: this.keeping };
    }
    if (entry.step !== undefined && entry.runId !== undefined && entry.attempt === undefined) {
      const started = entry.action === undefined ? ATTEMPT_LINE.exec(entry.message) : null;
      if (started) this.attempts.set(entry.runId, Number(started[1]));
      const attempt = this.attempts.get(entry.runId);
      if (attempt !== undefined) entry.attempt = attempt;
    }
    this.keeping = matchesLogFilter(entry, this.filter);
    this.current = this.keeping ? entry : undefined;
    return this.keeping ? { kept: true, entry } : { kept: false };
  }

  /**
   * Stops extending the last entry kept: its next continuation lines are still kept (`next` says so)
   * but no longer appended to it. For a reader that will not show an entry that large, and so need
   * not hold it while a message of millions of lines goes by.
   */
  detach(): void {
    this.current = undefined;
  }
}

/** Whether an entry whose attempt is known (or needs none) is one the filter asks for. */
export function matchesLogFilter(entry: LogEntry, filter: LogEntryFilter): boolean {
  return (
    (filter.timeperiod === undefined || entry.timeperiod === filter.timeperiod) &&
    (filter.runId === undefined || entry.runId === filter.runId) &&
    (filter.attempt === undefined || entry.attempt === filter.attempt)
  );
}
