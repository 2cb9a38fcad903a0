import type { FlowDefinition } from '../metadata/flow-definition';
import type { RunHistoryEntry, StepAttemptHistory } from './run-history.source';

export interface AttemptView extends StepAttemptHistory {
  durationMs: number | null;
}

export interface HistoryRunView extends Omit<RunHistoryEntry, 'attempts'> {
  durationMs: number | null;
  /** The attempts in the flow's topological order, each step's in attempt order. */
  attempts: AttemptView[];
}

/** What the timeline draws: durations computed once, attempts in the order of the graph's rows. */
export function presentHistory(definition: FlowDefinition, runs: readonly RunHistoryEntry[]): HistoryRunView[] {
  const order = new Map(definition.graph.topologicalOrder().map((step, index) => [step, index]));
  const rank = (step: string) => order.get(step) ?? Number.MAX_SAFE_INTEGER;
  return runs.map((run) => ({
    ...run,
    durationMs: duration(run.startedAt, run.finishedAt),
    attempts: [...run.attempts]
      .sort((a, b) => rank(a.stepName) - rank(b.stepName) || a.stepName.localeCompare(b.stepName) || a.attempt - b.attempt)
      .map((attempt) => ({ ...attempt, durationMs: duration(attempt.startedAt, attempt.finishedAt) })),
  }));
}

function duration(startedAt: Date | null, finishedAt: Date | null): number | null {
  return startedAt && finishedAt ? finishedAt.getTime() - startedAt.getTime() : null;
}
