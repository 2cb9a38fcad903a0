import { FlowRunNotFoundError } from '../../errors';
import { FlowState } from '../../domain/states';
import { cliErrorMessage } from '../render/cli-error.message';
import type { CliCommand } from '../cli-command';
import { CliUsageError } from '../../errors';
import { ExitCode } from '../exit-codes';
import { parseTimeperiodOption } from '../options/timeperiod.option';
import { renderStatus, statusToJson } from '../render/status.renderer';

/** `status <flow> [-t tp]`: the persisted state of a run, step by step. Exits 1 if the run is invalid. */
export const statusCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('status')
      .description('show a run: each step with its state, attempt, start and duration (exits 1 if the run is invalid)')
      .argument('<flow>', 'the flow')
      .option('-t, --timeperiod <timeperiod>', 'the run to show, YYYYMMDDHH (default: the latest timeperiod)', parseTimeperiodOption)
      .option('--json', 'print JSON')
      .action(async (flow: string, options: { timeperiod?: string; json?: boolean }) => {
        const graph = ctx.app.graph(flow);
        const timeperiod = options.timeperiod ?? (await ctx.app.runs(flow, { limit: 1 }))[0]?.timeperiod;
        // A cron job run from another folder reads another SQLite file: say which one was read.
        const database = ctx.app.describeDatabase();
        if (!timeperiod)
          throw new CliUsageError(
            `flow '${flow}' has never run (read ${database}): start it with '${ctx.programName} run ${flow} -t <timeperiod>'`,
          );
        const status = await ctx.app.status(flow, timeperiod).catch((err: unknown) => {
          throw err instanceof FlowRunNotFoundError
            ? new CliUsageError(`${cliErrorMessage(err, ctx.programName)} (read ${database})`)
            : err;
        });
        if (options.json) ctx.printJson({ ...statusToJson(status, graph), database });
        else ctx.print(`${renderStatus(status, graph, ctx.app.logs.redact).trimEnd()}\n(read ${database})`);
        ctx.exitCode = status.flow.state === FlowState.INVALID ? ExitCode.FLOW_INVALID : ExitCode.OK;
      });
  },
};
