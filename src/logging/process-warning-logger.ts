import type { Logger } from './logger';

/**
 * For components a user may build without handing them a logger (an S3Filesystem made in a
 * step): what must not go unnoticed (a warning, an error) becomes a Node process warning, printed
 * on stderr by default and catchable with `process.on('warning')`; debug and info are dropped.
 */
export const processWarningLogger: Logger = {
  debug() {},
  info() {},
  warn(message: string) {
    process.emitWarning(message, 'SynergyFlowWarning');
  },
  error(message: string) {
    process.emitWarning(message, 'SynergyFlowWarning');
  },
};
