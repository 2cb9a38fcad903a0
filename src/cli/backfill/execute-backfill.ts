import { FlowState } from '../../domain/states';
import type { CliContext } from '../cli-context';
import { ExitCode } from '../exit-codes';
import { formatDuration } from '../render/duration.format';
import { renderTable } from '../render/table.renderer';
import type { BackfillOutcome } from './backfill-outcome';
import { planBackfill, type BackfillItem } from './backfill-plan';
import { NO_BACKFILL_VIEW, type BackfillView } from './backfill-view';
import { LineBackfillView } from './line-backfill.view';
import { runBackfill } from './run-backfill';
import { timeperiodRange } from './timeperiod-range';
import { TtyBackfillView } from './tty-backfill.view';

/** The options of `backfill`, as commander parsed them. */
export interface BackfillOptions {
  from: string;
  to: string;
  parallel: number;
  rerunFailed?: boolean;
  dryRun?: boolean;
  clusters?: number;
  failFast: boolean;
  json?: boolean;
  progress: boolean;
}

/** `backfill <flow> --from <tp> --to <tp>`: plans the periods, runs or recovers them, prints the outcome; resolves to the exit code. */
export async function executeBackfill(ctx: CliContext, flow: string, options: BackfillOptions): Promise<number> {
  ctx.app.definition(flow);
  const range = timeperiodRange(options.from, options.to);
  const inRange = new Set(range.timeperiods);
  const persisted = new Map((await ctx.app.runs(flow)).filter((r) => inRange.has(r.timeperiod)).map((r) => [r.timeperiod, r.state]));
  const rerunFailed = options.rerunFailed ?? false;
  const items = planBackfill(range.timeperiods, persisted, rerunFailed);
  const title = `backfill ${flow} ${options.from}..${options.to} (${range.granularity}, ${items.length} period${items.length === 1 ? '' : 's'})`;

  if (options.dryRun) {
    if (options.json) ctx.printJson({ flowName: flow, from: options.from, to: options.to, granularity: range.granularity, periods: items });
    else
      ctx.print(
        `${title}, dry run:\n${renderTable(
          ['TIMEPERIOD', 'BEFORE', 'ACTION'],
          items.map((i) => [i.timeperiod, i.before ?? '-', i.action === 'skip' ? `skip: ${i.reason}` : i.action]),
        )}`,
      );
    return ExitCode.OK;
  }

  const startedAt = Date.now();
  const view = chooseBackfillView(ctx, flow, title, items, options);
  view.start(items);
  const outcomes = await runBackfill(ctx, flow, items, { ...options, rerunFailed }, view);
  await view.stop();

  const ok = (o: BackfillOutcome) => o.state === FlowState.PROCESSED || o.state === FlowState.NOOP;
  const counts = {
    run: outcomes.filter((o) => o.action === 'run').length,
    recovered: outcomes.filter((o) => o.action === 'recover').length,
    skipped: outcomes.filter((o) => o.action === 'skip').length,
    processed: outcomes.filter(ok).length,
    notProcessed: outcomes.filter((o) => !ok(o)).length,
  };
  if (options.json) {
    ctx.printJson({
      flowName: flow,
      from: options.from,
      to: options.to,
      granularity: range.granularity,
      parallel: options.parallel,
      counts,
      periods: outcomes,
    });
  } else {
    if (!(view instanceof TtyBackfillView)) {
      const rows = outcomes.map((o) => [
        o.timeperiod,
        o.before ?? '-',
        o.action,
        o.state ?? 'failed',
        o.durationMs === undefined ? '-' : formatDuration(o.durationMs),
        o.reason ?? o.error ?? '',
      ]);
      ctx.print(renderTable(['TIMEPERIOD', 'BEFORE', 'ACTION', 'STATE', 'DURATION', 'NOTE'], rows));
    }
    ctx.print(
      `${title}: ${counts.processed} processed, ${counts.notProcessed} not (${counts.run} run, ${counts.recovered} recovered, ${counts.skipped} skipped) in ${formatDuration(Date.now() - startedAt)}`,
    );
    if (outcomes.some((o) => o.state === FlowState.INVALID)) {
      ctx.print(`fix the cause, then: ${ctx.programName} backfill ${flow} --from ${options.from} --to ${options.to} --rerun-failed`);
    }
  }
  return counts.notProcessed ? ExitCode.FLOW_INVALID : ExitCode.OK;
}

function chooseBackfillView(
  ctx: CliContext,
  flow: string,
  title: string,
  items: readonly BackfillItem[],
  options: BackfillOptions,
): BackfillView {
  if (options.json || !options.progress) return NO_BACKFILL_VIEW;
  if (ctx.stdout.isTTY && items.length + 3 <= (ctx.stdout.rows ?? 24))
    return new TtyBackfillView(title.replace(/, \d+ periods?\)/, ')'), options.parallel);
  return new LineBackfillView(flow, (line) => ctx.print(line));
}
