import type * as log4js from 'log4js';
import { LOG_FILE_CONTEXT_KEY, LOG_NAME_CONTEXT_KEY } from './log-layout';
import type { Logger } from './logger';
import type { Redactor } from './redaction';

/**
 * A Logger that writes to one log file through log4js, under the name its lines show (`<flow>`,
 * `<step>` or `<step>.<action>`), with every known secret redacted.
 *
 * Its log4js logger carries the name and file in its context, set once: the file-routing appender
 * reads them from each event. All share one log4js category (see LogManager). A class rather than
 * closures: a step makes several loggers per attempt, and closures for every level of every
 * logger were garbage worth collecting.
 */
export class FileLogger implements Logger {
  constructor(
    private readonly target: log4js.Logger,
    name: string,
    file: string,
    private readonly redact: Redactor,
  ) {
    target.addContext(LOG_NAME_CONTEXT_KEY, name);
    target.addContext(LOG_FILE_CONTEXT_KEY, file);
  }

  debug(message: string, ...args: unknown[]): void {
    this.target.debug(this.text(message, args));
  }

  info(message: string, ...args: unknown[]): void {
    this.target.info(this.text(message, args));
  }

  warn(message: string, ...args: unknown[]): void {
    this.target.warn(this.text(message, args));
  }

  error(message: string, ...args: unknown[]): void {
    this.target.error(this.text(message, args));
  }

  /** One string, as log4js would join the values, redacted: a secret split across values is caught too. */
  private text(message: string, args: readonly unknown[]): string {
    return this.redact(args.length ? [message, ...args.map(String)].join(' ') : String(message));
  }
}
