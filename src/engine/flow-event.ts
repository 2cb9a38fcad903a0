import type { ActionPhase } from '../../decorators/types';
import type { RunMode } from '../persistence/flow.entity';
import type { FlowState, StepState } from '../persistence/states';

interface EventBase {
  flowName: string;
  timeperiod: string;
  /** Epoch milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now()). */
  at: number;
}

export interface FlowStateEvent extends EventBase {
  type: 'flow';
  state: FlowState;
  runMode: RunMode;
}

export interface StepStateEvent extends EventBase {
  type: 'step';
  stepName: string;
  state: StepState;
  attempt: number;
  cluster?: string;
  /** Why the attempt failed (secrets redacted). */
  error?: string;
}

export type ActionState = 'started' | 'completed' | 'failed' | 'skipped';

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

export type FlowEvent = FlowStateEvent | StepStateEvent | ActionStateEvent | StepRetryEvent;

export function now(): number {
  return performance.timeOrigin + performance.now();
}
