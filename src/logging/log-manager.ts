import * as path from 'node:path';
import { BackgroundFileWriter } from './background-file-writer';
import { FileLogger } from './file-logger';
import type { Logger } from './logger';
import type { Redactor } from './redaction';

/**
 * One writer for the process: the log files of every application in it share one bounded pool of
 * descriptors, on one background thread.
 */
const writer = new BackgroundFileWriter(64);

/** What the flow validator accepts as a flow or step name: a file name that needs no resolving. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Hands out the loggers of DESIGN.md section 5:
 * `<logDirectory>/<flow>/<flow>.log` and `<logDirectory>/<flow>/<step>.log`.
 */
export class LogManager {
  private readonly flowDirectories = new Map<string, string>();

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
    return new FileLogger(writer, flowName, flowName, this.flowLogFile(flowName), this.redact);
  }

  stepLogger(flowName: string, stepName: string): Logger {
    return new FileLogger(writer, flowName, stepName, this.stepLogFile(flowName, stepName), this.redact);
  }

  actionLogger(flowName: string, stepName: string, actionName: string): Logger {
    return new FileLogger(writer, flowName, `${stepName}.${actionName}`, this.stepLogFile(flowName, stepName), this.redact);
  }

  /** Makes every line logged so far readable in its file, blocking this thread until it is. */
  flush(): void {
    writer.flush();
  }

  /** Resolves once every line logged so far is readable in its file; the event loop goes on meanwhile. */
  written(): Promise<void> {
    return writer.written();
  }

  /**
   * Writes every line logged so far and closes every log file descriptor. The writer serves the
   * whole process: the files of another application still running are simply opened again with
   * their next line.
   */
  close(): void {
    writer.closeAll();
  }

  get maxOpenFiles(): number {
    return writer.maxOpenSoFar;
  }
}
