import { RUN_ID_PATTERN } from '../domain/run-id';
import { FlowRunNotFoundError } from '../errors/flow-run-not-found.error';
import { RunIdNotFoundError } from '../errors/run-id-not-found.error';
import { UnknownStepError } from '../errors/unknown-step.error';
import type { FlowDefinition } from '../metadata/flow-definition';
import { assertTimeperiod } from '../timeperiod/timeperiod';
import { readLogEntries } from './log-entries.reader';
import type { LogEntryFilter } from './log-line.filter';
import type { LogEntry } from './log-entry';
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

/**
 * The lines of the flow's log (or of one step's) that the query asks for, rotated files included,
 * oldest first. A timeperiod or run id that no line of the flow's log carries is an error, never
 * an empty answer: FlowRunNotFoundError, RunIdNotFoundError. Lines still on their way to the
 * files (the log thread writes them) are waited for first.
 */
export async function queryRunLogs(logs: LogManager, definition: FlowDefinition, query: LogQuery = {}): Promise<LogEntry[]> {
  // Required only now: the schema loads zod, which an app that never reads its logs this way never needs.
  const { parseLogQuery } = require('./log-query.schema') as typeof import('./log-query.schema');
  const { step, timeperiod, runId, attempt } = parseLogQuery(query);
  const flow = definition.name;
  if (step !== undefined && !definition.graph.has(step)) throw new UnknownStepError(flow, step, definition.graph.steps);
  if (timeperiod !== undefined) assertTimeperiod(timeperiod);
  if (runId !== undefined && !RUN_ID_PATTERN.test(runId)) throw new RunIdNotFoundError(flow, runId);
  await logs.written();
  const filter: LogEntryFilter = { timeperiod, runId, attempt };
  const file = step === undefined ? logs.flowLogFile(flow) : logs.stepLogFile(flow, step);
  const entries = await readLogEntries(file, { flow, step }, filter);
  // Nothing found: say why, if it is that the run or the timeperiod is unknown to the flow's log.
  if (entries.length === 0 && (timeperiod !== undefined || runId !== undefined)) await assertRunLogged(logs, flow, timeperiod, runId);
  return entries;
}

/** Throws unless the flow's own log has a line of that run (of that timeperiod). */
async function assertRunLogged(logs: LogManager, flow: string, timeperiod: string | undefined, runId: string | undefined): Promise<void> {
  const file = logs.flowLogFile(flow);
  if (runId !== undefined) {
    const [first] = await readLogEntries(file, { flow }, { runId }, 1);
    if (!first) throw new RunIdNotFoundError(flow, runId);
    if (timeperiod !== undefined && first.timeperiod !== timeperiod)
      throw new RunIdNotFoundError(flow, runId, timeperiod, first.timeperiod);
    return;
  }
  const [first] = await readLogEntries(file, { flow }, { timeperiod }, 1);
  if (!first) throw new FlowRunNotFoundError(flow, timeperiod!, 'logs');
}
