import { formatDuration } from '../render/duration.format';
import type { StepProgress } from './run-progress';

/**
 * What a step is doing, in a few words, for both views: `running 1.20s on local-0`,
 * `processed in 0.05s`, `invalid after 0.01s: <error>`.
 */
export function stepPhrase(step: StepProgress, now = Date.now()): string {
  const attempt = step.attempt > 1 ? ` (attempt ${step.attempt})` : '';
  const took = step.startedAt !== undefined && step.finishedAt !== undefined ? formatDuration(step.finishedAt - step.startedAt) : undefined;
  switch (step.phase) {
    case 'kept':
      return `kept: ${step.keptState} earlier`;
    case 'waiting':
      return 'waiting';
    case 'running':
      return `running ${formatDuration(now - (step.startedAt ?? now))}${attempt}${step.cluster ? ` on ${step.cluster}` : ''}`;
    case 'retrying':
      return `attempt ${step.attempt} failed, retrying in ${formatDuration(step.retryDelayMs ?? 0)}: ${step.error}`;
    case 'processed':
    case 'noop':
      return `${step.phase}${took ? ` in ${took}` : ''}${attempt}`;
    case 'invalid':
    case 'canceled':
      return `${step.phase}${took ? ` after ${took}` : ''}${attempt}${step.error ? `: ${step.error}` : ''}`;
    case 'not_run':
      return 'not run';
  }
}
