import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Appends text to many files while holding at most `maxOpen` file descriptors: a 10,000-step
 * flow writes 10,000 step logs, and must not hold 10,000 files open. Writes are buffered and
 * flushed on the next turn of the event loop, so a step's burst of lines costs one write(2).
 */
export class BoundedFileWriter {
  /** Insertion order doubles as LRU order: a used entry is deleted and re-inserted. */
  private readonly open = new Map<string, number>();
  private readonly pending = new Map<string, string[]>();
  private flushScheduled = false;
  private highWaterOpen = 0;
  /** Directories known to exist: creating a log file costs one open(2), not a mkdir(2) too. */
  private readonly directories = new Set<string>();

  constructor(private readonly maxOpen = 64) {}

  write(file: string, text: string): void {
    const buffer = this.pending.get(file);
    if (buffer) buffer.push(text);
    else this.pending.set(file, [text]);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes everything buffered; synchronous so that callers can rely on the files afterwards. */
  flush(): void {
    this.flushScheduled = false;
    for (const [file, chunks] of this.pending) {
      try {
        fs.writeSync(this.fdFor(file), chunks.join(''));
      } catch (err) {
        // Logging must never break a flow run; report once on stderr and drop the lines.
        process.stderr.write(`synergy-flow: cannot write log file ${file}: ${(err as Error).message}\n`);
      }
    }
    this.pending.clear();
  }

  closeAll(): void {
    this.flush();
    for (const fd of this.open.values()) fs.closeSync(fd);
    this.open.clear();
  }

  /** Writes what is buffered and closes the files under `directory` (one application's log directory); the others stay open. */
  closeUnder(directory: string): void {
    this.flush();
    const prefix = directory.endsWith(path.sep) ? directory : `${directory}${path.sep}`;
    for (const [file, fd] of this.open) {
      if (!file.startsWith(prefix)) continue;
      fs.closeSync(fd);
      this.open.delete(file);
    }
  }

  /** The most descriptors held at once so far (the benchmark reports it). */
  get maxOpenSoFar(): number {
    return this.highWaterOpen;
  }

  private fdFor(file: string): number {
    const fd = this.open.get(file);
    if (fd !== undefined) {
      this.open.delete(file);
      this.open.set(file, fd);
      return fd;
    }
    if (this.open.size >= this.maxOpen) {
      const [oldestFile, oldestFd] = this.open.entries().next().value as [string, number];
      this.open.delete(oldestFile);
      fs.closeSync(oldestFd);
    }
    const directory = path.dirname(file);
    if (!this.directories.has(directory)) {
      fs.mkdirSync(directory, { recursive: true });
      this.directories.add(directory);
    }
    let opened: number;
    try {
      opened = fs.openSync(file, 'a');
    } catch (err) {
      // The directory was removed meanwhile (a test's temp dir, say): create it again once.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      fs.mkdirSync(directory, { recursive: true });
      opened = fs.openSync(file, 'a');
    }
    this.open.set(file, opened);
    this.highWaterOpen = Math.max(this.highWaterOpen, this.open.size);
    return opened;
  }
}
