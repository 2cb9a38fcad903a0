import * as path from 'node:path';
import * as log4js from 'log4js';
import { BoundedFileWriter } from './bounded-file-writer';
import { createFileRoutingAppender } from './file-routing.appender';
import { LOG_FILE_CONTEXT_KEY, LOG_LINE_PATTERN } from './log-layout';
import type { Logger } from './logger';
import { redactingLogger, type Redactor } from './redaction';

/** One writer for the process: log4js's configuration is process-wide, so is its appender. */
const writer = new BoundedFileWriter(64);
let configured = false;

function configureOnce(): void {
  if (configured) return;
  configured = true;
  log4js.configure({
    appenders: {
      synergyFlowFiles: {
        type: {
          configure: (_config: unknown, layouts: { patternLayout: (pattern: string) => (e: log4js.LoggingEvent) => string }) =>
            createFileRoutingAppender(layouts.patternLayout(LOG_LINE_PATTERN), writer),
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
  constructor(
    readonly logDirectory: string,
    private readonly redact: Redactor,
  ) {
    configureOnce();
  }

  flowLogFile(flowName: string): string {
    return path.resolve(this.logDirectory, flowName, `${flowName}.log`);
  }

  stepLogFile(flowName: string, stepName: string): string {
    return path.resolve(this.logDirectory, flowName, `${stepName}.log`);
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

  get maxOpenFiles(): number {
    return writer.maxOpenSoFar;
  }

  private logger(category: string, file: string): Logger {
    const logger = log4js.getLogger(category);
    logger.addContext(LOG_FILE_CONTEXT_KEY, file);
    return redactingLogger(logger, this.redact);
  }
}
