/** The logging surface actions, clusters and filesystems write to (a log4js logger satisfies it). */
export interface Logger {
  /** A detail for debugging; `args` are formatted into the message as log4js does. */
  debug(message: string, ...args: unknown[]): void;
  /** What happened. */
  info(message: string, ...args: unknown[]): void;
  /** Something to look at, which did not fail the step. */
  warn(message: string, ...args: unknown[]): void;
  /** A failure. */
  error(message: string, ...args: unknown[]): void;
}

/** For code paths that may run without a step (a cluster launched before any step exists). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
