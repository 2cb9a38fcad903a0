import type { RunTrigger } from '../domain/run-id';
import type { FlowRecord, RunMode } from '../domain/flow-record';
import type { FlowState, StepState } from '../domain/states';
import type { StepRecord } from '../domain/step-record';
import { FlowRunNotFoundError } from '../errors';
import type { FlowApplication, FlowStatus } from '../flow-application.port';

/*
 * Where the viewer's run history (the timeline and the history list) comes from. The shapes are
 * those of `app.history()` (DESIGN.md section 9: FlowRunRecord with its StepAttemptRecords); until
 * the history tables exist, StepTableHistorySource derives what it can from the step table. When
 * `app.history` lands, a source that calls it replaces that class here, and nothing else changes.
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
  /** Null where the source cannot tell (the step table knows no run ids). */
  runId: string | null;
  flowName: string;
  timeperiod: string;
  trigger: RunTrigger | null;
  runMode: RunMode;
  stepName: string | null;
  state: FlowState;
  host: string | null;
  pid: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  attempts: StepAttemptHistory[];
}

export interface RunHistoryQuery {
  timeperiod?: string;
  limit?: number;
  before?: string;
}

/** A flow's runs, newest first, each with its attempts. */
export interface RunHistorySource {
  history(flow: string, query: RunHistoryQuery): Promise<RunHistoryEntry[]>;
}

/**
 * History as the `flow` and `step` tables tell it: one run per timeperiod (its latest) and one
 * attempt per step that ran (its latest, numbered with the step's attempt count, so a retried step
 * shows as attempt 2). Run ids, triggers, hosts and earlier attempts are not in those tables.
 */
export class StepTableHistorySource implements RunHistorySource {
  constructor(private readonly app: FlowApplication) {}

  async history(flow: string, query: RunHistoryQuery): Promise<RunHistoryEntry[]> {
    const timeperiods =
      query.timeperiod !== undefined
        ? [query.timeperiod]
        : (await this.app.runs(flow, { limit: query.limit, before: query.before })).map((run) => run.timeperiod);
    // one status per run, within the page's limit: app.history reads them all at once
    const runs = await Promise.all(timeperiods.map((timeperiod) => this.statusOf(flow, timeperiod)));
    return runs.flatMap((status) => (status ? [derivedRun(status.flow, status.steps)] : []));
  }

  private async statusOf(flow: string, timeperiod: string): Promise<FlowStatus | undefined> {
    try {
      return await this.app.status(flow, timeperiod);
    } catch (err) {
      if (err instanceof FlowRunNotFoundError) return undefined;
      throw err;
    }
  }
}

function derivedRun(run: FlowRecord, steps: readonly StepRecord[]): RunHistoryEntry {
  const attempts = steps
    .filter((step) => step.startedAt !== null)
    .map((step) => ({
      stepName: step.stepName,
      attempt: step.attempt,
      state: step.state,
      cluster: null,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      error: step.error,
    }));
  return {
    runId: null,
    flowName: run.flowName,
    timeperiod: run.timeperiod,
    trigger: null,
    runMode: run.runMode,
    stepName: null,
    state: run.state,
    host: null,
    pid: null,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: attempts.find((a) => a.state === 'invalid')?.error ?? null,
    attempts,
  };
}
