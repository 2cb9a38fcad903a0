import type * as Listr2 from 'listr2';
import type { ListrTask, ListrTaskWrapper } from 'listr2';

/** Required when a view is drawn, not imported: `--help` and `list` do not load listr2. */
const listr2 = (): typeof Listr2 => require('listr2') as typeof Listr2;
import type { Subscription } from 'rxjs';
import { formatDuration } from '../render/duration.format';
import { inertText } from '../../logging/inert-text';
import type { ProgressView } from './progress-view';
import type { RunProgress, StepProgress } from './run-progress';
import { stepPhrase } from './step-phrase';
import type { StepProgressRenderer } from './step-progress.renderer';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wrapper = ListrTaskWrapper<any, typeof StepProgressRenderer, any>;

/** How often running steps' elapsed times and the run's clock are redrawn. */
const TICK_MS = 100;

/**
 * The live view on a terminal, built on listr2: a heading with the run's counts and clock, one
 * task per step (a spinner while it runs, its time or its error at the end), driven by the
 * events the engine emits. listr2 redraws in place; nothing here moves the cursor.
 */
export class TtyProgressView implements ProgressView {
  private readonly wrappers = new Map<string, Wrapper>();
  private heading?: Wrapper;
  private done?: Promise<unknown>;
  private ticker?: NodeJS.Timeout;
  private subscription?: Subscription;
  private close!: () => void;
  private readonly closing = new Promise<void>((resolve) => (this.close = resolve));

  constructor(private readonly progress: RunProgress) {}

  start(): void {
    const steps: ListrTask[] = this.progress.all().map((step) => ({
      title: step.name,
      skip: () => (step.phase === 'kept' ? this.title(step) : false),
      task: (_ctx, task: Wrapper) => this.follow(step, task),
    }));
    const listr = new (listr2().Listr)(
      [
        {
          title: this.progress.flowName,
          task: (_ctx, task: Wrapper) => {
            this.heading = task;
            this.refresh();
            // The untitled task holds the list open until stop(): listr2 draws its final frame
            // once, after the last redraw.
            return task.newListr([...steps, { task: () => this.closing }], { concurrent: true, exitOnError: false });
          },
        },
      ],
      {
        renderer: (require('./step-progress.renderer') as typeof import('./step-progress.renderer')).StepProgressRenderer,
        rendererOptions: {
          collapseSubtasks: false,
          collapseSkips: true,
          formatOutput: 'truncate',
          isWaiting: (task) => this.progress.step(task.initialTitle ?? '')?.phase === 'waiting',
        },
        exitOnError: false,
        // The app owns SIGINT/SIGTERM during a run (cancel, record, exit 130/143); listr2's own
        // handler would exit 127 first.
        registerSignalListeners: false,
      },
    );
    this.done = listr.run().catch(() => undefined);
    this.subscription = this.progress.changes$.subscribe(() => this.refresh());
    this.ticker = setInterval(() => this.refresh(), TICK_MS);
    this.ticker.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.subscription?.unsubscribe();
    this.refresh();
    this.close();
    await this.done;
  }

  private async follow(step: StepProgress, task: Wrapper): Promise<void> {
    this.wrappers.set(step.name, task);
    task.title = this.title(step);
    const final = await this.progress.settled(step.name);
    this.wrappers.delete(step.name);
    this.refresh();
    if (final.phase === 'invalid' || final.phase === 'canceled') throw new Error(this.title(final));
    if (final.phase === 'processed') task.title = this.title(final);
    else task.skip(this.title(final));
  }

  private refresh(): void {
    for (const [name, task] of this.wrappers) task.title = this.title(this.progress.step(name)!);
    if (this.heading) this.heading.title = this.headingTitle();
  }

  private title(step: StepProgress): string {
    if (step.phase === 'waiting') {
      const pending = step.dependsOn.filter((d) => !['processed', 'noop', 'kept'].includes(this.progress.step(d)?.phase ?? ''));
      return `${step.name}  ${listr2().color.dim(pending.length ? `waiting for ${pending.join(', ')}` : 'waiting for a cluster')}`;
    }
    // The phrase quotes the step's error: made inert, then coloured (listr2 writes titles as they are).
    return `${step.name}  ${listr2().color.dim(inertText(stepPhrase(step)))}`;
  }

  private headingTitle(): string {
    const p = this.progress;
    const { total, done, failed, canceled, running, kept } = p.counts();
    const clock = formatDuration((p.endedAt ?? Date.now()) - p.startedAt);
    const state = p.ended || !['embryo', 'in_progress'].includes(p.state) ? p.state : running ? `${running} running` : 'starting';
    const parts = [
      `${done}/${total} done`,
      failed ? listr2().color.red(`${failed} failed`) : '',
      canceled ? listr2().color.yellow(`${canceled} canceled`) : '',
      kept ? `${kept} kept` : '',
      clock,
    ].filter(Boolean);
    return `${p.flowName} ${p.timeperiod} ${p.mode}: ${state} · ${parts.join(' · ')}`;
  }
}
