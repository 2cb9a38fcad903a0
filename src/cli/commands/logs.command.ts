import * as fs from 'node:fs';
import * as path from 'node:path';
import { FlowRunNotFoundError, RunIdNotFoundError, UnknownStepError } from '../../errors';
import type { CliCommand } from '../cli-command';
import type { CliContext } from '../cli-context';
import { CliUsageError } from '../../errors';
import { ExitCode } from '../exit-codes';
import { followFile } from '../logs/file-follower';
import { catchInterruption } from '../logs/interruption';
import { assertAttemptLogged } from '../logs/attempt-logged';
import { logOutput } from '../logs/log-output';
import { runLineFilter } from '../logs/run-log.follower';
import { parseLineCount } from '../options/line-count.option';
import { parsePositiveInt } from '../options/positive-int.option';
import { parseTimeperiodOption } from '../options/timeperiod.option';
import { readLogTail } from '../../logging/log-tail.reader';
import { logFileGenerations } from '../../logging/log-file-rotation';
import type { LogEntryFilter } from '../../logging/log-line.filter';
import { readerGone, writeWhileOpen } from '../broken-pipe.guard';

/** How far back `logs -n` reads at most: its lines, however long, but not a whole runaway file. */
const TAIL_MAX_BYTES = 64 * 1024 * 1024;

interface LogsOptions {
  follow?: boolean;
  lines?: number;
  timeperiod?: string;
  run?: string;
  attempt?: number;
}

/** `logs <flow> [step] [-t <timeperiod>] [--run <id>] [--attempt <n>] [-n <count>] [--follow]`. */
export const logsCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('logs')
      .description("print a flow's log (run start and end, every step transition), or one step's log; all runs, or one")
      .argument('<flow>', 'the flow')
      .argument('[step]', 'a step of the flow: its own log (actions, command output)')
      .option('-t, --timeperiod <timeperiod>', 'only the lines of the runs of this timeperiod (YYYYMMDDHH)', parseTimeperiodOption)
      .option('--run <id>', 'only the lines of this run (the run id that run --json, events and history give)')
      .option('--attempt <n>', 'only the lines of this attempt of the step (needs a step and -t or --run)', parsePositiveInt)
      .option('-f, --follow', "keep printing lines as they are written (with -t/--run: that run's only), until Ctrl-C")
      .option('-n, --lines <count>', 'only the last <count> lines (0 with --follow: only new ones)', parseLineCount)
      .action(async (flow: string, step: string | undefined, options: LogsOptions) => {
        ctx.exitCode = await printLog(ctx, flow, step, options);
      });
  },
};

async function printLog(ctx: CliContext, flow: string, step: string | undefined, options: LogsOptions): Promise<number> {
  const graph = ctx.app.graph(flow);
  if (step !== undefined && !graph.has(step)) throw new UnknownStepError(flow, step, graph.steps);
  if (options.attempt !== undefined && (step === undefined || (options.timeperiod === undefined && options.run === undefined))) {
    throw new CliUsageError(
      `--attempt needs a step and a run: '${ctx.programName} logs ${flow} <step> -t <timeperiod> --attempt ${options.attempt}' (or --run <id>)`,
    );
  }
  const file = step === undefined ? ctx.app.logs.flowLogFile(flow) : ctx.app.logs.stepLogFile(flow, step);
  const filter: LogEntryFilter = { timeperiod: options.timeperiod, runId: options.run, attempt: options.attempt };
  const oneRun = filter.timeperiod !== undefined || filter.runId !== undefined;
  const interruption = options.follow ? catchInterruption() : undefined;
  try {
    const offset = oneRun ? await printRunLines(ctx, flow, step, file, filter, options) : await printFile(ctx, flow, file, options);
    if (!interruption) return ExitCode.OK;
    const reader = readerGone(ctx.stdout);
    try {
      const until = Promise.race([interruption.exitCode, reader.gone.then(() => ExitCode.OK)]);
      const output = logOutput(ctx.stdout);
      const write = (text: string) => writeWhileOpen(ctx.stdout, output.text(text));
      const chunkOut = output.chunks();
      const whole = (chunk: Buffer) => writeWhileOpen(ctx.stdout, chunkOut(chunk));
      return await followFile(file, offset, oneRun ? runLineFilter({ flow, step }, filter, write) : whole, until);
    } finally {
      reader.dispose();
    }
  } finally {
    interruption?.dispose();
  }
}

