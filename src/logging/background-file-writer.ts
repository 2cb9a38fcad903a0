import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { LineAttempt } from './attempt-continuation';
import { BoundedFileWriter } from './bounded-file-writer';
import type { LogRotation } from './log-options';

/**
 * One batch for the log-file thread: its lines in order, all in `text`, the i-th `lengths[i]`
 * characters long and appended to `files[fileOf[i]]`. One string and two arrays of numbers cost
 * far less to copy to the thread than a string per line.
 */
export interface LogFileMessage {
  seq: number;
  files: string[];
  fileOf: number[];
  lengths: number[];
  text: string;
  /** The step's own text lines among them: `[i, attempt]`, i ascending (see LineAttempt). */
  attempts: Array<[line: number, attempt: LineAttempt]>;
  /** Close every descriptor once written. */
  close?: boolean;
  /** Close the descriptors of the files under this directory once written (an application closed, others still log). */
  closeUnder?: string;
  /** Post `seq` back once written: someone awaits `written()`. */
  ack?: boolean;
  /** Rotation set for the files under these directories (rotateUnder) since the last batch, applied before its lines. */
  rotations?: Array<[directory: string, rotation: LogRotation]>;
}

export interface LogFileWorkerData {
  /** [0]: the last batch written; [1]: the most descriptors held at once. */
  shared: Int32Array;
  maxOpen: number;
}

/**
 * Lines are sent at most this often (or once MAX_BATCH_CHARS have gathered): a message costs tens
 * of microseconds, and sending one per turn of the event loop was a visible share of a no-op step.
 * flush() sends at once.
 */
const SEND_INTERVAL_MS = 20;

/**
 * A batch is sent at once when its text reaches this many characters: V8 allocates a string of
 * more than ~128 KB outside its young generation, where it is freed only by a full collection, on
 * this thread (the joined batch) and on the log thread (the received copy). Batches of a busy
 * flow's 20 ms (~160 KB) piled up there between full collections.
 */
const MAX_BATCH_CHARS = 32 * 1024;

/**
 * The log thread's young generation, at most. V8 grows a young generation up to 32 MiB (two 16 MiB
 * semi-spaces) when much of it survives its collections, which is what a backlog of batches does
 * on a slow disk: in some disk-bound first runs of a 10,000-step flow it grew that far and took
 * the process's peak RSS past its target (docs/benchmarks-history.md). What the thread keeps
 * is a few batches; a small young generation only means more of its cheap collections.
 */
const LOG_THREAD_YOUNG_GENERATION_MB = 4;

/** How long flush() waits for the log thread before it gives up and says so on stderr. */
const FLUSH_TIMEOUT_MS = 30_000;

/**
 * Appends log lines to many files from a background thread, holding at most `maxOpen` file
 * descriptors there. The lines of SEND_INTERVAL_MS go over in one message.
 * `written()` resolves once the thread has written everything sent so far, and leaves the event
 * loop free meanwhile: a run ends with it, and a slow disk must not freeze the other runs, lease
 * heartbeats and viewer requests of the process. `flush()` does the same synchronously (Atomics.wait
 * on the progress counter), for the moments that cannot wait for the event loop: process exit,
 * close. If the thread cannot run, the lines are written on this thread instead.
 */
export class BackgroundFileWriter {
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  /** Started with the first line, so that importing the library starts no thread. */
  private worker: Worker | undefined;
  private started = false;
  private fallback: BoundedFileWriter | undefined;
  /**
   * The lines not sent yet, as they came (the log thread groups them by file): grouping them here,
   * in a Map of arrays joined per file at each send, cost more per line than the rest of logging it.
   */
  private pending = new PendingLines();
  private scheduled = false;
  private seq = 0;
  /** Rotations the thread has not been told yet: they go with the next batch. */
  private rotations: Array<[string, LogRotation]> = [];
  /** Every rotation set, for the writer on this thread if the log thread goes. */
  private readonly allRotations = new Map<string, LogRotation>();
  /** The `written()` promises not settled yet, oldest first. */
  private waiters: Array<{ seq: number; resolve: () => void; deadline: NodeJS.Timeout }> = [];

