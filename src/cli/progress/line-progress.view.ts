import type { Subscription } from 'rxjs';
import { FlowState } from '../../domain/states';
import { formatClock } from '../render/time.format';
import type { ProgressView } from './progress-view';
import { notDoneTally, type ProgressChange, type RunProgress } from './run-progress';
import { stepPhrase } from './step-phrase';

export interface LineProgressOptions {
  /**
   * Which step changes get a line. `all` (the default): every one. `failures`: only a step that
   * fails (a backfill of many periods). `problems`: a step that fails or retries (a large run).
   */
  steps?: 'all' | 'failures' | 'problems';
  /**
   * With this, a tally line (`progress: 412/10000 done, 4 running`) is printed when a step settles
   * at least this long after the last one, so that a log whose steps are not listed still says
   * how far the run got. Timed by the events' own clock.
   */
  tallyEveryMs?: number;
}

/**
 * For a pipe, a log file, cron: one plain line per state change, written once and never
 * redrawn, each with the time, the flow and the timeperiod so interleaved runs stay readable.
 */
export class LineProgressView implements ProgressView {
  private subscription?: Subscription;
  /** When the last line that gave the tally was written (the run's start, at first). */
  private talliedAt = 0;

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
        this.talliedAt = change.at;
        this.write(
          `${prefix} ${mode} started: ${counts.total} step${counts.total === 1 ? '' : 's'} to run${counts.kept ? `, ${counts.kept} kept` : ''}${this.listed()}`,
        );
      } else {
        // No duration here: the summary line after it gives the persisted run's, the one status shows.
        this.write(`${prefix} ${mode} ended ${change.state}: ${counts.done}/${counts.total} done${notDoneTally(counts)}`);
      }
      return;
    }
    const { step } = change;
    const failed = step.phase === 'invalid' || step.phase === 'canceled';
    const settled = step.phase !== 'running' && step.phase !== 'retrying';
    const shown =
      this.options.steps === 'failures' ? failed : this.options.steps === 'problems' ? failed || step.phase === 'retrying' : true;
    if (!shown) {
      if (settled) this.maybeTally(prefix, change.at);
      return;
    }
    if (settled) this.talliedAt = change.at;
    const tally = settled ? ` [${counts.done}/${counts.total}${notDoneTally(counts)}]` : '';
    // A line is written once: a running step gets its state's name, not a clock.
    const phrase =
      step.phase === 'running'
        ? `in_progress${step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}${step.cluster ? ` on ${step.cluster}` : ''}`
        : stepPhrase(failed ? { ...step, error: undefined } : step, change.at);
    this.write(`${prefix} ${step.name} ${phrase}${tally}${failed && step.error ? `: ${step.error}` : ''}`);
  }

  /** A tally line, if the last one is at least `tallyEveryMs` old. */
  private maybeTally(prefix: string, at: number): void {
    const every = this.options.tallyEveryMs;
    if (every === undefined || at - this.talliedAt < every) return;
    this.talliedAt = at;
    const counts = this.progress.counts();
    this.write(`${prefix} progress: ${counts.done}/${counts.total} done, ${counts.running} running${notDoneTally(counts)}`);
  }

  /** What a large run's start line says of the lines to come, so that the steps' absence is not a surprise. */
  private listed(): string {
    const { steps, tallyEveryMs } = this.options;
    if (steps !== 'problems') return '';
    const tally = tallyEveryMs === undefined ? '' : `, progress at most every ${tallyEveryMs / 1000}s`;
    return ` (a line per failure or retry${tally})`;
  }
}
