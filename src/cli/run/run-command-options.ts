import type { Command } from 'commander';
import { CliUsageError } from '../../errors';
import { MAX_CLUSTER_COUNT } from '../../clusters/cluster-defaults';
import { positiveIntUpTo } from '../options/positive-int.option';
import { parseTimeperiodOption } from '../options/timeperiod.option';

/** The options shared by run, recover, run-one and run-from (backfill takes most of them too). */
export interface RunCommandOptions {
  timeperiod: string;
  startTimeperiod?: string;
  endTimeperiod?: string;
  clusters?: number;
  failFast: boolean;
  json?: boolean;
  progress: boolean;
}

export function addExecutionOptions(command: Command): Command {
  return command
    .option('-c, --clusters <count>', "nominal number of clusters (default: the app's cluster.count)", positiveIntUpTo(MAX_CLUSTER_COUNT))
    .option('--no-fail-fast', 'keep running the branches that do not depend on a failed step')
    .option('--json', 'print the final state as JSON (and no progress view)')
    .option('--no-progress', 'no live progress, only the final states');
}

export function addRunOptions(command: Command): Command {
  return addExecutionOptions(
    command
      .requiredOption('-t, --timeperiod <timeperiod>', 'the period to process: YYYYMMDDHH, e.g. 2026112600 (a day)', parseTimeperiodOption)
      .option('--start-timeperiod <timeperiod>', 'start of the data range, passed to the steps', parseTimeperiodOption)
      .option('--end-timeperiod <timeperiod>', 'end of the data range, passed to the steps', parseTimeperiodOption),
  );
}

/**
 * The data range in the command line's words: the run options' own check names `startTimeperiod`
 * and `endTimeperiod`, which nobody typed, and ends with a pointer to the README's options table.
 */
export function checkDataRange({ startTimeperiod: start, endTimeperiod: end }: RunCommandOptions): void {
  // Ten digits each, so the text order is the time order whatever their granularities.
  if (start !== undefined && end !== undefined && start > end)
    throw new CliUsageError(
      `--start-timeperiod ${start} is after --end-timeperiod ${end}: the range goes forward, e.g. --start-timeperiod ${end} --end-timeperiod ${start}`,
    );
}
