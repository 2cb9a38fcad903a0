import type { Subscription } from 'rxjs';
import { FlowState } from '../../domain/states';
import { formatClock } from '../render/time.format';
import type { ProgressView } from './progress-view';
import type { ProgressChange, RunProgress } from './run-progress';
import { stepPhrase } from './step-phrase';

export interface LineProgressOptions {
  /** `failures`: only the steps that fail get a line (a backfill of many periods). Default `all`. */
  steps?: 'all' | 'failures';
}

/**
 * For a pipe, a log file, cron: one plain line per state change, written once and never
 * redrawn, each with the time, the flow and the timeperiod so interleaved runs stay readable.
 */
export class LineProgressView implements ProgressView {
  private subscription?: Subscription;

  constructor(
    private readonly progress: RunProgress,
    private readonly write: (line: string) => void,
    private readonly options: LineProgressOptions = {},
  ) {}

  start(): void {
    this.subscription = this.progress.changes$.subscribe((change) => this.announce(change));
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
  }

  private announce(change: ProgressChange): void {
    const { flowName, timeperiod, mode } = this.progress;
    const prefix = `${formatClock(new Date(change.at))} ${flowName} ${timeperiod}`;
    const counts = this.progress.counts();
    if (change.kind === 'flow') {
      if (change.state === FlowState.IN_PROGRESS) {
        this.write(
          `${prefix} ${mode} started: ${counts.total} step${counts.total === 1 ? '' : 's'} to run${counts.kept ? `, ${counts.kept} kept` : ''}`,
        );
      } else {
        // No duration here: the summary line after it gives the persisted run's, the one status shows.
        this.write(
          `${prefix} ${mode} ended ${change.state}: ${counts.done}/${counts.total} done${counts.failed ? `, ${counts.failed} failed` : ''}`,
        );
      }
      return;
    }
    const { step } = change;
    const failed = step.phase === 'invalid' || step.phase === 'canceled';
    if (this.options.steps === 'failures' && !failed) return;
    const settled = step.phase !== 'running' && step.phase !== 'retrying';
    const tally = settled ? ` [${counts.done}/${counts.total}${counts.failed ? `, ${counts.failed} failed` : ''}]` : '';
    // A line is written once: a running step gets its state's name, not a clock.
    const phrase =
      step.phase === 'running'
        ? `in_progress${step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}${step.cluster ? ` on ${step.cluster}` : ''}`
        : stepPhrase(failed ? { ...step, error: undefined } : step, change.at);
    this.write(`${prefix} ${step.name} ${phrase}${tally}${failed && step.error ? `: ${step.error}` : ''}`);
  }
}