  constructor(private readonly maxOpen = 64) {}

  /** The files under `directory` rotate as `rotation` says (one application's `logs` option). */
  rotateUnder(directory: string, rotation: LogRotation): void {
    this.rotations.push([directory, rotation]);
    this.allRotations.set(directory, rotation);
    this.fallback?.rotateUnder(directory, rotation);
  }

  /** Appends `text` to `file`; `attempt` when it is a step's own text line of an attempt (FileLogger says so). */
  write(file: string, text: string, attempt?: LineAttempt): void {
    if (!this.started) this.start();
    if (!this.worker) return this.local().write(file, text, attempt);
    this.pending.add(file, text, attempt);
    if (this.pending.chars >= MAX_BATCH_CHARS) return this.send();
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.send(), SEND_INTERVAL_MS);
    }
  }

  /** Returns once every line written so far is in its file. */
  flush(): void {
    this.send();
    this.waitFor(this.seq);
    this.fallback?.flush();
  }

  /** Resolves once every line written so far is in its file, without blocking this thread. */
  written(): Promise<void> {
    if (!this.worker) {
      this.fallback?.flush();
      return Promise.resolve();
    }
    if (this.pending.empty && Atomics.load(this.shared, 0) >= this.seq) return Promise.resolve();
    // Asks the thread to say when it has written this batch, and so everything sent before it.
    this.send(false, true);
    return new Promise((resolve) => {
      const seq = this.seq;
      // Ref'd, unlike the thread: it keeps the process alive until the lines are written, so that
      // the code after an awaited run still runs when nothing else is left to do.
      const deadline = setTimeout(() => {
        process.stderr.write(
          `synergy-flow: the log writer thread did not finish within ${FLUSH_TIMEOUT_MS} ms; some log lines may be missing\n`,
        );
        this.settle(seq, true);
      }, FLUSH_TIMEOUT_MS);
      this.waiters.push({ seq, resolve, deadline });
    });
  }

  closeAll(): void {
    this.send(true);
    this.waitFor(this.seq);
    this.fallback?.closeAll();
    this.settle(this.seq);
  }

  /** Writes everything sent so far and closes the files under `directory`; those of other directories stay open. */
  closeUnder(directory: string): void {
    this.send(false, false, directory);
    this.waitFor(this.seq);
    this.fallback?.closeUnder(directory);
  }

  /** The most descriptors held at once so far (the benchmark reports it). */
  get maxOpenSoFar(): number {
    return Math.max(Atomics.load(this.shared, 1), this.fallback?.maxOpenSoFar ?? 0);
  }

  private send(close = false, ack = false, closeUnder?: string): void {
    this.scheduled = false;
    if (!this.worker || (this.pending.empty && !close && !ack && !closeUnder)) return;
    const lines = this.pending;
    this.pending = new PendingLines();
    const message: LogFileMessage = { seq: ++this.seq, ...lines.batch(), close, ack, closeUnder };
    if (this.rotations.length) {
      message.rotations = this.rotations;
      this.rotations = [];
    }
    this.worker.postMessage(message);
  }

  /** Resolves the `written()` promises up to `seq` (all of them when `all`: the thread is gone or late). */
  private settle(seq: number, all = false): void {
    while (this.waiters.length && (all || this.waiters[0].seq <= seq)) {
      const waiter = this.waiters.shift()!;
      clearTimeout(waiter.deadline);
      waiter.resolve();
    }
  }

  private waitFor(seq: number): void {
    const deadline = Date.now() + FLUSH_TIMEOUT_MS;
    for (let done = Atomics.load(this.shared, 0); done < seq && this.worker; done = Atomics.load(this.shared, 0)) {
      if (Date.now() > deadline) {
        process.stderr.write(
          `synergy-flow: the log writer thread did not finish within ${FLUSH_TIMEOUT_MS} ms; some log lines may be missing\n`,
        );
        return;
      }
      Atomics.wait(this.shared, 0, done, 100);
    }
  }

  private start(): void {
    this.started = true;
    const script = path.join(__dirname, 'log-file.worker.js');
    // Bundled or run from sources: no worker script next to this file, so write on this thread.
    if (!fs.existsSync(script)) return;
    // Required at the first line: an application that writes no log (`--help`, `list`) does not load worker_threads.
    const { Worker: LogThread } = require('node:worker_threads') as typeof import('node:worker_threads');
    const worker = new LogThread(script, {
      workerData: { shared: this.shared, maxOpen: this.maxOpen } satisfies LogFileWorkerData,
      resourceLimits: { maxYoungGenerationSizeMb: LOG_THREAD_YOUNG_GENERATION_MB },
    });
    worker.on('message', (seq: number) => this.settle(seq));
    worker.on('error', (err) => this.abandon(`failed: ${err.message}`));
    worker.on('exit', (code) => this.abandon(`exited with code ${code}`));
    // The thread must not keep the process alive (lines written just before exit are flushed
    // below), and unref() must come after the listeners: a 'message' listener added later refs it.
    worker.unref();
    process.once('exit', () => this.flush());
    this.worker = worker;
  }

  /** The thread is gone: what it had not written is lost (said on stderr), what comes next is written here. */
  private abandon(why: string): void {
    if (!this.worker) return;
    this.worker = undefined;
    process.stderr.write(`synergy-flow: the log writer thread ${why}; writing logs on the main thread from now on\n`);
    forEachLine(this.pending.batch(), (file, text, attempt) => this.local().write(file, text, attempt));
    this.pending = new PendingLines();
    this.local().flush();
    this.settle(this.seq, true);
  }

  private local(): BoundedFileWriter {
    if (!this.fallback) {
      this.fallback = new BoundedFileWriter(this.maxOpen);
      for (const [directory, rotation] of this.allRotations) this.fallback.rotateUnder(directory, rotation);
    }
    return this.fallback;
  }
}

