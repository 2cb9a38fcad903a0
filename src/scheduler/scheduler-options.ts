import { z } from 'zod';
import { timerMs, wholeNumber } from '../config/whole-number.schema';
import type { Clock } from '../domain/clock.port';
import { MIN_TICK_MS } from './tick-interval';
import type { TickReport, TriggeredRun } from './tick-report';

/** What `app.scheduler({ ... })` accepts. */
export const schedulerOptionsSchema = z.strictObject({
  /** Where "now" comes from; default the system clock. A spec passes one it sets by hand. */
  clock: z
    .custom<Clock>((value) => typeof (value as Clock | null)?.now === 'function', { error: 'must be a Clock: an object with now(): Date' })
    .optional(),
  /** How users run the application's command line (`node dist/main.js`): its hints name the commands so. */
  programName: z
    .string({ error: "must be a string: how the command line is run, e.g. 'node dist/main.js'" })
    .trim()
    .min(1, { error: "must say how the command line is run, e.g. 'node dist/main.js'" })
    .optional(),
});

/** What `app.scheduler({ ... })` accepts. */
export interface SchedulerOptions {
  /** Where "now" comes from; default the system clock (`systemClock`). */
  clock?: Clock;
  /**
   * How users run the application's command line (`node dist/main.js`, as `runCommandLine` and
   * `app.cli()` name it), so that what a report tells them to do by hand is the command they type:
   * `recover it by hand (node dist/main.js recover daily_etl -t 2026120100)`. Without it (a program
   * of its own on the API), a hint names the application's method and the command line's command:
   * `app.recover('daily_etl', { timeperiod: '2026120100' }), or 'recover daily_etl -t 2026120100' on
   * the application's command line`. The CLI's `scheduler` and `plan` pass theirs.
   */
  programName?: string;
}

/** What `scheduler.start({ ... })` accepts. */
export const schedulerStartOptionsSchema = z.strictObject({
  /** How often it ticks, in ms (at least 10). Default 60 000. */
  tickMs: timerMs(MIN_TICK_MS).optional(),
  /** Called with each tick's report, as soon as it has decided (its runs may still be running). */
  onTick: z.custom<(report: TickReport) => void>((value) => typeof value === 'function', { error: 'must be a function' }).optional(),
  /** Called when a run it started has ended, with its `result` (or the `error` its run method threw). */
  onRunEnd: z.custom<(run: TriggeredRun) => void>((value) => typeof value === 'function', { error: 'must be a function' }).optional(),
  /** Called when a tick fails (the database is down, say); the next tick tries again. Default: a process warning. */
  onError: z.custom<(error: unknown) => void>((value) => typeof value === 'function', { error: 'must be a function' }).optional(),
});

/** What `scheduler.start({ ... })` accepts. */
export interface SchedulerStartOptions {
  /** How often it ticks, in ms (at least 10). Default 60 000. */
  tickMs?: number;
  /** Called with each tick's report, as soon as it has decided (its runs may still be running). */
  onTick?: (report: TickReport) => void;
  /**
   * Called when a run it started has ended, with its `result` (or the `error` its run method threw):
   * `onTick`'s report comes as the runs start, so without this a failure is seen only in the database.
   */
  onRunEnd?: (run: TriggeredRun) => void;
  /**
   * Called when a tick fails (the database is down, say: a DatabaseUnavailableError whose message says
   * the scheduler goes on by itself); the next tick tries again. Default: a process warning.
   */
  onError?: (error: unknown) => void;
}

export const DEFAULT_TICK_MS = 60_000;

/** What `scheduler.plan(flow, { ... })` accepts. */
export const planOptionsSchema = z.strictObject({
  /** How many periods to list, 1 to 1000. Default 10. */
  limit: wholeNumber(1, 1000).optional(),
  /** The instant to plan from; default the scheduler's clock. */
  now: z.date({ error: 'must be a Date' }).optional(),
});

/** What `scheduler.plan(flow, { ... })` accepts. */
export interface PlanOptions {
  /** How many periods to list, 1 to 1000. Default 10. */
  limit?: number;
  /** The instant to plan from; default the scheduler's clock. */
  now?: Date;
}

/** Where a period of {@link Scheduler.plan} stands. */
export type PlannedStatus = 'running' | 'retry' | 'failed' | 'due' | 'scheduled' | 'paused' | 'blocked';

/** One period of a flow's plan: the ones it has not processed, oldest first. */
export interface PlannedPeriod {
  /** The period, `YYYYMMDDHH`. */
  timeperiod: string;
  /**
   * `running` (in this or another scheduler), `retry` (failed; recovered at `dueAt`), `failed` (no
   * retry left), `due` (a tick would start it, unless something holds it), `scheduled` (due at `dueAt`),
   * `paused` (the flow is paused: no tick starts or retries it until it is resumed), `blocked` (it waits
   * for `after` periods that come before that flow's schedule start: no scheduler runs them).
   */
  status: PlannedStatus;
  /** When it is (or was) due: its end plus delayMs; for a retry, its last failure plus retryDelayMs. */
  dueAt: Date;
  /** Why, for a person, when the status alone does not say what to do: set for `paused`, `blocked`, and a period another engine holds (`running`). */
  reason?: string;
}
