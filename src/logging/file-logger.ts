import type { LineAttempt } from './attempt-continuation';
import { formatJsonLogLine, type LogOrigin } from './json-log-line';
import { formatLogLine, runTag, type LogLevelName } from './log-layout';
import { forwardToLog4js } from './log4js-forwarding';
import type { Logger } from './logger';
import type { Redactor } from './redaction';

/** Where a FileLogger's lines go: appended, in order, to the file each names. */
export interface LineSink {
  /** `attempt` for a step's own text line of an attempt: the writer carries it across a rotation (attemptsGoingOn). */
  write(file: string, text: string, attempt?: LineAttempt): void;
}

/** How log lines are written: the seed's text layout (the default), or one JSON object a line. */
export type LogFormat = 'text' | 'json';

/**
 * A Logger that appends to one log file, under the name its lines show (`<flow>`, `<step>` or
 * `<step>.<action>`), tagged with its run (`[<timeperiod>#<runId>]`), with every known secret
 * redacted; each line is also forwarded to the application's log4js configuration, if it has one
 * (see forwardToLog4js).
 *
 * A class, not closures: a step makes several loggers per attempt, and closures for every level
 * of every logger were garbage worth collecting.
 */
export class FileLogger implements Logger {
  /** Made once per logger, not per line. */
  private readonly tag: string;
  /** Set on a step's own text logger of an attempt: its lines name the run, and the writer learns the attempt from this. */
  private readonly attempt: LineAttempt | undefined;

  constructor(
    private readonly sink: LineSink,
    private readonly origin: LogOrigin,
    private readonly name: string,
    private readonly file: string,
    private readonly redact: Redactor,
    private readonly format: LogFormat = 'text',
  ) {
    this.tag = runTag(origin.run);
    const { step, action, run } = origin;
    const ownLines = format === 'text' && step !== undefined && action === undefined;
    this.attempt = ownLines && run?.attempt !== undefined ? { run: `${run.timeperiod}#${run.runId}`, attempt: run.attempt } : undefined;
  }

  debug(message: string, ...args: unknown[]): void {
    this.log('DEBUG', message, args);
  }

  info(message: string, ...args: unknown[]): void {
    this.log('INFO', message, args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.log('WARN', message, args);
  }

  error(message: string, ...args: unknown[]): void {
    this.log('ERROR', message, args);
  }

  private log(level: LogLevelName, message: string, args: readonly unknown[]): void {
    const text = this.text(message, args);
    const at = new Date();
    const line =
      this.format === 'json'
        ? formatJsonLogLine(at, level, this.origin, text, this.errorOf(args))
        : formatLogLine(at, this.name, level, text, this.tag);
    this.sink.write(this.file, line + '\n', this.attempt);
    forwardToLog4js(level, this.origin, this.name, text);
  }

  /** One string, the values joined by spaces, redacted: a secret split across values is caught too. */
  private text(message: string, args: readonly unknown[]): string {
    return this.redact(args.length ? [message, ...args.map(String)].join(' ') : String(message));
  }

  /** The JSON line's `error`: the first Error among the values, redacted. */
  private errorOf(args: readonly unknown[]): string | undefined {
    const error = args.find((arg) => arg instanceof Error);
    return error ? this.redact(String(error)) : undefined;
  }
}
