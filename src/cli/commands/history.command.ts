import { InvalidArgumentError } from 'commander';
import { RUN_ID_PATTERN } from '../../domain/run-id';
import { CliUsageError, RunNotFoundError } from '../../errors';
import type { CliCommand } from '../cli-command';
import { positiveIntUpTo } from '../options/positive-int.option';
import { parseTimeperiodOption } from '../options/timeperiod.option';
import { renderRun, renderRuns, runSummaryToJson, runToJson } from '../render/history.renderer';

/** As app.history() bounds it. */
const MAX_LIMIT = 1000;

interface HistoryCommandOptions {
  timeperiod?: string;
  limit?: number;
  before?: string;
  run?: string;
  json?: boolean;
  /** false with --no-attempts. */
  attempts: boolean;
}

/** commander parser: a run id as history lists them. */
function parseRunId(value: string): string {
  if (!RUN_ID_PATTERN.test(value)) throw new InvalidArgumentError('expected a run id as `history` lists them: 14 characters, 0-9 and a-z');
  return value;
}

/** `history <flow> [-t tp] [-n limit] [--before id] [--run id] [--json [--no-attempts]]`: the flow's past runs, or one run's attempts. */
export const historyCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('history')
      .description(
        "list a flow's past runs, newest first (run id, trigger, mode, state, start, duration, host/pid, instance), or one run's attempts",
      )
      .argument('<flow>', 'the flow')
      .option('-t, --timeperiod <timeperiod>', 'only the runs of this timeperiod, YYYYMMDDHH', parseTimeperiodOption)
      .option('-n, --limit <count>', `at most <count> runs (default 20, at most ${MAX_LIMIT})`, positiveIntUpTo(MAX_LIMIT))
      .option('--before <runId>', 'only the runs older than this one (the next page)', parseRunId)
      .option('--run <runId>', "show this run: each step's attempts with state, cluster, start, duration, error", parseRunId)
      .option('--json', 'print JSON')
      .option('--no-attempts', "with --json: the runs without their attempts (a 10,000-step flow's run has 10,000)")
      .action(async (flow: string, options: HistoryCommandOptions) => {
        ctx.app.graph(flow);
        const database = ctx.app.describeDatabase();
        if (options.run !== undefined && !options.attempts)
          throw new CliUsageError(
            `--run shows one run's attempts and --no-attempts asks for none: leave out --no-attempts, or --run to list the runs without their attempts`,
          );
        if (options.run !== undefined) {
          const run = await ctx.app.historyRun(options.run);
          if (run.flowName !== flow) throw new RunNotFoundError(options.run, flow, run.flowName);
          if (options.json) ctx.printJson({ ...runToJson(run), database });
          else ctx.print(`${renderRun(run, ctx.app.logs.redact).trimEnd()}\n(read ${database})`);
          return;
        }
        const query = { timeperiod: options.timeperiod, limit: options.limit, before: options.before };
        if (options.json && !options.attempts) {
          const runs = await ctx.app.history(flow, { ...query, attempts: false });
          ctx.printJson({ flowName: flow, runs: runs.map(runSummaryToJson), database });
          return;
        }
        if (options.json) {
          const runs = await ctx.app.history(flow, query);
          ctx.printJson({ flowName: flow, runs: runs.map(runToJson), database });
          return;
        }
        // The table shows no attempt: reading them (10,000 a run of a 10,000-step flow) took seconds.
        const runs = await ctx.app.history(flow, { ...query, attempts: false });
        if (runs.length === 0)
          ctx.print(
            `flow '${flow}' has no run in the history${options.timeperiod ? ` for timeperiod ${options.timeperiod}` : ''} (read ${database})`,
          );
        else ctx.print(`${renderRuns(runs).trimEnd()}\n(read ${database})`);
      });
  },
};
