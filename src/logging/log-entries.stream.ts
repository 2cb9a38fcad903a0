import * as fs from 'node:fs';
import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LogEntry, LogSource } from './log-entry';
import { LineSplitter } from './line-splitter';
import { logFileGenerations } from './log-file-rotation';
import { LogLineFilter, type LogEntryFilter } from './log-line.filter';

/** An entry of a log, and the bytes its lines take in the file, newlines included. */
export interface SizedLogEntry {
  entry: LogEntry;
  bytes: number;
  /** False when the entry outgrew `maxEntryBytes`: its line and message hold only its start. */
  whole: boolean;
}

export interface LogEntriesStreamOptions {
  /** Ends the read: the next turn of the event loop after it aborts, the files are closed and the generator throws its reason. */
  signal?: AbortSignal;
  /** An entry larger than this stops growing (`whole: false`), its bytes still counted: for a reader that shows none that large. */
  maxEntryBytes?: number;
}

/**
 * The read gives the event loop a turn after this many bytes: a 22 MiB log then costs the runs in
 * flight, the lease heartbeats and the other requests a few milliseconds at a time, never a second.
 */
const TURN_EVERY_BYTES = 64 * 1024;

/**
 * The entries of a log file and of its rotated files, oldest first, that pass the filter, each once
 * it is complete (its continuation lines read). Streamed line by line: what the reader holds is the
 * entry being read, whatever the log's size.
 */
export async function* streamLogEntries(
  file: string,
  source: LogSource,
  filter: LogEntryFilter = {},
  options: LogEntriesStreamOptions = {},
): AsyncGenerator<SizedLogEntry> {
  const { signal, maxEntryBytes = Infinity } = options;
  signal?.throwIfAborted();
  const lines = new LogLineFilter(source, filter);
  let pending: SizedLogEntry | undefined;
  let sinceTurn = 0;
  // Every generation opened at once: a rotation renames the files, and an open file keeps its
  // lines, so a read that takes a while (it yields to the event loop) misses none of them.
  const handles = await openGenerations(await generationsOf(file));
  try {
    for (const handle of handles) {
      for await (const line of linesOf(handle, signal)) {
        const bytes = Buffer.byteLength(line) + 1;
        const { kept, entry } = lines.next(line);
        if (entry || !kept) {
          // a new entry starts (kept or not): the one before is complete
          if (pending) yield pending;
          pending = entry && { entry, bytes, whole: true };
        } else if (pending) {
          pending.bytes += bytes;
          if (pending.whole && pending.bytes > maxEntryBytes) {
            lines.detach();
            pending.whole = false;
          }
        }
        sinceTurn += bytes;
        if (sinceTurn >= TURN_EVERY_BYTES) {
          sinceTurn = 0;
          await nextTurn();
          signal?.throwIfAborted();
        }
      }
      // the lines of an aborted read end early: what was read is no answer
      signal?.throwIfAborted();
    }
  } finally {
    // Closed, not only asked to close, when the read returns: its caller may count descriptors.
    await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
  }
  if (pending) yield pending;
}

/** The files that exist, opened in order; one rotated away between listing and opening is skipped. */
export async function openGenerations(files: string[]): Promise<fs.promises.FileHandle[]> {
  const handles: fs.promises.FileHandle[] = [];
  try {
    for (const file of files) {
      try {
        handles.push(await fs.promises.open(file, 'r'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  } catch (err) {
    await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
    throw err;
  }
  return handles;
}

/** `<file>.<n>` ... `<file>.1`, `<file>`: those that exist. */
export async function generationsOf(file: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(path.dirname(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return logFileGenerations(file, names);
}

/**
 * The lines of an open log file. They end at once when the signal aborts, even while a read is
 * waiting for the disk (the caller then throws its reason). Split at `\n` only: readline also ends
 * a line at a lone `\r`, which let a command's `progress\r<forged line>` start an entry (the
 * writer turns a message's line breaks into indented `\n`s, see continuation-lines.ts). A `\r`
 * before the `\n` is dropped, as readline did, for files written before. The handle stays open:
 * its owner closes it.
 */
async function* linesOf(handle: fs.promises.FileHandle, signal: AbortSignal | undefined): AsyncGenerator<string> {
  if (signal?.aborted) return;
  const stream = handle.createReadStream({ encoding: 'utf8', highWaterMark: 256 * 1024, autoClose: false });
  const stop = () => stream.destroy();
  signal?.addEventListener('abort', stop, { once: true });
  const splitter = new LineSplitter();
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      for (const line of splitter.push(chunk)) yield withoutCarriageReturn(line);
    }
    if (splitter.rest()) yield withoutCarriageReturn(splitter.rest());
  } catch (err) {
    // a stream destroyed by the abort ends "prematurely": the caller throws the abort's reason
    if (!signal?.aborted) throw err;
  } finally {
    signal?.removeEventListener('abort', stop);
    // An early end of the loop destroys it with an AbortError: not reported.
    stream.on('error', () => undefined);
    stream.destroy();
  }
}

/** A line as readline gave it: a `\r` before its newline dropped. */
export function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
