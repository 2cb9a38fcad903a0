import { z } from 'zod';
import { wholeNumber } from '../config/whole-number.schema';
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

/** The `logs` option of bootstrap(): every field optional (see resolveLogOptions). */
export const logOptionsSchema = z.strictObject({
  /** `'text'` (default): `<ts> <step> <LEVEL> [<timeperiod>#<runId>] <message>`; `'json'`: one JSON object a line. */
  format: z.enum(['text', 'json'], { error: "must be 'text' or 'json'" }).optional(),
  /** A file that would grow past this many bytes is rotated first (`<step>.log` -> `<step>.log.1`). Default 2 MiB. */
  maxFileBytes: wholeNumber(1024, Number.MAX_SAFE_INTEGER, ' of bytes').optional(),
  /** Rotated files kept (`.log.1` newest ... `.log.<keepFiles>` oldest); older ones are deleted. Default 10. */
  keepFiles: wholeNumber(1, 1000).optional(),
});

/** What users write in `bootstrap({ logs: { ... } })`. */
export type LogOptions = z.input<typeof logOptionsSchema>;

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
