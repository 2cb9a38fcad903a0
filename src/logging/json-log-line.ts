import type { LogLevelName, LogRun } from './log-layout';

/**
 * One line of the `logs: { format: 'json' }` format: what a text line says, field by field, for a
 * log pipeline to parse (README, "Logs"). Fields that do not apply are left out: `step` in the
 * flow's own log, `action` in a step's own lines, `attempt` outside a step's attempt, `error`
 * when no Error was logged.
 */
export interface JsonLogLine {
  /** ISO 8601 in UTC (`2026-11-26T07:00:00.000Z`). */
  time: string;
  level: LogLevelName;
  flow: string;
  timeperiod?: string;
  runId?: string;
  step?: string;
  action?: string;
  attempt?: number;
  message: string;
  /** The Error logged with the message (`logger.error('failed', err)`), as `Name: message`, redacted. */
  error?: string;
}

/** Where a logger's lines come from: its flow, step and action, and the run they belong to. */
export interface LogOrigin {
  flow: string;
  step?: string;
  action?: string;
  run?: LogRun;
}

/** The JSON line (no newline), fields in JsonLogLine's order. */
export function formatJsonLogLine(at: Date, level: LogLevelName, origin: LogOrigin, message: string, error?: string): string {
  const line: JsonLogLine = {
    time: at.toISOString(),
    level,
    flow: origin.flow,
    timeperiod: origin.run?.timeperiod,
    runId: origin.run?.runId,
    step: origin.step,
    action: origin.action,
    attempt: origin.run?.attempt,
    message,
    error,
  };
  return JSON.stringify(line);
}
