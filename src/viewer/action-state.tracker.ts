import type { Observable, Subscription } from 'rxjs';
import type { ActionPhase } from '../../decorators/types';
import type { ActionState, FlowEvent } from '../domain/flow-event';

export interface TrackedAction {
  phase: ActionPhase;
  name: string;
  state: ActionState;
  durationMs?: number;
  error?: string;
}

/**
 * Action states are not persisted (only steps and flows are), so the viewer keeps the latest
 * attempt's action events of the runs it has seen, for the run detail. Bounded: the least
 * recently active runs are forgotten first.
 */
export class ActionStateTracker {
  /** run key -> step -> the actions of the step's latest attempt, in the order they ran. */
  private readonly runs = new Map<string, Map<string, TrackedAction[]>>();
  private readonly subscription: Subscription;

  constructor(
    events$: Observable<FlowEvent>,
    private readonly maxRuns = 200,
  ) {
    this.subscription = events$.subscribe((event) => this.record(event));
  }

  actionsOf(flowName: string, timeperiod: string, stepName: string): readonly TrackedAction[] | undefined {
    return this.runs.get(runKey(flowName, timeperiod))?.get(stepName);
  }

  close(): void {
    this.subscription.unsubscribe();
  }

  private record(event: FlowEvent): void {
    const key = runKey(event.flowName, event.timeperiod);
    if (event.type === 'flow') {
      // a full run purges every step record: the actions seen before belong to another run
      if (event.state === 'in_progress' && event.runMode === 'run') this.runs.delete(key);
      return;
    }
    if (event.type === 'retry' || event.type === 'rollback' || event.type === 'cleanup' || event.type === 'zombie') return;
    const steps = this.touch(key);
    if (event.type === 'step') {
      if (event.state === 'in_progress') steps.set(event.stepName, []);
      return;
    }
    const actions = steps.get(event.stepName) ?? [];
    steps.set(event.stepName, actions);
    const { phase, actionName: name, state, durationMs, error } = event;
    const open =
      state === 'completed' || state === 'failed'
        ? findLast(actions, (a) => a.phase === phase && a.name === name && a.state === 'started')
        : undefined;
    if (open) Object.assign(open, { state, durationMs, error });
    else actions.push({ phase, name, state, durationMs, error });
  }

  private touch(key: string): Map<string, TrackedAction[]> {
    const steps = this.runs.get(key) ?? new Map<string, TrackedAction[]>();
    this.runs.delete(key);
    this.runs.set(key, steps);
    if (this.runs.size > this.maxRuns) this.runs.delete(this.runs.keys().next().value!);
    return steps;
  }
}

function findLast<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return items[i];
  return undefined;
}

function runKey(flowName: string, timeperiod: string): string {
  return `${flowName}\u0000${timeperiod}`;
}
