import type { LogSource } from './log-entry';
import { generationsOf, openGenerations } from './log-entries.stream';
import type { LogEntryFilter } from './log-line.filter';
import { linesBackward } from './log-lines.backward';
import { NewestEntriesCollector, type NewestEntries } from './newest-entries.collector';

/** The end of a log as a reader shows it: whole entries, the newest within a byte budget. */
export interface LogTail extends NewestEntries {
  /** Bytes of the log's files (every generation, every run's lines) when the read began: from their sizes, not a count of entries. */
  size: number;
}

export interface NewestLogEntries extends LogTail {
  /** The most bytes of entries it held at once (what a measurement of its memory reads). */
  peakBytes: number;
}

export interface NewestLogEntriesOptions {
  maxBytes: number;
  /** Ends the read: it rejects with the signal's reason, its files closed. */
  signal?: AbortSignal;
  /** No entry the filter keeps is older than this (ms since the epoch): the read stops at the first entry that is. */
  notBefore?: number;
}

/** A line longer than this is held by its start only: enough to tell its entry, a JSON one's included. */
const MIN_KEEP_BYTES = 64 * 1024;

/**
 * The newest entries of a log and of its rotated files that pass the filter, within `maxBytes`,
 * read backwards from the end of the newest file: what it reads is what it shows and the entry
 * that did not fit, whatever the log's size (a run's read goes back to its start at most, see
 * `notBefore`). Every generation is opened before the first byte is read: a rotation during the
 * read renames the files, and an open file keeps its lines, so none of those the files held then
 * is lost (lines written after it began are not read).
 */
export async function readNewestLogEntries(
  file: string,
  source: LogSource,
  filter: LogEntryFilter,
  { maxBytes, signal, notBefore }: NewestLogEntriesOptions,
): Promise<NewestLogEntries> {
  signal?.throwIfAborted();
  const collector = new NewestEntriesCollector(source, filter, maxBytes, notBefore);
  const handles = await openGenerations(await generationsOf(file));
  try {
    const sizes = await Promise.all(handles.map(async (handle) => (await handle.stat()).size));
    let more = true;
    for (let i = handles.length - 1; i >= 0 && more; i--) {
      for await (const line of linesBackward(handles[i], sizes[i], Math.max(maxBytes, MIN_KEEP_BYTES), signal)) {
        more = collector.add(line);
        if (!more) break;
      }
      // the lines of an aborted read end early: what was read is no answer
      signal?.throwIfAborted();
    }
    collector.end();
    return { ...collector.tail(), size: sizes.reduce((sum, size) => sum + size, 0), peakBytes: collector.peakBytes };
  } finally {
    // Closed, not only asked to close, when the read returns: its caller may count descriptors.
    await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
  }
}
