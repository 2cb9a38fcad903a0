import type { Command } from 'commander';
import { FlowState } from '../../domain/states';
import { TtyBackfillView } from '../backfill/tty-backfill.view';
import { LineBackfillView } from '../backfill/line-backfill.view';
import { planBackfill, type BackfillItem } from '../backfill/backfill-plan';
import type { BackfillOutcome } from '../backfill/backfill-outcome';
import { NO_BACKFILL_VIEW, type BackfillView } from '../backfill/backfill-view';
import { runBackfill } from '../backfill/run-backfill';
import { timeperiodRange } from '../backfill/timeperiod-range';
import type { CliCommand } from '../cli-command';
import type { CliContext } from '../cli-context';
import { ExitCode } from '../exit-codes';
import { positiveIntUpTo } from '../options/positive-int.option';
import { parseTimeperiodOption } from '../options/timeperiod.option';
import { formatDuration } from '../render/duration.format';
import { renderTable } from '../render/table.renderer';
import { addExecutionOptions } from '../run/run-command-options';

interface BackfillOptions {
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

/** Periods in flight at once; each holds its own clusters, so more would only exhaust the machine. */
const MAX_BACKFILL_PARALLEL = 1000;

/** `backfill <flow> --from <tp> --to <tp>`: every period between the bounds, run or recovered. */
export const backfillCommand: CliCommand = {
  register(program, ctx) {
    const command: Command = program
      .command('backfill')
      .description(
        'run every timeperiod between two bounds (their granularity: hourly, daily, monthly or yearly), skipping those already processed',
      )
      .argument('<flow>', 'the flow')
      .requiredOption('--from <timeperiod>', 'the first period, e.g. 2026112900', parseTimeperiodOption)
      .requiredOption('--to <timeperiod>', 'the last period (included), e.g. 2026120200', parseTimeperiodOption)
      .option('-p, --parallel <count>', 'how many periods run at once', positiveIntUpTo(MAX_BACKFILL_PARALLEL), 1)
      .option('--rerun-failed', 'recover the periods whose run ended invalid (else they are skipped)')
      .option('--dry-run', 'print what would be run, run nothing');
    addExecutionOptions(command).action(async (flow: string, options: BackfillOptions) => {
      ctx.exitCode = await backfill(ctx, flow, options);
    });
  },
};

async function backfill(ctx: CliContext, flow: string, options: BackfillOptions): Promise<number> {
  ctx.app.definition(flow);
  const range = timeperiodRange(options.from, options.to);
  const inRange = new Set(range.timeperiods);
  const persisted = new Map((await ctx.app.runs(flow)).filter((r) => inRange.has(r.timeperiod)).map((r) => [r.timeperiod, r.state]));
  const items = planBackfill(range.timeperiods, persisted, options.rerunFailed ?? false);
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
  const outcomes = await runBackfill(ctx, flow, items, options, view);
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
