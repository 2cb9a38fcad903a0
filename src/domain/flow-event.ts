import type { ActionPhase } from './action-phase';
import type { RunMode } from './flow-record';
import type { FlowState, StepState } from './states';

interface EventBase {
  flowName: string;
  timeperiod: string;
  /** The run this event belongs to (FlowRunResult.runId): one per call of run, recover, runOne or runFrom. */
  runId: string;
  /** Epoch milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now()). */
  at: number;
}

/** A flow run changed state (persisted before it is emitted). */
export interface FlowStateEvent extends EventBase {
  type: 'flow';
  state: FlowState;
  runMode: RunMode;
  /**
   * Only in the viewer's stream, for a run of another engine still `in_progress` whose engine is dead
   * (ActiveRunRecord.engineGone): why. Nothing runs it any more; `recover` finishes it.
   */
  engineGone?: string;
}

/** A step changed state (persisted before it is emitted). */
export interface StepStateEvent extends EventBase {
  type: 'step';
  stepName: string;
  state: StepState;
  attempt: number;
  cluster?: string;
  /** Why the attempt failed (secrets redacted). */
  error?: string;
}

/** Where an action is: actions are not persisted, only emitted. */
export type ActionState = 'started' | 'completed' | 'failed' | 'skipped';

/** An action of a step changed state. */
export interface ActionStateEvent extends EventBase {
  type: 'action';
  stepName: string;
  actionName: string;
  phase: ActionPhase;
  state: ActionState;
  attempt: number;
  durationMs?: number;
  error?: string;
}

/** A retry is about to happen after `delayMs`. */
export interface StepRetryEvent extends EventBase {
  type: 'retry';
  stepName: string;
  attempt: number;
  delayMs: number;
  error: string;
}

interface FinalizerEventBase extends EventBase {
  stepName: string;
  /** The action's name, or the `@Rollback` method's. */
  actionName: string;
  attempt: number;
  state: 'completed' | 'failed';
  durationMs: number;
  error?: string;
}

/** A completed action was rolled back (or a `@Rollback` method ran) because its step failed. */
export interface ActionRollbackEvent extends FinalizerEventBase {
  type: 'rollback';
}

/** A started action's cleanup ran: it always does, success or failure. */
export interface ActionCleanupEvent extends FinalizerEventBase {
  type: 'cleanup';
}

/**
 * A step a dead engine left `in_progress` (a zombie), found when this run took the run over; it is
 * reset to embryo and runs again, never counted as processed.
 */
export interface StepZombieEvent extends EventBase {
  type: 'zombie';
  stepName: string;
  /** The attempt the dead engine was in. */
  attempt: number;
  /** `host pid 1234 since <ISO time>` of the engine that left it, when its lease was taken over. */
  previousHolder?: string;
}

/**
 * Every event of `app.events$`, told apart by `type`.
 *
 * @example
 * ```ts
 * app.events$.subscribe((event) => {
 *   if (event.type === 'step' && event.state === 'invalid') console.error(`${event.stepName} failed: ${event.error}`);
 * });
 * ```
 */
export type FlowEvent =
  FlowStateEvent | StepStateEvent | ActionStateEvent | StepRetryEvent | ActionRollbackEvent | ActionCleanupEvent | StepZombieEvent;

export function now(): number {
  return performance.timeOrigin + performance.now();
}
