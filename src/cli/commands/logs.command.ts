import * as fs from 'node:fs';
import { UnknownStepError } from '../../errors';
import type { CliCommand } from '../cli-command';
import type { CliContext } from '../cli-context';
import { CliUsageError } from '../cli-usage.error';
import { ExitCode } from '../exit-codes';
import { followFile } from '../logs/file-follower';
import { catchInterruption } from '../logs/interruption';
import { parsePositiveInt } from '../options/positive-int.option';

interface LogsOptions {
  follow?: boolean;
  lines?: number;
}

/** `logs <flow> [step] [--follow]`: prints the flow's log file, or a step's, and can keep printing. */
export const logsCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('logs')
      .description("print a flow's log (run start and end, every step transition), or one step's log")
      .argument('<flow>', 'the flow')
      .argument('[step]', 'a step of the flow: its own log (actions, command output)')
      .option('-f, --follow', 'keep printing lines as they are written, until Ctrl-C')
      .option('-n, --lines <count>', 'only the last <count> lines', parsePositiveInt)
      .action(async (flow: string, step: string | undefined, options: LogsOptions) => {
        ctx.exitCode = await printLog(ctx, flow, step, options);
      });
  },
};

async function printLog(ctx: CliContext, flow: string, step: string | undefined, options: LogsOptions): Promise<number> {
  const graph = ctx.app.graph(flow);
  if (step !== undefined && !graph.has(step)) throw new UnknownStepError(flow, step, graph.steps);
  const file = step === undefined ? ctx.app.logs.flowLogFile(flow) : ctx.app.logs.stepLogFile(flow, step);
  const exists = fs.existsSync(file);
  if (!exists && !options.follow) {
    throw new CliUsageError(`no log yet at ${file}: run the flow first ('${ctx.programName} run ${flow} -t <timeperiod>'), or wait for it with --follow`);
  }
  const interruption = options.follow ? catchInterruption() : undefined;
  try {
    let offset = 0;
    if (exists) {
      const text = fs.readFileSync(file, 'utf8');
      offset = Buffer.byteLength(text);
      ctx.stdout.write(options.lines ? lastLines(text, options.lines) : text);
    }
    return interruption ? await followFile(file, offset, (chunk) => ctx.stdout.write(chunk), interruption.exitCode) : ExitCode.OK;
  } finally {
    interruption?.dispose();
  }
}

function lastLines(text: string, count: number): string {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-count).map((line) => `${line}\n`).join('');
}
