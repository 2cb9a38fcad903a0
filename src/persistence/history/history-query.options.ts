import { inspect } from 'node:util';
import { z } from 'zod';
import { parseOptions } from '../../config/parse-options';
import { wholeNumber } from '../../config/whole-number.schema';
import { RUN_ID_PATTERN } from '../../domain/run-id';
import { ConfigurationError } from '../../errors';
import { timeperiodError } from '../../timeperiod/timeperiod';

/** How many runs `app.history()` returns when not told. */
export const DEFAULT_HISTORY_LIMIT = 20;
/** The most it returns at once: page with `before` for more. */
export const MAX_HISTORY_LIMIT = 1000;

/** What `app.history(flow, options)` accepts. */
export interface HistoryOptions {
  /** Only the runs of this timeperiod (`YYYYMMDDHH`). */
  timeperiod?: string;
  /** How many runs, newest first: default 20, at most 1000. */
  limit?: number;
  /** A run id: only the runs that started before it (the next page after a page that ended with it). */
  before?: string;
  /** `false`: the runs without their attempts (FlowRunSummary), as a list of runs needs them. Default true. */
  attempts?: boolean;
}

const historyOptionsSchema = z.strictObject(
  {
    timeperiod: z
      .custom<string>()
      .refine((value) => timeperiodError(value) === undefined, { error: (issue) => timeperiodError(issue.input)!.message })
      .optional(),
    limit: wholeNumber(1, MAX_HISTORY_LIMIT, ' of runs').optional(),
    before: z
      .string({ error: (issue) => `must be a run id (14 base-36 characters, as history lists them), got ${inspect(issue.input)}` })
      .regex(RUN_ID_PATTERN, {
        error: (issue) => `must be a run id (14 base-36 characters, as history lists them), got ${inspect(issue.input)}`,
      })
      .optional(),
    attempts: z.boolean({ error: (issue) => `must be true or false, got ${inspect(issue.input)}` }).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? `the history options must be an object such as { limit: 20 }, got ${inspect(issue.input)}`
        : undefined,
  },
);

/**
 * Checks `app.history()`'s options, every problem at once (ConfigurationError); a lone bad
 * timeperiod is the InvalidTimeperiodError that every other method throws for it.
 */
export function parseHistoryOptions(options: unknown = {}): HistoryOptions & { limit: number } {
  try {
    const parsed = parseOptions(historyOptionsSchema, options, 'the history options');
    return { ...parsed, limit: parsed.limit ?? DEFAULT_HISTORY_LIMIT };
  } catch (err) {
    if (err instanceof ConfigurationError && err.problems.length === 1 && err.problems[0].path === 'timeperiod') {
      throw timeperiodError((options as Record<string, unknown>).timeperiod) ?? err;
    }
    throw err;
  }
}
