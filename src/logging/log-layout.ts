import { indentContinuationLines } from './continuation-lines';

/** The level names a line shows, as log4js names them. */
export type LogLevelName = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * `<timestamp> <step> <LEVEL> [<timeperiod>#<runId>] <message>` / `<timestamp> <step>.<action> <LEVEL> [<timeperiod>#<runId>] <message>`
 * (README, "Logs"), in log4js's pattern syntax: a spec checks formatLogLine against log4js's
 * own pattern layout, byte for byte, so a log4js user reads the lines they expect.
 */
export const LOG_LINE_PATTERN = '%d{ISO8601} %c %p [%X{timeperiod}#%X{runId}] %m';

/** A line logged outside any run (a step run alone by a test harness without a run, say): no tag. */
export const UNTAGGED_LOG_LINE_PATTERN = '%d{ISO8601} %c %p %m';

/** The run a logger's lines belong to: its `[<timeperiod>#<runId>]` tag, and the attempt of a step's lines. */
export interface LogRun {
  timeperiod: string;
  runId: string;
  /** The step's attempt (1 on): JSON lines carry it; text lines leave it to the step's `attempt N started` line. */
  attempt?: number;
}

/** `[<timeperiod>#<runId>] `, the tag after the level, with its trailing space; empty outside a run. */
export function runTag(run: LogRun | undefined): string {
  return run ? `[${run.timeperiod}#${run.runId}] ` : '';
}

/**
 * LOG_LINE_PATTERN, written out by hand: log4js's pattern layout re-parses the pattern with a
 * regular expression and formats the date field by field for every line, which was a visible
 * share of a no-op step's cost. The local time as date-format's ISO8601
 * (`yyyy-MM-ddThh:mm:ss.SSS`), the name, the level, the run's tag (see runTag), the message.
 * One difference from log4js: the message's second line on are indented (continuation-lines.ts),
 * so that nothing a message holds can start an entry of its own, in any run's log.
 */
export function formatLogLine(at: Date, name: string, level: LogLevelName, message: string, tag = ''): string {
  return `${localIsoTimestamp(at)} ${name} ${level} ${tag}${indentContinuationLines(message)}`;
}

let cachedSecond = NaN;
let cachedOffset = NaN;
let cachedPrefix = '';

/**
 * `yyyy-MM-ddThh:mm:ss.SSS` in local time; the part up to the seconds is reused within a second
 * (offsets from UTC are whole seconds, so one epoch second is one local second).
 */
export function localIsoTimestamp(date: Date): string {
  const ms = date.getTime();
  const second = Math.floor(ms / 1000);
  const offset = date.getTimezoneOffset();
  if (second !== cachedSecond || offset !== cachedOffset) {
    cachedSecond = second;
    cachedOffset = offset;
    cachedPrefix = `${pad(date.getFullYear(), 2)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}T${pad(date.getHours(), 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}.`;
  }
  return cachedPrefix + pad(ms - second * 1000, 3);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
