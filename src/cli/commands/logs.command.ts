import * as fs from 'node:fs';
import { UnknownStepError } from '../../errors';
import type { CliCommand } from '../cli-command';
import type { CliContext } from '../cli-context';
import { CliUsageError } from '../../errors';
import { ExitCode } from '../exit-codes';
import { followFile } from '../logs/file-follower';
import { catchInterruption } from '../logs/interruption';
import { parsePositiveInt } from '../options/positive-int.option';
import { readLogTail } from '../../logging/log-tail.reader';
import { readerGone, writeWhileOpen } from '../broken-pipe.guard';

/** How far back `logs -n` reads at most: its lines, however long, but not a whole runaway file. */
const TAIL_MAX_BYTES = 64 * 1024 * 1024;

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
    throw new CliUsageError(
      `no log yet at ${file}: run the flow first ('${ctx.programName} run ${flow} -t <timeperiod>'), or wait for it with --follow`,
    );
  }
  const interruption = options.follow ? catchInterruption() : undefined;
  try {
    let offset = 0;
    if (exists) offset = options.lines ? await printLastLines(ctx, file, options.lines) : await printWhole(ctx, file);
    if (!interruption) return ExitCode.OK;
    const reader = readerGone(ctx.stdout);
    try {
      const until = Promise.race([interruption.exitCode, reader.gone.then(() => ExitCode.OK)]);
      return await followFile(file, offset, (chunk) => writeWhileOpen(ctx.stdout, chunk), until);
    } finally {
      reader.dispose();
    }
  } finally {
    interruption?.dispose();
  }
}

/** `-n`: read backwards from the end, whatever the file's size. Resolves to where following goes on. */
async function printLastLines(ctx: CliContext, file: string, count: number): Promise<number> {
  const tail = await readLogTail(file, { lines: count, maxBytes: TAIL_MAX_BYTES });
  writeWhileOpen(ctx.stdout, tail.text);
  const shown = tail.text.split('\n').length - (tail.text.endsWith('\n') ? 1 : 0);
  if (shown < count && tail.truncated) {
    writeWhileOpen(
      ctx.stderr,
      `(only the last ${shown} line(s) shown: the last ${count} are longer than ${TAIL_MAX_BYTES / 1024 / 1024} MiB)\n`,
    );
  }
  return tail.size;
}

/** The whole file, streamed: a log of hundreds of MB is more than one string can hold. */
async function printWhole(ctx: CliContext, file: string): Promise<number> {
  const { size } = fs.statSync(file);
  if (size === 0) return 0;
  for await (const chunk of fs.createReadStream(file, { start: 0, end: size - 1, highWaterMark: 1024 * 1024 })) {
    if (ctx.stdout.destroyed) break;
    if (!ctx.stdout.write(chunk as Buffer)) await drained(ctx.stdout);
  }
  return size;
}

/** Resolves once the stream can take more, or is gone (the reader of the pipe left). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}
