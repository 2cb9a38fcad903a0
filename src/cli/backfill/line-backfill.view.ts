import { LineProgressView } from '../progress/line-progress.view';
import type { RunProgress } from '../progress/run-progress';
import { formatClock } from '../render/time.format';
import type { BackfillItem } from './backfill-plan';
import type { BackfillOutcome } from './backfill-outcome';
import type { BackfillView } from './backfill-view';

/** Plain lines for a backfill: each period's start and end, the steps that fail, the skips. */
export class LineBackfillView implements BackfillView {
  private readonly views: LineProgressView[] = [];

  constructor(
    private readonly flow: string,
    private readonly write: (line: string) => void,
  ) {}

  start(items: readonly BackfillItem[]): void {
    for (const item of items)
      if (item.action === 'skip') this.write(`${formatClock(new Date())} ${this.flow} ${item.timeperiod} skipped: ${item.reason}`);
  }

  started(_item: BackfillItem, progress: RunProgress): void {
    const view = new LineProgressView(progress, this.write, { steps: 'failures' });
    view.start();
    this.views.push(view);
  }

  ended(outcome: BackfillOutcome): void {
    // Left alone on a second look (another engine ran it since the plan): no run, no event to print.
    if (outcome.action === 'skip') this.write(`${formatClock(new Date())} ${this.flow} ${outcome.timeperiod} skipped: ${outcome.reason}`);
    // A run that threw has no "ended" event to print.
    else if (outcome.state === null && outcome.error)
      this.write(`${formatClock(new Date())} ${this.flow} ${outcome.timeperiod} ${outcome.action} failed: ${outcome.error}`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.views.map((v) => v.stop()));
  }
}
