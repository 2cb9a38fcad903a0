import { CliUsageError } from '../../errors';
import type { LogEntryFilter } from '../../logging/log-line.filter';
import type { CliContext } from '../cli-context';

/**
 * For `logs <flow> <step> --attempt N` that found no line: an attempt the step never made in that
 * run (or timeperiod) is a usage error naming the attempts it made, not an empty answer a user
 * reads as "the attempt logged nothing". A step that did not run there at all stays empty, as in
 * `app.logs`.
 */
export async function assertAttemptLogged(ctx: CliContext, flow: string, step: string, filter: LogEntryFilter): Promise<void> {
  if (filter.attempt === undefined) return;
  const entries = await ctx.app.logs(flow, { step, timeperiod: filter.timeperiod, runId: filter.runId });
  const made = [...new Set(entries.flatMap((entry) => (entry.attempt === undefined ? [] : [entry.attempt])))].sort((a, b) => a - b);
  if (!made.length) return;
  const where = filter.runId !== undefined ? `run ${filter.runId}` : `the runs of ${filter.timeperiod}`;
  const narrowed = filter.runId !== undefined ? `--run ${filter.runId}` : `-t ${filter.timeperiod}`;
  throw new CliUsageError(
    `step '${step}' made no attempt ${filter.attempt} in ${where}: its attempts there are ${made.join(', ')}; ` +
      `e.g. '${ctx.programName} logs ${flow} ${step} ${narrowed} --attempt ${made.at(-1)}', or without --attempt for all of them`,
  );
}
