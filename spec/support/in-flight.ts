import type { FlowEvent } from '../../src';

/** The most steps in_progress at once, replayed from step events in emission order. */
export function maxInFlight(events: readonly FlowEvent[]): number {
  const running = new Set<string>();
  let max = 0;
  for (const e of events) {
    if (e.type !== 'step') continue;
    if (e.state === 'in_progress') running.add(e.stepName);
    else running.delete(e.stepName);
    max = Math.max(max, running.size);
  }
  return max;
}

/** Names of the steps that started (went in_progress) in these events, in order of first start. */
export function startedSteps(events: readonly FlowEvent[]): string[] {
  const started: string[] = [];
  for (const e of events) if (e.type === 'step' && e.state === 'in_progress' && !started.includes(e.stepName)) started.push(e.stepName);
  return started;
}
