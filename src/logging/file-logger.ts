import type * as log4js from 'log4js';
import { LOG_FILE_CONTEXT_KEY, LOG_NAME_CONTEXT_KEY } from './log-layout';
import type { Logger } from './logger';
import type { Redactor } from './redaction';

/**
 * A Logger that writes to one log file through log4js, under the name its lines show (`<flow>`,
 * `<step>` or `<step>.<action>`), with every known secret redacted.
 *
 * All FileLoggers share one log4js logger (see LogManager): each sets the name and file in its
 * context just before it logs, and the event log4js builds copies that context, synchronously,
 * for the file-routing appender to read. A step makes several loggers per attempt; a log4js
 * logger for each, with its context, was garbage worth collecting, and so were closures for every
 * level of every logger (hence a class).
 */
export class FileLogger implements Logger {
  constructor(
    private readonly target: log4js.Logger,
    private readonly name: string,
    private readonly file: string,
    private readonly redact: Redactor,
  ) {}

  debug(message: string, ...args: unknown[]): void {
    this.route().debug(this.text(message, args));
  }

  info(message: string, ...args: unknown[]): void {
    this.route().info(this.text(message, args));
  }

  warn(message: string, ...args: unknown[]): void {
    this.route().warn(this.text(message, args));
  }

  error(message: string, ...args: unknown[]): void {
    this.route().error(this.text(message, args));
  }

  /** Points the shared log4js logger at this logger's name and file, for the next line. */
  private route(): log4js.Logger {
    this.target.addContext(LOG_NAME_CONTEXT_KEY, this.name);
    this.target.addContext(LOG_FILE_CONTEXT_KEY, this.file);
    return this.target;
  }

  /** One string, as log4js would join the values, redacted: a secret split across values is caught too. */
  private text(message: string, args: readonly unknown[]): string {
    return this.redact(args.length ? [message, ...args.map(String)].join(' ') : String(message));
  }
}
