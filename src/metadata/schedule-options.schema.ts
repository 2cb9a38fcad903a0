import { z } from 'zod';
import { describeInput } from '../config/whole-number.schema';
import type { Granularity } from '../timeperiod/timeperiod';
import { milliseconds } from './step-options.schema';

import { MAX_ACTIVE_RUNS, SCHEDULE_DEFAULTS, SCHEDULE_GRANULARITIES } from './schedule-options.quick-check';

/** `hour`, `day`, `month` or `year`: how often a scheduled flow runs, one run per timeperiod of that size (UTC). */
export type ScheduleEvery = keyof typeof SCHEDULE_GRANULARITIES;

/** What a failed scheduled run leads to. */
export type ScheduleOnFailure = 'recover' | 'stop' | 'continue';

function count(field: string, min: number, max: number): z.ZodNumber {
  return z
    .number({ error: (issue) => `${field} must be a whole number from ${min} to ${max}, got ${describeInput(issue.input)}` })
    .int()
    .min(min)
    .max(max);
}

/**
 * `@Flow({ schedule: { ... } })`: when the scheduler (`app.scheduler()`) runs the flow. Checked
 * when the flow is scanned (at bootstrap), into a FlowDefinitionError; the defaults are filled here.
 */
export const scheduleOptionsSchema = z.strictObject({
  /** One run per timeperiod of this size: `'hour'`, `'day'`, `'month'` or `'year'` (UTC). */
  every: z.enum(Object.keys(SCHEDULE_GRANULARITIES) as [ScheduleEvery, ...ScheduleEvery[]], {
    error: (issue) => `every must be 'hour', 'day', 'month' or 'year', got ${describeInput(issue.input)}`,
  }),
  /** The first timeperiod to run (`YYYYMMDDHH`, of the `every` granularity); missed periods from it on are caught up, oldest first. */
  start: z.string({ error: (issue) => `start must be a timeperiod string YYYYMMDDHH, got ${describeInput(issue.input)}` }),
  /** How long after a period has ended it becomes due, in ms. Default 0. */
  delayMs: milliseconds('delayMs', 0).default(SCHEDULE_DEFAULTS.delayMs),
  /** How many timeperiods of this flow may run at once. Default 1 (one after the other). */
  maxActiveRuns: count('maxActiveRuns', 1, MAX_ACTIVE_RUNS).default(SCHEDULE_DEFAULTS.maxActiveRuns),
  /**
   * What a failed run leads to. `'recover'` (default): `recover` it after `retryDelayMs`, up to
   * `retries` times, while later periods go on; `'stop'`: the same retries, but later periods wait
   * until the failed one is processed; `'continue'`: no retry, later periods go on.
   */
  onFailure: z
    .enum(['recover', 'stop', 'continue'], {
      error: (issue) => `onFailure must be 'recover', 'stop' or 'continue', got ${describeInput(issue.input)}`,
    })
    .default(SCHEDULE_DEFAULTS.onFailure),
  /** How many times a failed period is recovered. Default 2. */
  retries: count('retries', 0, 1000).default(SCHEDULE_DEFAULTS.retries),
  /** How long after a failure it is recovered, in ms. Default 300 000 (5 minutes). */
  retryDelayMs: milliseconds('retryDelayMs', 0).default(SCHEDULE_DEFAULTS.retryDelayMs),
  /**
   * Flows whose covering timeperiods must be processed first: a daily period waits for the 24
   * hours of that day of an hourly flow, a monthly one for every day of a daily flow; a flow of
   * the same granularity for the same period.
   */
  after: z
    .array(z.string({ error: (issue) => `after must list flow names, got ${describeInput(issue.input)}` }), {
      error: (issue) => `after must be a list of flow names, got ${describeInput(issue.input)}`,
    })
    .default([]),
});

/** What users write in `@Flow({ schedule })`. */
export type ScheduleOptions = z.input<typeof scheduleOptionsSchema>;

/** A flow's checked schedule, every default filled: `FlowDefinition.schedule`. */
export interface FlowSchedule {
  /** One run per timeperiod of this size. */
  every: ScheduleEvery;
  /** The timeperiod granularity `every` means. */
  granularity: Granularity;
  /** The first timeperiod the scheduler runs. */
  start: string;
  delayMs: number;
  maxActiveRuns: number;
  onFailure: ScheduleOnFailure;
  retries: number;
  retryDelayMs: number;
  /** Names of the flows whose covering periods must be processed first. */
  after: readonly string[];
}
