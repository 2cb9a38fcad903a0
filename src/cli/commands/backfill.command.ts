import type { Command } from 'commander';
import type { BackfillOptions } from '../backfill/execute-backfill';
import type { CliCommand } from '../cli-command';
import { positiveIntUpTo } from '../options/positive-int.option';
import { parseTimeperiodOption } from '../options/timeperiod.option';
import { addExecutionOptions } from '../run/run-command-options';

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
      // Required when a backfill runs: its views and planner are not what `--help` or the other commands need.
      const { executeBackfill } = require('../backfill/execute-backfill') as typeof import('../backfill/execute-backfill');
      ctx.exitCode = await executeBackfill(ctx, flow, options);
    });
  },
};
