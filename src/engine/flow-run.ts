import type { ClusterPool } from '../clusters/cluster-pool';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { FlowEntity } from '../persistence/flow.entity';
import type { StateStore } from '../persistence/state-store';
import type { StepEntity } from '../persistence/step.entity';
import type { StepAttemptEntity } from '../persistence/step-attempt.entity';
import type { Logger } from '../logging/logger';
import type { RunTelemetry } from '../telemetry/run-telemetry.port';
import type { ExecutionContextInit } from './execution-context';
import type { StepRunScope } from './step-run-scope';

/** Everything one flow run shares between its steps while it executes. */
export interface FlowRun {
  definition: FlowDefinition;
  context: ExecutionContextInit;
  flow: FlowEntity;
  steps: Map<string, StepEntity>;
  store: StateStore;
  pool: ClusterPool;
  scope: StepRunScope;
  flowLogger: Logger;
  /** Aborted on cancel: running steps see it through ctx.signal. */
  signal: AbortSignal;
  failFast: boolean;
  /** Set by the first step that ends invalid or canceled. */
  failed: boolean;
  /** False once no new step may start: the run was cancelled, or a step failed under fail-fast. */
  canStart: () => boolean;
  /** The run's span and metrics (OpenTelemetry): a no-op until the application registers an SDK. */
  telemetry: RunTelemetry;
  /**
   * The attempt rows (step_attempt) of the steps running, by step, in memory until the attempt ends
   * (its row is inserted then, and leaves this map): for a forced shutdown, or a run that gives up,
   * to record those it leaves running.
   */
  attempts: Map<string, StepAttemptEntity>;
  /** The id of the run's first attempt row: its range of ids starts there (persistence/history/attempt-ids.ts). */
  firstAttemptId: number;
  /** How many attempt rows the run has ended: the counter in their ids (attemptEnd). */
  attemptCount: number;
}
