import { z } from 'zod';
import { wholeNumber } from '../config/whole-number.schema';
import type { LogFormat } from './file-logger';

// Apart from log-options.ts: the engine reads the defaults at every start, the schema is loaded only
// when bootstrap's options need checking by zod (see src/config/quick-check.ts).
/** The `logs` option of bootstrap(): every field optional (see resolveLogOptions). */
export const logOptionsSchema = z.strictObject({
  /** `'text'` (default): `<ts> <step> <LEVEL> [<timeperiod>#<runId>] <message>`; `'json'`: one JSON object a line. */
  format: z.enum(['text', 'json'] satisfies LogFormat[], { error: "must be 'text' or 'json'" }).optional(),
  /** A file that would grow past this many bytes is rotated first (`<step>.log` -> `<step>.log.1`). Default 2 MiB. */
  maxFileBytes: wholeNumber(1024, Number.MAX_SAFE_INTEGER, ' of bytes').optional(),
  /** Rotated files kept (`.log.1` newest ... `.log.<keepFiles>` oldest); older ones are deleted. Default 10. */
  keepFiles: wholeNumber(1, 1000).optional(),
});
