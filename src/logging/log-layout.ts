/** The level names a line shows, as log4js names them. */
export type LogLevelName = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * `<timestamp> <step> <LEVEL> <message>` / `<timestamp> <step>.<action> <LEVEL> <message>`
 * (README, "Logs"), in log4js's pattern syntax: a spec checks formatLogLine against log4js's
 * own pattern layout, byte for byte, so a log4js user reads the lines they expect.
 */
export const LOG_LINE_PATTERN = '%d{ISO8601} %c %p %m';

/**
 * LOG_LINE_PATTERN, written out by hand: log4js's pattern layout re-parses the pattern with a
 * regular expression and formats the date field by field for every line, which was a visible
 * share of a no-op step's cost. The local time as date-format's ISO8601
 * (`yyyy-MM-ddThh:mm:ss.SSS`), the name, the level, the message.
 */
export function formatLogLine(at: Date, name: string, level: LogLevelName, message: string): string {
  return `${localIsoTimestamp(at)} ${name} ${level} ${message}`;
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
