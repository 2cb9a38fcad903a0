import {
  DefaultRenderer,
  color,
  figures,
  type ListrDefaultRendererOptions,
  type ListrDefaultRendererTask,
  type ListrEventManager,
} from 'listr2';

export interface StepProgressRendererOptions extends ListrDefaultRendererOptions {
  /** A started task whose step (or timeperiod) is still queued: shown still, not spinning. */
  isWaiting?: (task: ListrDefaultRendererTask) => boolean;
}

/**
 * listr2's default renderer, with one difference: a task waiting for its dependencies gets the
 * renderer's own "waiting" square instead of a spinner, so only what really runs spins. The
 * tasks of a flow run all start together (the engine, not listr2, decides when a step runs).
 */
export class StepProgressRenderer extends DefaultRenderer {
  static override rendererOptions: StepProgressRendererOptions = DefaultRenderer.rendererOptions;
  private readonly isWaiting: (task: ListrDefaultRendererTask) => boolean;

  constructor(tasks: ListrDefaultRendererTask[], options: StepProgressRendererOptions, events: ListrEventManager) {
    super(tasks, options, events);
    this.isWaiting = options?.isWaiting ?? (() => false);
    process.once('exit', this.endOnExit);
  }

  override end(): void {
    process.off('exit', this.endOnExit);
    super.end();
  }

  /**
   * A signal during a run ends the process from inside the app (exit 130/143), before the view
   * is stopped: draw the last frame, give back what was written meanwhile, show the cursor.
   */
  private readonly endOnExit = () => this.end();

  protected override style(task: ListrDefaultRendererTask, output = false): string {
    if (!output && task.isStarted() && this.isWaiting(task)) return color.dim(figures.squareSmallFilled);
    return super.style(task, output);
  }
}
