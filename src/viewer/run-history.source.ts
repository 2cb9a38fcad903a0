import type { RunTrigger } from '../domain/run-id';
import type { RunMode } from '../domain/flow-record';
import type { FlowState, StepState } from '../domain/states';
import type { FlowApplication } from '../flow-application.port';

/*
 * Where the viewer's run history (the timeline and the history list) comes from. The shapes are
 * those of `app.history()` (DESIGN.md section 9: FlowRunRecord with its StepAttemptRecords), which
 * AppHistorySource reads; the interface keeps the routes apart from where the runs are stored.
 */

/** One attempt of one step of a run. */
export interface StepAttemptHistory {
  stepName: string;
  attempt: number;
  state: StepState;
  cluster: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

/** One run (one call of run, recover, runOne or runFrom) with its step attempts. */
export interface RunHistoryEntry {
  /** Null where the source cannot tell. */
  runId: string | null;
  flowName: string;
  timeperiod: string;
  trigger: RunTrigger | null;
  runMode: RunMode;
  stepName: string | null;
  state: FlowState;
  host: string | null;
  pid: number | null;
  /** The engine's instance id (FlowRunRecord.instanceId); null for runs recorded before it. */
  instanceId: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  attempts: StepAttemptHistory[];
}

export interface RunHistoryQuery {
  timeperiod?: string;
  limit?: number;
  /** A run id: the runs that started before it (the next page). */
  before?: string;
  /** Only this step's attempts in each run (the same runs): what the log pane needs of a large flow's run. */
  step?: string;
}

/** A flow's runs, newest first, each with its attempts. */
export interface RunHistorySource {
  history(flow: string, query: RunHistoryQuery): Promise<RunHistoryEntry[]>;
}

/**
 * History as `app.history` records it: every run of the flow (whoever started it), newest first,
 * with every attempt of every step, so a retried step shows its failed attempt and its retry.
 */
export class AppHistorySource implements RunHistorySource {
  constructor(private readonly app: FlowApplication) {}

  async history(flow: string, query: RunHistoryQuery): Promise<RunHistoryEntry[]> {
    const runs = await this.app.history(flow, {
      ...(query.limit !== undefined && { limit: query.limit }),
      ...(query.timeperiod !== undefined && { timeperiod: query.timeperiod }),
      ...(query.before !== undefined && { before: query.before }),
      ...(query.step !== undefined && { step: query.step }),
    });
    return runs.map((run) => ({
      runId: run.runId,
      flowName: run.flowName,
      timeperiod: run.timeperiod,
      trigger: run.trigger,
      runMode: run.runMode,
      stepName: run.stepName,
      state: run.state,
      host: run.host,
      pid: run.pid,
      instanceId: run.instanceId,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      error: run.error ?? run.attempts.find((a) => a.state === 'invalid')?.error ?? null,
      attempts: run.attempts.map(({ stepName, attempt, state, cluster, startedAt, finishedAt, error }) => ({
        stepName,
        attempt,
        state,
        cluster,
        startedAt,
        finishedAt,
        error,
      })),
    }));
  }
}
