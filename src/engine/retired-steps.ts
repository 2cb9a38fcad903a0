import type { FlowGraph } from '../graph/flow-graph';
import type { StepEntity } from '../persistence/step.entity';
import type { StepRecord } from '../domain/step-record';

/** A step row as `app.status()` returns it: `retired` when the flow's definition no longer has that step. */
export interface StepStatus extends StepRecord {
  /**
   * The step was removed from the flow's definition after this row was written. Its row stays in
   * the table (history) but no longer counts: not in the flow's state, not in a run's result.
   */
  retired?: true;
}

/** Whether a row belongs to a step the definition no longer has. */
export function isRetired(step: Pick<StepEntity, 'stepName'>, graph: FlowGraph): boolean {
  return !graph.has(step.stepName);
}

/** The rows of a run with those of removed steps marked `retired: true`. */
export function markRetired(steps: StepEntity[], graph: FlowGraph): StepStatus[] {
  for (const step of steps) if (isRetired(step, graph)) (step as StepStatus).retired = true;
  return steps;
}

/** Only the rows of steps the definition still has: what a run executes, counts and reports. */
export function currentSteps(steps: ReadonlyMap<string, StepEntity>, graph: FlowGraph): Map<string, StepEntity> {
  return new Map([...steps].filter(([, step]) => !isRetired(step, graph)));
}