/**
 * The lines of one run (or timeperiod, or attempt), from app.logs: rotated files included. With
 * --follow, a run that has not written yet is waited for rather than refused. Resolves to where
 * following goes on.
 */
async function printRunLines(
  ctx: CliContext,
  flow: string,
  step: string | undefined,
  file: string,
  filter: LogEntryFilter,
  options: LogsOptions,
): Promise<number> {
  await ctx.app.logs.written();
  const size = sizeOf(file);
  let lines: string[] = [];
  try {
    const entries = await ctx.app.logs(flow, { step, timeperiod: filter.timeperiod, runId: filter.runId, attempt: filter.attempt });
    lines = entries.map((entry) => entry.line);
    // Followed, a later attempt may still come; else an attempt never made is a mistake to say.
    if (!lines.length && step !== undefined && !options.follow) await assertAttemptLogged(ctx, flow, step, filter);
  } catch (err) {
    const notYet = err instanceof FlowRunNotFoundError || (err instanceof RunIdNotFoundError && err.actualTimeperiod === undefined);
    if (!(options.follow && notYet)) throw err;
  }
  if (options.lines !== undefined) lines = options.lines === 0 ? [] : lines.slice(-options.lines);
  if (lines.length) writeWhileOpen(ctx.stdout, logOutput(ctx.stdout).text(`${lines.join('\n')}\n`));
  return size;
}

/** Every line of the log (its rotated files first), or its last `-n`. Resolves to where following goes on. */
async function printFile(ctx: CliContext, flow: string, file: string, options: LogsOptions): Promise<number> {
  const generations = logFileGenerations(file, fs.existsSync(path.dirname(file)) ? fs.readdirSync(path.dirname(file)) : []);
  if (!generations.length && !options.follow) {
    throw new CliUsageError(
      `no log yet at ${file}: run the flow first ('${ctx.programName} run ${flow} -t <timeperiod>'), or wait for it with --follow`,
    );
  }
  if (options.lines === 0) return sizeOf(file);
  if (options.lines !== undefined) return fs.existsSync(file) ? printLastLines(ctx, file, options.lines) : 0;
  let size = 0;
  for (const generation of generations) size = await printWhole(ctx, generation);
  return generations.at(-1) === file ? size : 0;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** `-n`: read backwards from the end, whatever the file's size. Resolves to where following goes on. */
async function printLastLines(ctx: CliContext, file: string, count: number): Promise<number> {
  const tail = await readLogTail(file, { lines: count, maxBytes: TAIL_MAX_BYTES });
  writeWhileOpen(ctx.stdout, logOutput(ctx.stdout).text(tail.text));
  const shown = tail.text.split('\n').length - (tail.text.endsWith('\n') ? 1 : 0);
  if (shown < count && tail.truncated) {
    writeWhileOpen(
      ctx.stderr,
      `(only the last ${shown} line(s) shown: the last ${count} are longer than ${TAIL_MAX_BYTES / 1024 / 1024} MiB)\n`,
    );
  }
  return tail.size;
}

/** The whole file, streamed (a log of hundreds of MB is more than one string can hold), inert on a terminal. */
async function printWhole(ctx: CliContext, file: string): Promise<number> {
  const { size } = fs.statSync(file);
  if (size === 0) return 0;
  const chunkOut = logOutput(ctx.stdout).chunks();
  for await (const chunk of fs.createReadStream(file, { start: 0, end: size - 1, highWaterMark: 1024 * 1024 })) {
    if (ctx.stdout.destroyed) break;
    if (!ctx.stdout.write(chunkOut(chunk as Buffer))) await drained(ctx.stdout);
  }
  if (!ctx.stdout.destroyed) ctx.stdout.write(chunkOut(Buffer.alloc(0), true));
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
