import * as path from 'node:path';
import type { BackgroundFileWriter } from './background-file-writer';
import { FileLogger, type LogFormat } from './file-logger';
import type { LogRun } from './log-layout';
import { resolveLogOptions, type ResolvedLogOptions } from './log-options';
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
  /** How lines are written: `text` (default) or `json`. */
  readonly format: LogFormat;

  constructor(
    readonly logDirectory: string,
    /** Every secret the application knows, redacted: for what leaves the process by another way than a log (the CLI's error line). */
    readonly redact: Redactor,
    options: ResolvedLogOptions = resolveLogOptions(),
  ) {
    this.format = options.format;
    // The writer is the process's; the rotation is this application's, for the files under its directory.
    this.writer.rotateUnder(path.resolve(logDirectory), { maxFileBytes: options.maxFileBytes, keepFiles: options.keepFiles });
  }

  /** `<logDirectory>/<flow>/<flow>.log`, absolute: the flow's own log (its rotated files beside it, `.1` the newest). */
  flowLogFile(flowName: string): string {
    return this.stepLogFile(flowName, flowName);
  }

  /** `<logDirectory>/<flow>/<step>.log`, absolute: the step's log (its rotated files beside it, `.1` the newest). */
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

  /** The flow's own log; `run` tags its lines `[<timeperiod>#<runId>]`. */
  flowLogger(flowName: string, run?: LogRun): Logger {
    return new FileLogger(this.writer, { flow: flowName, run }, flowName, this.flowLogFile(flowName), this.redact, this.format);
  }

  /** A step's own lines in its log; `run` tags them (and, in JSON, gives their attempt). */
  stepLogger(flowName: string, stepName: string, run?: LogRun): Logger {
    const origin = { flow: flowName, step: stepName, run };
    return new FileLogger(this.writer, origin, stepName, this.stepLogFile(flowName, stepName), this.redact, this.format);
  }

  /** An action's lines (`<step>.<action>`) in its step's log; `run` tags them. */
  actionLogger(flowName: string, stepName: string, actionName: string, run?: LogRun): Logger {
    const origin = { flow: flowName, step: stepName, action: actionName, run };
    const file = this.stepLogFile(flowName, stepName);
    return new FileLogger(this.writer, origin, `${stepName}.${actionName}`, file, this.redact, this.format);
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
