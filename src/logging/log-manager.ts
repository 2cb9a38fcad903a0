import * as path from 'node:path';
import type { BackgroundFileWriter } from './background-file-writer';
import { FileLogger } from './file-logger';
import type { Logger } from './logger';
import type { Redactor } from './redaction';
import { sharedLogWriter } from './shared-log-writer';

/** What the flow validator accepts as a flow or step name: a file name that needs no resolving. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Hands out the loggers of the README's "Logs":
 * `<logDirectory>/<flow>/<flow>.log` and `<logDirectory>/<flow>/<step>.log`.
 */
export class LogManager {
  private readonly flowDirectories = new Map<string, string>();
  /** The process's writer (see SharedLogWriter), counted as used by this manager until close(). */
  private readonly writer: BackgroundFileWriter = sharedLogWriter.acquire();
  private released = false;

  constructor(
    readonly logDirectory: string,
    /** Every secret the application knows, redacted: for what leaves the process by another way than a log (the CLI's error line). */
    readonly redact: Redactor,
  ) {}

  flowLogFile(flowName: string): string {
    return this.stepLogFile(flowName, flowName);
  }

  stepLogFile(flowName: string, stepName: string): string {
    // Resolved once per flow, then joined: path.resolve for every step and action logger showed in
    // profiles. Engine names are validated plain file names; anything else takes the long way.
    if (!PLAIN_NAME.test(flowName) || !PLAIN_NAME.test(stepName)) return path.resolve(this.logDirectory, flowName, `${stepName}.log`);
    let directory = this.flowDirectories.get(flowName);
    if (directory === undefined) {
      directory = path.resolve(this.logDirectory, flowName);
      this.flowDirectories.set(flowName, directory);
    }
    return `${directory}${path.sep}${stepName}.log`;
  }

  flowLogger(flowName: string): Logger {
    return new FileLogger(this.writer, flowName, flowName, this.flowLogFile(flowName), this.redact);
  }

  stepLogger(flowName: string, stepName: string): Logger {
    return new FileLogger(this.writer, flowName, stepName, this.stepLogFile(flowName, stepName), this.redact);
  }

  actionLogger(flowName: string, stepName: string, actionName: string): Logger {
    return new FileLogger(this.writer, flowName, `${stepName}.${actionName}`, this.stepLogFile(flowName, stepName), this.redact);
  }

  /** Makes every line logged so far readable in its file, blocking this thread until it is. */
  flush(): void {
    this.writer.flush();
  }

  /** Resolves once every line logged so far is readable in its file; the event loop goes on meanwhile. */
  written(): Promise<void> {
    return this.writer.written();
  }

  /**
   * Writes every line logged so far and closes this application's log files; another
   * application's stay open while it writes them. Again is harmless.
   */
  close(): void {
    if (this.released) return this.writer.flush();
    this.released = true;
    sharedLogWriter.release(path.resolve(this.logDirectory));
  }

  get maxOpenFiles(): number {
    return this.writer.maxOpenSoFar;
  }
}
