import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogEntry, LogSource } from './log-entry';
import { logFileGenerations } from './log-file-rotation';
import { LogLineFilter, type LogEntryFilter } from './log-line.filter';

/**
 * The entries of a log file and of its rotated files, oldest first, that pass the filter (at most
 * `limit`). Read line by line, never whole: a log written before rotation existed may be hundreds of MB.
 */
export async function readLogEntries(file: string, source: LogSource, filter: LogEntryFilter = {}, limit = Infinity): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  const lines = new LogLineFilter(source, filter);
  for (const generation of await generationsOf(file)) {
    for await (const line of linesOf(generation)) {
      const { entry } = lines.next(line);
      if (!entry) continue;
      // The last one is complete only once the next entry starts: stop at the one after the limit.
      if (out.length === limit) return out;
      out.push(entry);
    }
  }
  return out;
}

/** `<file>.<n>` ... `<file>.1`, `<file>`: those that exist. */
async function generationsOf(file: string): Promise<string[]> {
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
 * The file's lines; none if it was rotated away between listing and reading. Split at `\n` only:
 * readline also ends a line at a lone `\r`, which let a command's `progress\r<forged line>` start
 * an entry (the writer turns a message's line breaks into indented `\n`s, see continuation-lines.ts).
 * A `\r` before the `\n` is dropped, as readline did, for files written before.
 */
async function* linesOf(file: string): AsyncGenerator<string> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  const opened = await new Promise<boolean>((resolve, reject) => {
    stream.once('open', () => resolve(true));
    stream.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? resolve(false) : reject(err)));
  });
  if (!opened) return;
  let partial = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) yield withoutCarriageReturn(line);
    }
    if (partial) yield withoutCarriageReturn(partial);
  } finally {
    stream.destroy();
  }
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
