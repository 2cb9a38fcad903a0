/** The logging surface actions, clusters and filesystems write to (a log4js logger satisfies it). */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

/** For code paths that may run without a step (a cluster launched before any step exists). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
