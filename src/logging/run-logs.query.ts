import { RUN_ID_PATTERN } from '../domain/run-id';
import { FlowRunNotFoundError } from '../errors/flow-run-not-found.error';
import { RunIdNotFoundError } from '../errors/run-id-not-found.error';
import { UnknownStepError } from '../errors/unknown-step.error';
import type { FlowDefinition } from '../metadata/flow-definition';
import { assertTimeperiod } from '../timeperiod/timeperiod';
import { readLogEntries } from './log-entries.reader';
import type { LogEntryFilter } from './log-line.filter';
import type { LogEntry, LogSource } from './log-entry';
import type { LogManager } from './log-manager';

/** What `app.logs(flow, query)` reads: the flow's own log, or a step's, narrowed to a timeperiod, a run, an attempt. */
export interface LogQuery {
  /** A step of the flow: its log (its own lines and its actions'). Without it, the flow's own log. */
  step?: string;
  /** Only the lines of the runs of this timeperiod (`YYYYMMDDHH`). */
  timeperiod?: string;
  /** Only the lines of this run (`FlowRunResult.runId`). */
  runId?: string;
  /** Only the lines of this attempt of the step (1 on); needs `step`. */
  attempt?: number;
}

/** What of the log manager a run's lines are read through (`app.logs` has it too). */
export type RunLogFiles = Pick<LogManager, 'written' | 'flowLogFile' | 'stepLogFile'>;

/** A query checked against the flow: the file to read, whose lines it is, and which to keep. */
export interface RunLogSelection {
  file: string;
  source: LogSource;
  filter: LogEntryFilter;
}

/**
 * The lines of the flow's log (or of one step's) that the query asks for, rotated files included,
 * oldest first. A timeperiod or run id that no line of the flow's log carries is an error, never
 * an empty answer: FlowRunNotFoundError, RunIdNotFoundError. Lines still on their way to the
 * files (the log thread writes them) are waited for first.
 */
export async function queryRunLogs(logs: RunLogFiles, definition: FlowDefinition, query: LogQuery = {}): Promise<LogEntry[]> {
  const { file, source, filter } = await selectRunLog(logs, definition, query);
  const entries = await readLogEntries(file, source, filter);
  if (entries.length === 0) await assertRunLogged(logs, source.flow, filter);
  return entries;
}

/**
 * Checks the query (unknown step, malformed timeperiod or run id: an error) and waits for the lines
 * on their way to the files; says which file to read and which of its lines to keep. Every reader
 * of a run's lines starts here, so `app.logs()`, the CLI and the viewer select the same ones.
 */
export async function selectRunLog(logs: RunLogFiles, definition: FlowDefinition, query: LogQuery): Promise<RunLogSelection> {
  // Required only now: the schema loads zod, which an app that never reads its logs this way never needs.
  const { parseLogQuery } = require('./log-query.schema') as typeof import('./log-query.schema');
  const { step, timeperiod, runId, attempt } = parseLogQuery(query);
  const flow = definition.name;
  if (step !== undefined && !definition.graph.has(step)) throw new UnknownStepError(flow, step, definition.graph.steps);
  if (timeperiod !== undefined) assertTimeperiod(timeperiod);
  if (runId !== undefined && !RUN_ID_PATTERN.test(runId)) throw new RunIdNotFoundError(flow, runId);
  await logs.written();
  const file = step === undefined ? logs.flowLogFile(flow) : logs.stepLogFile(flow, step);
  return { file, source: { flow, step }, filter: { timeperiod, runId, attempt } };
}

/**
 * For a query that found no line: throws if that is because the flow's own log has no line of the
 * run (of the timeperiod) asked for, rather than the step not having run in it.
 */
export async function assertRunLogged(
  logs: RunLogFiles,
  flow: string,
  { timeperiod, runId }: LogEntryFilter,
  signal?: AbortSignal,
): Promise<void> {
  if (timeperiod === undefined && runId === undefined) return;
  const file = logs.flowLogFile(flow);
  if (runId !== undefined) {
    const [first] = await readLogEntries(file, { flow }, { runId }, 1, signal);
    if (!first) throw new RunIdNotFoundError(flow, runId);
    if (timeperiod !== undefined && first.timeperiod !== timeperiod)
      throw new RunIdNotFoundError(flow, runId, timeperiod, first.timeperiod);
    return;
  }
  const [first] = await readLogEntries(file, { flow }, { timeperiod }, 1, signal);
  if (!first) throw new FlowRunNotFoundError(flow, timeperiod!, 'logs');
}
