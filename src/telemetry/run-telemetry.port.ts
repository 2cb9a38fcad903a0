import type { ActionPhase } from '../domain/action-phase';
import type { RunMode } from '../domain/flow-record';
import type { RunTrigger } from '../domain/run-id';
import type { FlowState, StepState } from '../domain/states';
import type { Redactor } from '../logging/redaction';

// What the engine asks of a run's telemetry, apart from how it is made (run-telemetry.ts), so that
// the OpenTelemetry implementation (otel-run-telemetry.ts, loaded only with an SDK) can depend on it.

/** What a run's telemetry is started with. */
export interface RunTelemetryInit {
  flowName: string;
  timeperiod: string;
  runId: string;
  runMode: RunMode;
  trigger: RunTrigger;
  /** The run's redactor: nothing that reaches a span may hold a secret. */
  redact: Redactor;
}

/** Where an action of an attempt runs: `pre`, `main`, `post`, or one of the finalizers. */
export type ActionTelemetryPhase = ActionPhase | 'rollback' | 'cleanup';

/**
 * The OpenTelemetry side of one flow run (docs/observability.md): its `synergy-flow.run` span, a
 * child span per step attempt, and the metrics they feed.
 */
export interface RunTelemetry {
  /** A step attempt started on `cluster`: its span starts, and it counts as in flight until it ends. */
  attemptStarted(stepName: string, attempt: number, cluster: string): AttemptTelemetry;
  /** The run ended in `state`; `error` says why it is invalid when no step does (no cluster, a cancel, an exception). */
  ended(state: FlowState, error?: string): void;
}

/** One step attempt: its span and the spans of its actions; its duration, retry and in-flight metrics. */
export interface AttemptTelemetry {
  /** An action of the attempt starts: its span, a child of the attempt's. */
  actionStarted(actionName: string, phase: ActionTelemetryPhase): ActionTelemetry;
  /** The attempt ended `processed`. */
  processed(): void;
  /** The attempt failed (`invalid`) or was cancelled (`canceled`) and the step will not be tried again. */
  failed(state: StepState, error: unknown): void;
  /** The attempt failed and the step will be tried again after `delayMs`. */
  retried(error: unknown, delayMs: number): void;
}

/** One action's span: user code runs in its context, so the spans it makes are its children. */
export interface ActionTelemetry {
  /** Calls `fn` with the action's span as the active context. */
  within<T>(fn: () => T): T;
  completed(): void;
  failed(error: unknown): void;
}

/** The action telemetry of a run that does not record spans, and of the testing app's attempts. */
export const NO_ACTION_TELEMETRY: ActionTelemetry = {
  within: (fn) => fn(),
  completed: () => undefined,
  failed: () => undefined,
};
