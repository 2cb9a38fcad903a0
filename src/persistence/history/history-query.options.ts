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
  /**
   * A step of the flow: each run with that step's attempts only (the same runs), read as such from
   * the database, as a page that shows one step's log needs them: not the 10,000 of a 10,000-step run.
   */
  step?: string;
}

const historyOptionsSchema = z
  .strictObject(
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
      step: z
        .string({ error: (issue) => `must be the name of one of the flow's steps, got ${inspect(issue.input)}` })
        .min(1, { error: "must be the name of one of the flow's steps, got ''" })
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type'
          ? `the history options must be an object such as { limit: 20 }, got ${inspect(issue.input)}`
          : undefined,
    },
  )
  .superRefine((options, ctx) => {
    if (options.step !== undefined && options.attempts === false)
      ctx.addIssue({
        code: 'custom',
        path: ['step'],
        message: 'picks which attempts each run has, and `attempts: false` asks for none: leave one of them out',
      });
  });

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
