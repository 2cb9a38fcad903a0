import * as path from 'node:path';
import * as log4js from 'log4js';
import { BackgroundFileWriter } from './background-file-writer';
import { createFileRoutingAppender } from './file-routing.appender';
import { FileLogger } from './file-logger';
import { formatLogLine } from './log-layout';
import type { Logger } from './logger';
import type { Redactor } from './redaction';

/** One writer for the process: log4js's configuration is process-wide, so is its appender. */
const writer = new BackgroundFileWriter(64);
let configured = false;

/**
 * Every logger of the engine shares one log4js category, and carries the name its lines show in
 * its context: log4js computes and keeps a configuration per category, and per-step categories
 * made that cost (and that memory) grow with every step name a process ever logged for.
 */
const LOG_CATEGORY = 'synergy-flow';

/** The one log4js logger of that category: every FileLogger routes its lines through it. */
let sharedLogger: log4js.Logger | undefined;

/** What the flow validator accepts as a flow or step name: a file name that needs no resolving. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function configureOnce(): void {
  if (configured) return;
  configured = true;
  log4js.configure({
    appenders: {
      synergyFlowFiles: {
        type: {
          configure: () => createFileRoutingAppender(formatLogLine, writer),
        },
      },
    },
    categories: { default: { appenders: ['synergyFlowFiles'], level: 'debug' } },
  } as unknown as log4js.Configuration);
}

/**
 * Hands out the loggers of DESIGN.md section 5:
 * `<logDirectory>/<flow>/<flow>.log` and `<logDirectory>/<flow>/<step>.log`.
 */
export class LogManager {
  private readonly flowDirectories = new Map<string, string>();

  constructor(
    readonly logDirectory: string,
    private readonly redact: Redactor,
  ) {
    configureOnce();
  }

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
    return this.logger(flowName, this.flowLogFile(flowName));
  }

  stepLogger(flowName: string, stepName: string): Logger {
    return this.logger(stepName, this.stepLogFile(flowName, stepName));
  }

  actionLogger(flowName: string, stepName: string, actionName: string): Logger {
    return this.logger(`${stepName}.${actionName}`, this.stepLogFile(flowName, stepName));
  }

  /** Makes every line logged so far readable in its file. */
  flush(): void {
    writer.flush();
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

  private logger(name: string, file: string): Logger {
    sharedLogger ??= log4js.getLogger(LOG_CATEGORY);
    return new FileLogger(sharedLogger, name, file, this.redact);
  }
}
