import { describeError } from '../../engine/describe-error';
import type { CliContext } from '../cli-context';
import { plannedProgress } from '../run/planned-run';
import type { BackfillItem } from './backfill-plan';
import type { BackfillOutcome } from './backfill-outcome';
import type { BackfillView } from './backfill-view';

export interface BackfillRunOptions {
  parallel: number;
  clusters?: number;
  failFast: boolean;
}

/**
 * Runs (or recovers) the periods that need it, at most `parallel` at a time, started in
 * timeperiod order. A period that fails does not stop the others: the outcome of each is
 * returned, in the items' order.
 */
export async function runBackfill(
  ctx: CliContext,
  flow: string,
  items: readonly BackfillItem[],
  options: BackfillRunOptions,
  view: BackfillView,
): Promise<BackfillOutcome[]> {
  const outcomes = new Map<string, BackfillOutcome>(
    items.filter((i) => i.action === 'skip').map((i) => [i.timeperiod, { ...i, state: i.before }]),
  );
  const queue = items.filter((i) => i.action !== 'skip');
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const item = queue[next++];
      const outcome = await runPeriod(ctx, flow, item, options, view);
      outcomes.set(item.timeperiod, outcome);
      view.ended(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, queue.length) }, worker));
  return items.map((i) => outcomes.get(i.timeperiod)!);
}

async function runPeriod(
  ctx: CliContext,
  flow: string,
  item: BackfillItem,
  options: BackfillRunOptions,
  view: BackfillView,
): Promise<BackfillOutcome> {
  const mode = item.action === 'recover' ? 'recover' : 'run';
  const started = Date.now();
  try {
    const progress = (await plannedProgress(ctx.app, flow, mode, item.timeperiod)).attach(ctx.app.events$);
    view.started(item, progress);
    const runOptions = {
      timeperiod: item.timeperiod,
      clusters: options.clusters,
      failFast: options.failFast,
      trigger: 'backfill' as const,
    };
    try {
      const result = mode === 'recover' ? await ctx.app.recover(flow, runOptions) : await ctx.app.run(flow, runOptions);
      progress.finish(result);
      const failed = progress.all().find((s) => s.phase === 'invalid' || s.phase === 'canceled');
      const error = result.error ?? (failed ? `step ${failed.name} ${failed.phase}: ${failed.error ?? ''}` : undefined);
      return { ...item, state: result.state, runId: result.runId, durationMs: Date.now() - started, ...(error ? { error } : {}) };
    } catch (err) {
      progress.finish(undefined, describeError(err));
      throw err;
    }
  } catch (err) {
    // Thrown, not failed: another engine holds the period, say. The other periods go on.
    return { ...item, state: null, error: err instanceof Error ? err.message : String(err), durationMs: Date.now() - started };
  }
}
