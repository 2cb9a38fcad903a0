import { format } from 'node:util';
import type { LoggingEvent } from 'log4js';

/** `<timestamp> <step> <LEVEL> <message>` / `<timestamp> <step>.<action> <LEVEL> <message>` (DESIGN.md section 5). */
export const LOG_LINE_PATTERN = '%d{ISO8601} %c %p %m';

/** Context key that tells the file-routing appender which file a logger writes to. */
export const LOG_FILE_CONTEXT_KEY = 'synergyFlowFile';

/** Context key of the name a line shows (`<flow>`, `<step>` or `<step>.<action>`). */
export const LOG_NAME_CONTEXT_KEY = 'synergyFlowName';

/**
 * LOG_LINE_PATTERN, written out by hand: log4js's pattern layout re-parses the pattern with a
 * regular expression and formats the date field by field for every line, which was a visible
 * share of a no-op step's cost. Same text, byte for byte (a spec compares the two): the local
 * time as date-format's ISO8601 (`yyyy-MM-ddThh:mm:ss.SSS`), the name, the level, the message
 * as util.format renders the logged values.
 */
export function formatLogLine(event: LoggingEvent): string {
  const name = event.context?.[LOG_NAME_CONTEXT_KEY];
  const data = event.data;
  const message = data.length === 1 && typeof data[0] === 'string' ? data[0] : format(...data);
  return `${localIsoTimestamp(event.startTime)} ${typeof name === 'string' ? name : event.categoryName} ${event.level.levelStr} ${message}`;
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
