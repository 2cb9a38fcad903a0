import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveLogOptions, type LogRotation } from './log-options';
import { attemptContinuationLines, attemptsGoingOn, type LineAttempt, type RunAttempts } from './attempt-continuation';
import { rotateLogFile } from './log-file-rotation';
import { makeDirectoriesSync } from './make-directories';

/** How many file names a writer remembers as opened before (see BoundedFileWriter.opened): a few MiB of paths at most. */
const MAX_FILES_REMEMBERED = 50_000;

/** A file held open: its descriptor, its size as this writer knows it, and when it rotates. */
interface OpenFile {
  fd: number;
  size: number;
  rotation: LogRotation;
  /** Each run's attempt, from the step's own lines written to it (see attemptsGoingOn); undefined when opened on a file it did not start. */
  attempts: RunAttempts | undefined;
}

/** The lines buffered for a file, and the step's own lines among them (their index, their attempt). */
interface PendingLines {
  lines: string[];
  attempts: Array<[line: number, attempt: LineAttempt]>;
}

/** Runs whose attempt a file remembers, the newest: more runs of one step at once is not a case to pay for. */
const MAX_RUNS_REMEMBERED = 16;

/**
 * Appends text to many files while holding at most `maxOpen` file descriptors: a 10,000-step
 * flow writes 10,000 step logs, and must not hold 10,000 files open. Writes are buffered and
 * flushed on the next turn of the event loop, so a step's burst of lines costs one write(2).
 *
 * A file that would grow past its rotation's `maxFileBytes` is rotated first (see rotateLogFile),
 * between two lines: a line (one write() call's text, a multi-line message included) is never
 * split across two files. The rotation is chosen by directory (rotateUnder: one application's log
 * directory); files elsewhere rotate at the defaults.
 */
export class BoundedFileWriter {
  /** Insertion order doubles as LRU order: a used entry is deleted and re-inserted. */
  private readonly open = new Map<string, OpenFile>();
  private readonly pending = new Map<string, PendingLines>();
  private flushScheduled = false;
  private highWaterOpen = 0;
  /** Directories known to exist: creating a log file costs one open(2), not a mkdir(2) too. */
  private readonly directories = new Set<string>();
  /**
   * Files this writer has opened before: when one is opened again (after its descriptor was closed
   * for another file: a 1,000-step flow's logs through 64 descriptors, every run), it is known to
   * exist, and the exclusive create that fails on an existing file (an exception made and thrown
   * on the log thread, per file and run) is skipped.
   */
  private readonly opened = new Set<string>();
  /** The rotation of the files under each directory (with its trailing separator), as rotateUnder set them. */
  private readonly rotations = new Map<string, LogRotation>();
  private readonly defaultRotation: LogRotation = resolveLogOptions();

  constructor(private readonly maxOpen = 64) {}

  /** The files under `directory` rotate as `rotation` says from now on (those already open, when next opened). */
  rotateUnder(directory: string, rotation: LogRotation): void {
    this.rotations.set(directory.endsWith(path.sep) ? directory : `${directory}${path.sep}`, rotation);
  }

