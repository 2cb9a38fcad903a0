import type { LogFormat } from './file-logger';

/** Where a log file rotates, as the seed's RotatingFileHandler did: 2 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
/** How many rotated files (`<step>.log.1` ... `.log.10`) are kept, as the seed did. */
export const DEFAULT_KEEP_FILES = 10;

/** When a log file rotates, and how many of its rotated files are kept. */
export interface LogRotation {
  maxFileBytes: number;
  keepFiles: number;
}

/** What users write in `bootstrap({ logs: { ... } })`; checked by logOptionsSchema (log-options.schema.ts). */
export interface LogOptions {
  /** `'text'` (default): `<ts> <step> <LEVEL> [<timeperiod>#<runId>] <message>`; `'json'`: one JSON object a line. */
  format?: LogFormat;
  /** A file that would grow past this many bytes is rotated first (`<step>.log` -> `<step>.log.1`). Default 2 MiB. */
  maxFileBytes?: number;
  /** Rotated files kept (`.log.1` newest ... `.log.<keepFiles>` oldest); older ones are deleted. Default 10. */
  keepFiles?: number;
}

/** LogOptions with every default filled. */
export interface ResolvedLogOptions extends LogRotation {
  format: LogFormat;
}

export function resolveLogOptions(options: LogOptions = {}): ResolvedLogOptions {
  return {
    format: options.format ?? 'text',
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    keepFiles: options.keepFiles ?? DEFAULT_KEEP_FILES,
  };
}
