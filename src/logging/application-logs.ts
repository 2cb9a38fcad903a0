import type { FlowDefinition } from '../metadata/flow-definition';
import type { LogEntry } from './log-entry';
import type { LogManager } from './log-manager';
import { queryRunLogs, type LogQuery } from './run-logs.query';

/** What of the LogManager the application shows as `app.logs.*`: where the files are, and waiting for them. */
export type LogFiles = Pick<
  LogManager,
  | 'logDirectory'
  | 'redact'
  | 'format'
  | 'flowLogFile'
  | 'stepLogFile'
  | 'flowLogger'
  | 'stepLogger'
  | 'actionLogger'
  | 'flush'
  | 'written'
  | 'close'
  | 'maxOpenFiles'
>;

/**
 * `app.logs`: called, the log lines of a run (see queryRunLogs); its members, the application's log
 * files (`app.logs.stepLogFile(flow, step)`, `await app.logs.written()`...).
 *
 * @example
 * ```ts
 * const result = await app.run('daily_etl', { timeperiod: '2026112600' });
 * for (const entry of await app.logs('daily_etl', { step: 'transform', runId: result.runId })) console.log(entry.line);
 * ```
 */
export interface ApplicationLogs extends LogFiles {
  /**
   * The lines of the flow's own log, or of a step's log, oldest first, rotated files included:
   * every line, or those of a timeperiod, a run, an attempt of the step.
   *
   * @throws {@link UnknownFlowError} / {@link UnknownStepError} the flow, or the step in that flow, does not exist
   * @throws {@link InvalidTimeperiodError} the timeperiod is not `YYYYMMDDHH`
   * @throws {@link FlowRunNotFoundError} no line of the flow's log carries that timeperiod
   * @throws {@link RunIdNotFoundError} no line of the flow's log carries that run id (or it is of another timeperiod)
   * @throws {@link ConfigurationError} a query with unknown keys or wrong types, or an attempt without a step
   */
  (flow: string, query?: LogQuery): Promise<LogEntry[]>;
}

/** Makes `app.logs`: the query function, with the manager's members bound onto it. */
export function createApplicationLogs(manager: LogManager, definitionOf: (flow: string) => FlowDefinition): ApplicationLogs {
  const logs = (async (flow: string, query?: LogQuery) => queryRunLogs(manager, definitionOf(flow), query)) as ApplicationLogs;
  Object.defineProperties(logs, {
    logDirectory: { value: manager.logDirectory, enumerable: true },
    redact: { value: manager.redact, enumerable: true },
    format: { value: manager.format, enumerable: true },
    flowLogFile: { value: manager.flowLogFile.bind(manager) },
    stepLogFile: { value: manager.stepLogFile.bind(manager) },
    flowLogger: { value: manager.flowLogger.bind(manager) },
    stepLogger: { value: manager.stepLogger.bind(manager) },
    actionLogger: { value: manager.actionLogger.bind(manager) },
    flush: { value: manager.flush.bind(manager) },
    written: { value: manager.written.bind(manager) },
    close: { value: manager.close.bind(manager) },
    maxOpenFiles: { get: () => manager.maxOpenFiles, enumerable: true },
  });
  return logs;
}
