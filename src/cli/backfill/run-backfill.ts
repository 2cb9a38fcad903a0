import { FlowState } from '../../domain/states';
import { describeError } from '../../engine/describe-error';
import { FlowLockedError, FlowStateChangedError } from '../../errors';
import type { CliContext } from '../cli-context';
import { plannedProgress } from '../run/planned-run';
import { planBackfill, type BackfillItem } from './backfill-plan';
import type { BackfillOutcome } from './backfill-outcome';
import type { BackfillView } from './backfill-view';
import { periodState } from './period-state';
import { changedTwiceNote, endedNote, skipNote } from './skip-note';

export interface BackfillRunOptions {
  parallel: number;
  rerunFailed: boolean;
  clusters?: number;
  failFast: boolean;
}

/**
 * Runs (or recovers) the periods that need it, at most `parallel` at a time, started in
 * timeperiod order. A period that fails does not stop the others: the outcome of each is
 * returned, in the items' order. The items were planned from the states when the backfill began:
 * each period's state is read again just before it starts (the scheduler may have run it since),
 * and a period left alone because another engine ran it is read once more at the end, so its
 * outcome is how it ended, not how it was when the backfill came to it.
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
  for (const [timeperiod, outcome] of outcomes) {
    if (outcome.action === 'skip' && outcome.state === FlowState.IN_PROGRESS)
      outcomes.set(timeperiod, await endedElsewhere(ctx, flow, outcome));
  }
  return items.map((i) => outcomes.get(i.timeperiod)!);
}

/** A period another engine was running when the backfill came to it: how it stands once the backfill is done. */
async function endedElsewhere(ctx: CliContext, flow: string, outcome: BackfillOutcome): Promise<BackfillOutcome> {
  const state = await periodState(ctx.app, flow, outcome.timeperiod);
  if (state === outcome.state) return outcome;
  return { ...outcome, state, reason: endedNote(outcome.reason ?? '', outcome.state, state) };
}

/** The period planned again from its state now: run, recovered or skipped as if the backfill had begun now. */
async function replanned(ctx: CliContext, flow: string, item: BackfillItem, rerunFailed: boolean): Promise<BackfillItem> {
  const state = await periodState(ctx.app, flow, item.timeperiod);
  return state === item.before ? item : planFrom(item.timeperiod, state, rerunFailed);
}

/** The period planned anew from a state found after the backfill began (read again, or found under the run's lease). */
function planFrom(timeperiod: string, state: FlowState | null, rerunFailed: boolean): BackfillItem {
  return planBackfill([timeperiod], new Map(state === null ? [] : [[timeperiod, state]]), rerunFailed, 'since the backfill began')[0];
}

async function runPeriod(
  ctx: CliContext,
  flow: string,
  planned: BackfillItem,
  options: BackfillRunOptions,
  view: BackfillView,
): Promise<BackfillOutcome> {
  // A full run of a period the scheduler processed since the plan would purge its steps' records and run it again.
  let item = await replanned(ctx, flow, planned, options.rerunFailed);
  // Another engine may still run it between that read and this run's lease: the run checks the
  // state under its lease (expectedState), and the period is planned once more from what it found.
  for (let tries = 0; ; tries++) {
    if (item.action === 'skip') return { ...item, state: item.before };
    const outcome = await startPeriod(ctx, flow, item, options, view);
    if (!(outcome instanceof FlowStateChangedError)) return outcome;
    // Another engine left it in the state found under the run's lease: planned anew from that.
    item = planFrom(item.timeperiod, outcome.actual, options.rerunFailed);
    if (tries === 1 && item.action !== 'skip')
      return {
        ...item,
        action: 'skip',
        state: item.before,
        reason: changedTwiceNote(item.before),
      };
  }
}

/** Runs or recovers the period if its state is still the one planned from; FlowStateChangedError (returned) if not. */
async function startPeriod(
  ctx: CliContext,
  flow: string,
  item: BackfillItem,
  options: BackfillRunOptions,
  view: BackfillView,
): Promise<BackfillOutcome | FlowStateChangedError> {
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
      expectedState: item.before,
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
    if (err instanceof FlowStateChangedError) return err;
    // Another engine started it between the state read and the run: left to it, as a period found in_progress is.
    if (err instanceof FlowLockedError)
      return {
        ...item,
        action: 'skip',
        state: FlowState.IN_PROGRESS,
        reason: skipNote(FlowState.IN_PROGRESS, 'since the backfill began', `another engine is running it (held by ${err.holder})`),
      };
    // Thrown, not failed: the other periods go on.
    return { ...item, state: null, error: err instanceof Error ? err.message : String(err), durationMs: Date.now() - started };
  }
}
