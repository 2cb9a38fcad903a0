import type { LogEntry, LogSource } from './log-entry';
import { streamLogEntries } from './log-entries.stream';
import type { LogEntryFilter } from './log-line.filter';

/**
 * The entries of a log file and of its rotated files, oldest first, that pass the filter (at most
 * `limit`), in one array: what `app.logs()` returns. A reader that shows only part of a log streams
 * it instead (streamLogEntries), so as not to hold the whole of it.
 */
export async function readLogEntries(
  file: string,
  source: LogSource,
  filter: LogEntryFilter = {},
  limit = Infinity,
  signal?: AbortSignal,
): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  if (limit <= 0) return out;
  // leaving the loop early closes the file being read
  for await (const { entry } of streamLogEntries(file, source, filter, { signal })) {
    out.push(entry);
    if (out.length === limit) break;
  }
  return out;
}
