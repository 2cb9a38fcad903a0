import { inspect } from 'node:util';
import { z } from 'zod';
import { parseOptions } from '../config/parse-options';
import { RUN_TRIGGERS } from '../domain/run-id';
import { FlowState } from '../domain/states';
import { ConfigurationError } from '../errors';
import { timeperiodError } from '../timeperiod/timeperiod';
import type { RunOptions } from './run-options';
import { MAX_RUN_CLUSTERS } from './max-run-clusters';

const FLOW_STATES = Object.values(FlowState);

const TIMEPERIOD_FIELDS = ['timeperiod', 'startTimeperiod', 'endTimeperiod'] as const;

/** A value as the user wrote it: 'no', NaN, {}. */
function shown(value: unknown): string {
  return inspect(value, { depth: 0, breakLength: Infinity });
}

// A refinement, not z.custom's own check: that one aborts the object, and the other options would go unchecked.
const timeperiod = z
  .custom<string>()
  .refine((value) => timeperiodError(value) === undefined, { error: (issue) => timeperiodError(issue.input)!.message });

const clustersProblem = (issue: { input?: unknown }) => `must be a whole number from 1 to ${MAX_RUN_CLUSTERS}, got ${shown(issue.input)}`;
const clusters = z
  .number({ error: clustersProblem })
  .int({ error: clustersProblem })
  .min(1, { error: clustersProblem })
  .max(MAX_RUN_CLUSTERS, { error: clustersProblem });

/** The options of run, recover, runOne and runFrom (RunOptions), checked all at once. */
export const runOptionsSchema = z
  .strictObject(
    {
      timeperiod,
      startTimeperiod: timeperiod.optional(),
      endTimeperiod: timeperiod.optional(),
      clusters: clusters.optional(),
      // Only a boolean: `failFast: 'no'` is truthy, and would silently mean the opposite.
      failFast: z.boolean({ error: (issue) => `must be true or false, got ${shown(issue.input)}` }).optional(),
      signal: z.instanceof(AbortSignal, { error: 'must be an AbortSignal (from an AbortController), or left out' }).optional(),
      trigger: z
        .enum(RUN_TRIGGERS, { error: (issue) => `must be one of ${RUN_TRIGGERS.join(', ')}, got ${shown(issue.input)}` })
        .optional(),
      expectedState: z
        .enum(FlowState, { error: (issue) => `must be one of ${FLOW_STATES.join(', ')} or null (never ran), got ${shown(issue.input)}` })
        .nullable()
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type'
          ? `the run options must be an object such as { timeperiod: '2026112600' }, got ${shown(issue.input)}`
          : undefined,
    },
  )
  .refine((options) => options.startTimeperiod! <= options.endTimeperiod!, {
    path: ['endTimeperiod'],
    error: (issue) => {
      const { startTimeperiod, endTimeperiod } = issue.input as RunOptions;
      return `${endTimeperiod} is before startTimeperiod ${startTimeperiod}: the range would be empty; swap them`;
    },
    // Compared whenever both ends are timeperiods, even if another option is wrong: every problem is listed at once.
    when: (payload) => {
      const value = payload.value as Partial<Record<string, unknown>> | undefined;
      return timeperiodError(value?.startTimeperiod) === undefined && timeperiodError(value?.endTimeperiod) === undefined;
    },
  });

/**
 * Validates the options of a run before anything is locked or written. One ConfigurationError lists
 * every problem; a lone bad timeperiod stays the public InvalidTimeperiodError it always was.
 */
export function parseRunOptions(options: unknown): RunOptions {
  try {
    return parseOptions(runOptionsSchema, options, 'the run options');
  } catch (err) {
    if (err instanceof ConfigurationError && err.problems.length === 1) {
      const field = TIMEPERIOD_FIELDS.find((name) => name === err.problems[0].path);
      const lone = field && timeperiodError((options as Record<string, unknown>)[field]);
      if (lone) throw lone;
    }
    throw err;
  }
}
