import type { JsonLogLine } from './json-log-line';
import type { LogLevelName } from './log-layout';

/**
 * One line of a flow's or step's log, as `app.logs()` returns it: the fields of either format,
 * and the line as written (a multi-line message, a stack trace, keeps its continuation lines).
 */
export interface LogEntry {
  /** When it was logged (a text line's local time, a JSON line's UTC time). */
  time: Date;
  level: LogLevelName;
  flow: string;
  /** The step whose log it is in; absent in the flow's own log. */
  step?: string;
  /** The action that logged it (`<step>.<action>` in a text line); absent for the step's own lines. */
  action?: string;
  /** The run's timeperiod and id: absent only on lines written before runs had ids. */
  timeperiod?: string;
  runId?: string;
  /**
   * The step's attempt (1 on): a JSON line's own field; for a text line, the attempt whose
   * `attempt N started` line came last before it in that run. Absent in the flow's log.
   */
  attempt?: number;
  message: string;
  /** A JSON line's `error` field. */
  error?: string;
  /** The line as it is in the file, without its final newline. */
  line: string;
}

/** Which log a line is read from: its flow, and the step for a step's log. */
export interface LogSource {
  flow: string;
  step?: string;
}

const TEXT_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}) (\S+) (DEBUG|INFO|WARN|ERROR) (?:\[(\d{10})#([0-9a-z]+)\] )?/;
const LEVELS = new Set<string>(['DEBUG', 'INFO', 'WARN', 'ERROR']);

/**
 * Parses the first line of an entry, text or JSON; undefined for a line that starts no entry (the
 * next line of a multi-line message: indented, see continuation-lines.ts, so never one of these). The name of a text line is the step's (or the flow's), or
 * `<step>.<action>`: read against the log's own step name, since step names may hold dots.
 */
export function parseLogLine(line: string, source: LogSource): LogEntry | undefined {
  if (line.startsWith('{')) return parseJsonLine(line);
  const match = TEXT_LINE.exec(line);
  if (!match) return undefined;
  const [head, time, name, level, timeperiod, runId] = match;
  const entry: LogEntry = { time: new Date(time), level: level as LogLevelName, flow: source.flow, message: line.slice(head.length), line };
  if (source.step !== undefined) {
    entry.step = source.step;
    if (name !== source.step && name.startsWith(`${source.step}.`)) entry.action = name.slice(source.step.length + 1);
  }
  if (timeperiod !== undefined) {
    entry.timeperiod = timeperiod;
    entry.runId = runId;
  }
  return entry;
}

function parseJsonLine(line: string): LogEntry | undefined {
  let parsed: Partial<JsonLogLine>;
  try {
    parsed = JSON.parse(line) as Partial<JsonLogLine>;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.time !== 'string' || !LEVELS.has(parsed.level as string))
    return undefined;
  const entry: LogEntry = {
    time: new Date(parsed.time),
    level: parsed.level!,
    flow: String(parsed.flow),
    message: String(parsed.message ?? ''),
    line,
  };
  if (parsed.step !== undefined) entry.step = parsed.step;
  if (parsed.action !== undefined) entry.action = parsed.action;
  if (parsed.timeperiod !== undefined) entry.timeperiod = parsed.timeperiod;
  if (parsed.runId !== undefined) entry.runId = parsed.runId;
  if (parsed.attempt !== undefined) entry.attempt = parsed.attempt;
  if (parsed.error !== undefined) entry.error = parsed.error;
  return entry;
}
