import { BackgroundFileWriter } from './background-file-writer';

/**
 * The process's log writer, an explicit process-wide service: the log files of every application
 * in the process share one bounded pool of descriptors on one background thread. It counts the
 * applications using it, and closes the descriptors only when the last one is done: one
 * application's close() must not close the files another one is still writing.
 */
export class SharedLogWriter {
  private users = 0;

  constructor(readonly writer: BackgroundFileWriter) {}

  /** An application starts using the writer (its LogManager is made). */
  acquire(): BackgroundFileWriter {
    this.users++;
    return this.writer;
  }

  /**
   * An application is done with it: its lines are written and its files (those under its log
   * directory) closed; every descriptor is closed once no application uses the writer any more.
   */
  release(logDirectory: string): void {
    if (this.users > 0) this.users--;
    if (this.users === 0) this.writer.closeAll();
    else this.writer.closeUnder(logDirectory);
  }

  /** How many applications use the writer now. */
  get applications(): number {
    return this.users;
  }
}

/** The one writer of the process. */
export const sharedLogWriter = new SharedLogWriter(new BackgroundFileWriter(64));
