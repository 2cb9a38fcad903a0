import * as path from 'node:path';
import { RunIdNotFoundError } from '../errors';
import type { FlowApplication } from '../flow-application.port';
import type { LogTail } from '../logging/newest-log-entries.reader';
import { tailRunLogs } from '../logging/run-log-tail.query';

/** What the viewer's log routes answer: the lines of one run, their end if long, and that run's id. */
export type RunLogTail = LogTail & {
  /** The run read: the one asked for, else the timeperiod's latest; null when the history has no run of it. */
  runId: string | null;
};

/** Which log, and which of its lines. */
export interface RunLogRequest {
  flow: string;
  step?: string;
  timeperiod: string;
  runId?: string;
  attempt?: number;
  maxBytes: number;
}

/**
 * The lines of one run of a flow (its own log, or a step's): those `app.logs()` returns (rotated
 * files included, other timeperiods' and runs' lines left out, an unknown run or a timeperiod that
 * never ran an error, 404), only the last `maxBytes` of them, cut at an entry's start. Read
 * backwards from the log's end: the read holds and costs what it sends, not the log, and stops when `signal` aborts (its client has gone).
 * Without `runId`, the timeperiod's latest run in the history (what the page shows by default), read
 * as if asked by its id: its lines, not every run's, and the read stops near its start rather than
 * going back to the log's; a timeperiod with no run in the history (its rows deleted) gets the lines
 * the log has of it.
 */
export async function readRunLog(app: FlowApplication, request: RunLogRequest, signal?: AbortSignal): Promise<RunLogTail> {
  const { flow, step, timeperiod, attempt, maxBytes } = request;
  const latest = request.runId === undefined ? (await app.history(flow, { timeperiod, limit: 1, attempts: false }))[0]?.runId : undefined;
  const runId = request.runId ?? latest;
  try {
    const { text, lines, size, truncated, exists } = await tailRunLogs(
      app.logs,
      app.definition(flow),
      { step, timeperiod, runId, attempt },
      { maxBytes, signal },
    );
    return { text, lines, size, truncated, exists, runId: runId ?? null };
  } catch (err) {
    // The user asked for no run: the error says which run was read, and why, in those terms.
    if (latest !== undefined && err instanceof RunIdNotFoundError && err.runId === latest && err.actualTimeperiod === undefined)
      throw new RunIdNotFoundError(flow, latest, undefined, undefined, { timeperiod, logFile: path.basename(app.logs.flowLogFile(flow)) });
    throw err;
  }
}