  /** Appends `text` to `file`; `attempt` when it is a step's own text line of an attempt (FileLogger says so). */
  write(file: string, text: string, attempt?: LineAttempt): void {
    let buffer = this.pending.get(file);
    if (buffer) buffer.lines.push(text);
    else this.pending.set(file, (buffer = { lines: [text], attempts: [] }));
    if (attempt) buffer.attempts.push([buffer.lines.length - 1, attempt]);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes everything buffered; synchronous so that callers can rely on the files afterwards. */
  flush(): void {
    this.flushScheduled = false;
    for (const [file, { lines, attempts }] of this.pending) {
      try {
        this.append(file, lines, attempts);
      } catch (err) {
        // Logging must never break a flow run; report once on stderr and drop the lines.
        process.stderr.write(`synergy-flow: cannot write log file ${file}: ${(err as Error).message}\n`);
      }
    }
    this.pending.clear();
  }

  closeAll(): void {
    this.flush();
    for (const { fd } of this.open.values()) fs.closeSync(fd);
    this.open.clear();
  }

  /** Writes what is buffered and closes the files under `directory` (one application's log directory); the others stay open. */
  closeUnder(directory: string): void {
    this.flush();
    const prefix = directory.endsWith(path.sep) ? directory : `${directory}${path.sep}`;
    for (const [file, { fd }] of this.open) {
      if (!file.startsWith(prefix)) continue;
      fs.closeSync(fd);
      this.open.delete(file);
    }
  }

  /** The most descriptors held at once so far (the benchmark reports it). */
  get maxOpenSoFar(): number {
    return this.highWaterOpen;
  }

  /** Appends the lines in one write(2), or, when they would take the file past its size, in one write per file rotated. */
  private append(file: string, lines: string[], attempts: PendingLines['attempts']): void {
    let target = this.fileFor(file);
    const text = lines.join('');
    const bytes = Buffer.byteLength(text);
    if (target.size + bytes <= target.rotation.maxFileBytes) {
      fs.writeSync(target.fd, text);
      target.size += bytes;
      remember(target, attempts, 0, lines.length);
      return;
    }
    let part: string[] = [];
    let partBytes = 0;
    // the attempts of the lines written so far are remembered, up to this one
    let remembered = 0;
    for (let i = 0; i < lines.length; i++) {
      const lineBytes = Buffer.byteLength(lines[i]);
      // A line longer than maxFileBytes gets a file of its own rather than being cut.
      if (target.size + partBytes + lineBytes > target.rotation.maxFileBytes && target.size + partBytes > 0) {
        if (part.length) fs.writeSync(target.fd, part.join(''));
        remembered = remember(target, attempts, remembered, i);
        target = this.rotate(file, target, lines.slice(i));
        part = [];
        partBytes = 0;
      }
      part.push(lines[i]);
      partBytes += lineBytes;
    }
    fs.writeSync(target.fd, part.join(''));
    target.size += partBytes;
    remember(target, attempts, remembered, lines.length);
  }

  /**
   * Closes the file, shifts its rotated files by one, and opens a new one in its place, which starts
   * by naming the attempts that go on in it (`coming`: the lines it is opened for; see attemptsGoingOn).
   */
  private rotate(file: string, current: OpenFile, coming: readonly string[]): OpenFile {
    fs.closeSync(current.fd);
    this.open.delete(file);
    rotateLogFile(file, current.rotation.keepFiles);
    const going = attemptsGoingOnOrNone(file, coming, current.attempts);
    const opened = this.fileFor(file);
    const continuations = attemptContinuationLines(file, going);
    if (continuations) {
      fs.writeSync(opened.fd, continuations);
      opened.size += Buffer.byteLength(continuations);
    }
    opened.attempts = going;
    return opened;
  }

  /**
   * Opens the file to append. A new file (a step's first run: every file of a 10,000-step flow's
   * first run) is created with one open(2), its size known to be 0; only an existing one costs an
   * fstat(2) more, for the size its rotation starts from.
   */
  private openFile(file: string): OpenFile {
    const rotation = this.rotationOf(file);
    if (!this.opened.has(file)) {
      // A bound on what it remembers: past it, files are opened as if never seen.
      if (this.opened.size >= MAX_FILES_REMEMBERED) this.opened.clear();
      try {
        const fd = fs.openSync(file, 'ax');
        this.opened.add(file);
        return { fd, size: 0, rotation, attempts: new Map() };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    const fd = fs.openSync(file, 'a');
    this.opened.add(file);
    const size = fs.fstatSync(fd).size;
    // Reopened after its descriptor went to another file: what it was written then is not known here.
    return { fd, size, rotation, attempts: size === 0 ? new Map() : undefined };
  }

  private rotationOf(file: string): LogRotation {
    for (const [prefix, rotation] of this.rotations) if (file.startsWith(prefix)) return rotation;
    return this.defaultRotation;
  }

  private fileFor(file: string): OpenFile {
    const known = this.open.get(file);
    if (known !== undefined) {
      this.open.delete(file);
      this.open.set(file, known);
      return known;
    }
    if (this.open.size >= this.maxOpen) {
      const [oldestFile, oldest] = this.open.entries().next().value as [string, OpenFile];
      this.open.delete(oldestFile);
      fs.closeSync(oldest.fd);
    }
    const directory = path.dirname(file);
    if (!this.directories.has(directory)) {
      makeDirectoriesSync(directory);
      this.directories.add(directory);
    }
    let opened: OpenFile;
    try {
      opened = this.openFile(file);
    } catch (err) {
      // The directory was removed meanwhile (a test's temp dir, say): create it again once.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      makeDirectoriesSync(directory);
      opened = this.openFile(file);
    }
    this.open.set(file, opened);
    this.highWaterOpen = Math.max(this.highWaterOpen, this.open.size);
    return opened;
  }
}

/**
 * Remembers, in the file they were written to, the attempts of the step's own lines before line `to`,
 * from `attempts[from]` on; returns where it stopped in `attempts`.
 */
function remember(target: OpenFile, attempts: PendingLines['attempts'], from: number, to: number): number {
  let i = from;
  for (; i < attempts.length && attempts[i][0] < to; i++) {
    const known = target.attempts;
    if (!known) continue;
    const { run, attempt } = attempts[i][1];
    known.delete(run);
    known.set(run, attempt);
    if (known.size > MAX_RUNS_REMEMBERED) known.delete(known.keys().next().value!);
  }
  return i;
}

/** The attempts going on, or none if the rotated file cannot be read: lines are never dropped for them. */
function attemptsGoingOnOrNone(file: string, coming: readonly string[], known: RunAttempts | undefined): RunAttempts {
  try {
    return attemptsGoingOn(file, coming, known);
  } catch {
    return new Map();
  }
}
