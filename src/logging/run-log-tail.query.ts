import type { FlowDefinition } from '../metadata/flow-definition';
import { streamLogEntries } from './log-entries.stream';
import { NewestLinesWindow } from './newest-lines.window';
import { assertRunLogged, selectRunLog, type LogQuery, type RunLogFiles } from './run-logs.query';

export interface RunLogTailOptions {
  /** The newest whole entries within this many bytes are kept; older ones are counted, not held. */
  maxBytes: number;
  /** Stops the read (it rejects with the signal's reason): its client has gone. */
  signal?: AbortSignal;
}

/**
 * The end of what `app.logs(flow, query)` returns, the same entries in the same order, within
 * `maxBytes`, read without holding the rest: memory follows `maxBytes`, not the log's size (the
 * viewer's log routes). Errors as `app.logs()`'s. Resolves to the window read into (`tail()`
 * gives the text; its peaks say what it held).
 */
export async function tailRunLogs(
  logs: RunLogFiles,
  definition: FlowDefinition,
  query: LogQuery,
  { maxBytes, signal }: RunLogTailOptions,
): Promise<NewestLinesWindow> {
  const { file, source, filter } = await selectRunLog(logs, definition, query);
  const window = new NewestLinesWindow(maxBytes);
  for await (const { entry, bytes } of streamLogEntries(file, source, filter, { signal, maxEntryBytes: maxBytes })) {
    window.add(entry.line, bytes);
  }
  if (window.count === 0) await assertRunLogged(logs, source.flow, filter, signal);
  return window;
}
