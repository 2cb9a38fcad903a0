import { runStartedAt } from '../domain/run-id';
import type { FlowDefinition } from '../metadata/flow-definition';
import { readNewestLogEntries, type NewestLogEntries } from './newest-log-entries.reader';
import { assertRunLogged, selectRunLog, type LogQuery, type RunLogFiles } from './run-logs.query';

export interface RunLogTailOptions {
  /** The newest whole entries within this many bytes are kept; older ones are not read. */
  maxBytes: number;
  /** Stops the read (it rejects with the signal's reason): its client has gone. */
  signal?: AbortSignal;
}

/**
 * How long before its run id's time a run's line may say it was written. A text line has its local
 * time without its offset: in the hour a clock goes back to standard time it reads as up to an hour
 * earlier than it was. The rest is for engines' clocks that differ (a run's step may log on another
 * host's engine taking it over).
 */
const RUN_START_SLACK_MS = 2 * 60 * 60 * 1000;

/**
 * The end of what `app.logs(flow, query)` returns, the same entries in the same order, within
 * `maxBytes`, read backwards from the end of the files (the viewer's log routes): memory follows
 * `maxBytes`, and so does the time, for a log of the latest runs. A run's lines (`runId`) are not
 * older than its start, which its id says: the read stops two hours before it (RUN_START_SLACK_MS),
 * so one run's read costs the log written since it started, not the whole log; a timeperiod's
 * lines (no `runId`) may be anywhere in it, and such a read goes back to the start of the log when
 * they are fewer than `maxBytes`. Errors as `app.logs()`'s.
 */
export async function tailRunLogs(
  logs: RunLogFiles,
  definition: FlowDefinition,
  query: LogQuery,
  { maxBytes, signal }: RunLogTailOptions,
): Promise<NewestLogEntries> {
  const { file, source, filter } = await selectRunLog(logs, definition, query);
  const notBefore = filter.runId === undefined ? undefined : runLinesNotBefore(filter.runId);
  const tail = await readNewestLogEntries(file, source, filter, { maxBytes, signal, notBefore });
  if (!tail.exists) await assertRunLogged(logs, source.flow, filter, signal);
  return tail;
}

/** The time no line of this run is older than (ms since the epoch): its id's, less RUN_START_SLACK_MS. */
export function runLinesNotBefore(runId: string): number {
  return runStartedAt(runId) - RUN_START_SLACK_MS;
}
