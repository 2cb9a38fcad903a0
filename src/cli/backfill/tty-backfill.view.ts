import type * as Listr2 from 'listr2';
import type { ListrTask, ListrTaskWrapper } from 'listr2';

/** Required when a view is drawn, not imported: `--help` and `list` do not load listr2. */
const listr2 = (): typeof Listr2 => require('listr2') as typeof Listr2;
import { FlowState } from '../../domain/states';
import type { StepProgressRenderer } from '../progress/step-progress.renderer';
import type { RunProgress } from '../progress/run-progress';
import { formatDuration } from '../render/duration.format';
import { inertText } from '../../logging/inert-text';
import type { BackfillItem } from './backfill-plan';
import type { BackfillOutcome } from './backfill-outcome';
import type { BackfillView } from './backfill-view';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wrapper = ListrTaskWrapper<any, typeof StepProgressRenderer, any>;

const TICK_MS = 100;

/** The live backfill on a terminal (listr2): one task per period, a spinner for those running. */
export class TtyBackfillView implements BackfillView {
  private readonly tasks = new Map<string, Wrapper>();
  private readonly running = new Map<string, RunProgress>();
  private readonly outcomes = new Map<string, { promise: Promise<BackfillOutcome>; resolve: (o: BackfillOutcome) => void }>();
  private readonly finished: BackfillOutcome[] = [];
  private readonly startedAt = Date.now();
  private toRun = 0;
  private heading?: Wrapper;
  private done?: Promise<unknown>;
  private ticker?: NodeJS.Timeout;
  private close!: () => void;
  private readonly closing = new Promise<void>((resolve) => (this.close = resolve));

  constructor(
    private readonly title: string,
    private readonly parallel: number,
  ) {}

  start(items: readonly BackfillItem[]): void {
    this.toRun = items.filter((i) => i.action !== 'skip').length;
    for (const item of items) {
      let resolve!: (o: BackfillOutcome) => void;
      const promise = new Promise<BackfillOutcome>((r) => (resolve = r));
      this.outcomes.set(item.timeperiod, { promise, resolve });
    }
    const skipped = (timeperiod: string, reason: string | undefined) =>
      `${timeperiod}  ${listr2().color.dim(inertText(`skipped: ${reason}`))}`;
    const tasks: ListrTask[] = items.map((item) => ({
      title: item.timeperiod,
      skip: () => (item.action === 'skip' ? skipped(item.timeperiod, item.reason) : false),
      task: async (_ctx, task: Wrapper) => {
        this.tasks.set(item.timeperiod, task);
        task.title = `${item.timeperiod}  ${listr2().color.dim(`queued to ${item.action}`)}`;
        this.refresh();
        const outcome = await this.outcomes.get(item.timeperiod)!.promise;
        this.tasks.delete(item.timeperiod);
        // Skipped on a second look (processed since the plan, or running elsewhere): not a failure.
        if (outcome.action === 'skip') return task.skip(skipped(item.timeperiod, outcome.reason));
        const took = outcome.durationMs === undefined ? '' : ` in ${formatDuration(outcome.durationMs)}`;
        const line = `${item.timeperiod}  ${outcome.action}: ${outcome.state ?? 'failed'}${took}`;
        if (outcome.state !== FlowState.PROCESSED && outcome.state !== FlowState.NOOP)
          // listr2 writes the message as it is: the run's error, made inert.
          throw new Error(`${line}${outcome.error ? `: ${inertText(outcome.error)}` : ''}`);
        task.title = line;
      },
    }));
    const listr = new (listr2().Listr)(
      [
        {
          title: this.title,
          task: (_ctx, task: Wrapper) => {
            this.heading = task;
            // The untitled task holds the list open until stop(): listr2 draws its final frame
            // once, after the last redraw.
            return task.newListr([...tasks, { task: () => this.closing }], { concurrent: true, exitOnError: false });
          },
        },
      ],
      {
        renderer: (require('../progress/step-progress.renderer') as typeof import('../progress/step-progress.renderer'))
          .StepProgressRenderer,
        rendererOptions: {
          collapseSubtasks: false,
          formatOutput: 'truncate',
          // Queued periods are started listr2 tasks too; they wait without a spinner.
          isWaiting: (task) => this.tasks.has(task.initialTitle ?? '') && !this.running.has(task.initialTitle ?? ''),
        },
        exitOnError: false,
        registerSignalListeners: false,
      },
    );
    this.done = listr.run().catch(() => undefined);
    this.ticker = setInterval(() => this.refresh(), TICK_MS);
    this.ticker.unref();
  }

  started(item: BackfillItem, progress: RunProgress): void {
    this.running.set(item.timeperiod, progress);
    this.refresh();
  }

  ended(outcome: BackfillOutcome): void {
    this.running.delete(outcome.timeperiod);
    this.finished.push(outcome);
    this.outcomes.get(outcome.timeperiod)?.resolve(outcome);
    this.refresh();
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.refresh();
    this.close();
    await this.done;
  }

  private refresh(): void {
    for (const [timeperiod, progress] of this.running) {
      const task = this.tasks.get(timeperiod);
      if (!task) continue;
      const { done, total } = progress.counts();
      const running = progress
        .all()
        .filter((s) => s.phase === 'running')
        .map((s) => s.name);
      const detail = [
        `${progress.mode}`,
        `${done}/${total} steps`,
        running.length ? `running ${running.join(', ')}` : '',
        formatDuration(Date.now() - progress.startedAt),
      ];
      task.title = `${timeperiod}  ${listr2().color.dim(detail.filter(Boolean).join(' · '))}`;
    }
    if (this.heading) {
      const ok = this.finished.filter((o) => o.state === FlowState.PROCESSED || o.state === FlowState.NOOP).length;
      const failed = this.finished.length - ok;
      const parts = [
        `${this.finished.length}/${this.toRun} periods done`,
        failed ? listr2().color.red(`${failed} failed`) : '',
        `${this.parallel} at a time`,
        formatDuration(Date.now() - this.startedAt),
      ];
      this.heading.title = `${this.title}: ${parts.filter(Boolean).join(' · ')}`;
    }
  }
}