/** The lines of one batch, in order, in the shape of a LogFileMessage. */
class PendingLines {
  private readonly fileIds = new Map<string, number>();
  private readonly fileOf: number[] = [];
  private readonly texts: string[] = [];
  private readonly attempts: LogFileMessage['attempts'] = [];
  /** The length of all texts so far. */
  chars = 0;

  get empty(): boolean {
    return this.texts.length === 0;
  }

  add(file: string, text: string, attempt?: LineAttempt): void {
    let id = this.fileIds.get(file);
    if (id === undefined) {
      id = this.fileIds.size;
      this.fileIds.set(file, id);
    }
    this.fileOf.push(id);
    if (attempt) this.attempts.push([this.texts.length, attempt]);
    this.texts.push(text);
    this.chars += text.length;
  }

  batch(): Batch {
    return {
      files: [...this.fileIds.keys()],
      fileOf: this.fileOf,
      lengths: this.texts.map((t) => t.length),
      text: this.texts.join(''),
      attempts: this.attempts,
    };
  }
}

/** The lines of a LogFileMessage, without what it asks the thread to do besides. */
type Batch = Pick<LogFileMessage, 'files' | 'fileOf' | 'lengths' | 'text' | 'attempts'>;

/** Calls `write` for each line of a batch, in order. */
export function forEachLine(batch: Batch, write: (file: string, text: string, attempt?: LineAttempt) => void): void {
  let at = 0;
  let next = 0;
  for (let i = 0; i < batch.fileOf.length; i++) {
    const end = at + batch.lengths[i];
    const attempt = batch.attempts[next]?.[0] === i ? batch.attempts[next++][1] : undefined;
    write(batch.files[batch.fileOf[i]], batch.text.slice(at, end), attempt);
    at = end;
  }
}
