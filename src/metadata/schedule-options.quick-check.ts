import { MAX_TIMER_MS } from '../config/max-timer-ms';
import { isOneOf, isString, isStrictObject, isWholeNumber, type QuickCheck } from '../config/quick-check';
import type { Granularity } from '../timeperiod/timeperiod';

/** What `schedule.every` accepts, and the timeperiod granularity each one means (Synergy Scheduler's qualifiers). */
export const SCHEDULE_GRANULARITIES = { hour: 'hourly', day: 'daily', month: 'monthly', year: 'yearly' } as const satisfies Record<
  string,
  Granularity
>;

/** The most runs of one flow a scheduler lets run at once. */
export const MAX_ACTIVE_RUNS = 1000;

/** The defaults of `@Flow({ schedule })`, as README "Scheduling" lists them. */
export const SCHEDULE_DEFAULTS = { delayMs: 0, maxActiveRuns: 1, onFailure: 'recover', retries: 2, retryDelayMs: 300_000 } as const;

const isFlowNames: QuickCheck = (value) => Array.isArray(value) && value.every((name) => typeof name === 'string');

/**
 * True when `@Flow({ schedule })` is certainly valid for scheduleOptionsSchema (see QuickCheck): a
 * scheduled flow's entry file then starts without loading zod, which `--help` and `list` never need.
 */
export const certainScheduleOptions: QuickCheck = isStrictObject(
  {
    every: isOneOf(...Object.keys(SCHEDULE_GRANULARITIES)),
    start: isString,
    delayMs: isWholeNumber(0, MAX_TIMER_MS),
    maxActiveRuns: isWholeNumber(1, MAX_ACTIVE_RUNS),
    onFailure: isOneOf('recover', 'stop', 'continue'),
    retries: isWholeNumber(0, 1000),
    retryDelayMs: isWholeNumber(0, MAX_TIMER_MS),
    after: isFlowNames,
  },
  ['every', 'start'],
);
