import type { FlowRunResult } from '../engine/run-options';

/** Why a tick started a run: the period came due, a failed period is retried, or its scheduler died mid-run. */
export type TriggerReason = 'due' | 'retry' | 'takeover';

/**
 * Why a due period was not started by this tick: an `after` flow has not processed its covering
 * periods yet (`after`), or never will by itself, because they come before that flow's schedule
 * start (`after-blocked`, what `plan` shows as `blocked`: the period waits until they are run by
 * hand or a start moves); the flow has `maxActiveRuns` running, it is paused, an older period
 * failed under `onFailure: 'stop'`, or its retry is not due yet.
 */
export type WaitReason = 'after' | 'after-blocked' | 'max-active-runs' | 'paused' | 'on-failure-stop' | 'retry-not-due';

/**
 * Why a period is left alone: it failed and has no retry left (or `onFailure: 'continue'`), or
 * another scheduler claimed it first; `held-elsewhere`: another engine holds its lease (a run by
 * hand, another application), so a run here would be refused: it is not started, and no attempt is
 * spent, until that lease is released or expires; `unread`: the flow has more unfinished periods than a tick
 * reads (its oldest and newest 500, and a slice of 500 between), and the rest between (after the entry's
 * timeperiod, its message says up to which) are not looked at by this tick: the next ticks' slices
 * read them, in timeperiod order.
 */
export type SkipReason = 'retries-exhausted' | 'failed' | 'claimed-elsewhere' | 'held-elsewhere' | 'unread';

/** One period a tick reports on. */
export interface TickEntry<Reason extends string> {
  /** The flow's name. */
  flow: string;
  /** The period, `YYYYMMDDHH`. */
  timeperiod: string;
  /** Why, for a program. */
  reason: Reason;
  /** Why, for a person: `waits for hourly_ingest: 21 of 24 hourly periods of 2026010100 processed`. */
  message: string;
}

/** A run a tick started. */
export interface TriggeredRun extends TickEntry<TriggerReason> {
  /** `run` for a first run, `recover` for a retry or a takeover. */
  mode: 'run' | 'recover';
  /** 1 for the period's first run, one more for each retry or takeover. */
  attempt: number;
  /** How the run ended, once it has (`tick()` resolves after that). */
  result?: FlowRunResult;
  /** The error the run method threw instead (FlowLockedError when another engine ran the period meanwhile...). */
  error?: string;
}

/** What one `tick()` did. */
export interface TickReport {
  /** The instant the tick decided at (its `now`). */
  at: Date;
  /** The runs it started, oldest period first. */
  triggered: TriggeredRun[];
  /** The due periods it did not start yet, and why (one per flow and cause, the oldest). */
  waiting: TickEntry<WaitReason>[];
  /** The periods it leaves alone, and why. */
  skipped: TickEntry<SkipReason>[];
}
