import type { FlowRunResult, RunOptions } from '../../engine/run-options';
import { describeError } from '../../engine/describe-error';
import type { FlowRecord, RunMode } from '../../domain/flow-record';
import { FlowState } from '../../domain/states';
import type { CliContext } from '../cli-context';
import { ExitCode } from '../exit-codes';
import { chooseView } from '../progress/choose-view';
import { TtyProgressView } from '../progress/tty-progress.view';
import { notDoneTally, type RunProgress } from '../progress/run-progress';
import { formatDuration } from '../render/duration.format';
import { renderFinalStates } from '../render/final-states.renderer';
import { statusToJson } from '../render/status.renderer';
import { checkDataRange, type RunCommandOptions } from './run-command-options';
import { plannedProgress } from './planned-run';

export interface RunRequest {
  flow: string;
  mode: RunMode;
  step?: string;
  options: RunCommandOptions;
}

/**
 * What every run command does: plan (bad requests fail here, before anything is shown or
 * written), show progress while the engine runs, then report the final state. Resolves to the
 * exit code: 0 unless the run ended invalid.
 */
export async function executeRun(ctx: CliContext, request: RunRequest): Promise<number> {
  const { flow, mode, step, options } = request;
  checkDataRange(options);
  const progress = (await plannedProgress(ctx.app, flow, mode, options.timeperiod, step)).attach(ctx.app.events$);
  const view = chooseView(ctx, progress, options);
  view.start();
  let result: FlowRunResult;
  const stoppedMidRun = sayHowToFinishOnExit(ctx, request);
  try {
    result = await startRun(ctx, request, { ...runOptions(options), trigger: 'cli' });
  } catch (err) {
    progress.finish(undefined, describeError(err));
    await view.stop();
    throw err;
  } finally {
    stoppedMidRun.dispose();
  }
  progress.finish(result);
  await view.stop();

  const graph = ctx.app.graph(flow);
  const status = await ctx.app.status(flow, options.timeperiod);
  if (options.json) {
    ctx.printJson({ ...statusToJson(status, graph), runId: result.runId, ...(result.error ? { error: result.error } : {}) });
  } else {
    // The live view's last frame is already the table of final states.
    if (!(view instanceof TtyProgressView)) ctx.print(renderFinalStates(status, graph, ctx.app.logs.redact, ctx.programName));
    ctx.print(summary(ctx, progress, result, status.flow));
  }
  return result.state === FlowState.INVALID ? ExitCode.FLOW_INVALID : ExitCode.OK;
}

function startRun(ctx: CliContext, { flow, mode, step }: RunRequest, options: RunOptions): Promise<FlowRunResult> {
  switch (mode) {
    case 'run':
      return ctx.app.run(flow, options);
    case 'recover':
      return ctx.app.recover(flow, options);
    case 'run_one':
      return ctx.app.runOne(flow, step!, options);
    case 'run_from':
      return ctx.app.runFrom(flow, step!, options);
  }
}

function runOptions(options: RunCommandOptions): RunOptions {
  return {
    timeperiod: options.timeperiod,
    startTimeperiod: options.startTimeperiod,
    endTimeperiod: options.endTimeperiod,
    clusters: options.clusters,
    failFast: options.failFast,
  };
}

/**
 * The last line: the outcome, and for a failure what to type once it is fixed. Its duration is the
 * persisted run's, the one `status` shows, so one run never reports two different durations.
 */
function summary(
  ctx: CliContext,
  progress: RunProgress,
  result: FlowRunResult,
  flow: Pick<FlowRecord, 'startedAt' | 'finishedAt'>,
): string {
  const counts = progress.counts();
  const took = flow.startedAt && flow.finishedAt ? formatDuration(flow.finishedAt.getTime() - flow.startedAt.getTime()) : '-';
  const line = `${result.flowName} ${result.timeperiod} ${progress.mode}: ${result.state} in ${took} (${counts.done}/${counts.total} done${notDoneTally(counts)})`;
  if (result.state !== FlowState.INVALID) return line;
  const why = result.error ? `: ${result.error}` : '';
  return `${line}${why}\nfix the cause, then: ${ctx.programName} recover ${result.flowName} -t ${result.timeperiod}`;
}

/**
 * A signal (or an action's unhandled error) ends the process from the engine's shutdown path, once
 * the run has recorded its states: this command's summary, with its `recover` hint, never comes.
 * The way back is said on the way out instead. An 'exit' listener may only write synchronously:
 * stderr is, to a terminal, a file or a pipe (Linux).
 */
function sayHowToFinishOnExit(ctx: CliContext, { flow, mode, step, options }: RunRequest): { dispose(): void } {
  const again =
    mode === 'run_one' || mode === 'run_from'
      ? `${mode === 'run_one' ? 'run-one' : 'run-from'} ${flow} ${step} -t ${options.timeperiod}`
      : `recover ${flow} -t ${options.timeperiod}`;
  // --json prints nothing on stderr, and a script has the run's row to go by.
  if (options.json) return { dispose: () => undefined };
  const onExit = () => ctx.printError(`the run was stopped before its end, its states recorded; to finish it: ${ctx.programName} ${again}`);
  process.once('exit', onExit);
  return { dispose: () => process.off('exit', onExit) };
}
