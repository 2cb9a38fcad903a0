import { InvalidTimeperiodError } from '../errors';

/** Synergy Scheduler's granularities, told apart by which trailing fields are zero. */
export type Granularity = 'hourly' | 'daily' | 'monthly' | 'yearly';

export interface ParsedTimeperiod {
  year: number;
  month: number;
  day: number;
  hour: number;
  granularity: Granularity;
}

/**
 * Parses `YYYYMMDDHH`. Zero month means yearly, zero day monthly, and so on; a zero field may
 * only be followed by zeros (2026001500 is neither daily nor monthly). Real calendar dates only.
 */
export function parseTimeperiod(value: unknown): ParsedTimeperiod {
  if (typeof value !== 'string' || !/^\d{10}$/.test(value)) {
    throw new InvalidTimeperiodError(value, typeof value === 'string' ? describeNotTenDigits(value) : 'it is not a string');
  }
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(4, 6));
  const day = Number(value.slice(6, 8));
  const hour = Number(value.slice(8, 10));
  if (year === 0) throw new InvalidTimeperiodError(value, 'year 0000 does not exist (0001-9999)');
  if (month > 12) throw new InvalidTimeperiodError(value, `month ${month} does not exist`);
  if (hour > 23) throw new InvalidTimeperiodError(value, `hour ${hour} does not exist (00-23)`);
  if (month === 0 && (day !== 0 || hour !== 0))
    throw new InvalidTimeperiodError(value, 'a yearly period (month 00) must have day and hour 00');
  if (day === 0 && hour !== 0) throw new InvalidTimeperiodError(value, 'a monthly period (day 00) must have hour 00');
  if (day > 0 && day > daysInMonth(year, month))
    throw new InvalidTimeperiodError(value, `day ${day} does not exist in ${year}-${String(month).padStart(2, '0')}`);
  const granularity: Granularity = month === 0 ? 'yearly' : day === 0 ? 'monthly' : hour === 0 ? 'daily' : 'hourly';
  return { year, month, day, hour, granularity };
}

/** Why `value` is no timeperiod (InvalidTimeperiodError's own words), or undefined if it is one: for schemas that list every problem. */
export function timeperiodError(value: unknown): InvalidTimeperiodError | undefined {
  try {
    parseTimeperiod(value);
    return undefined;
  } catch (err) {
    return err as InvalidTimeperiodError;
  }
}

/** Throws InvalidTimeperiodError unless `value` is a valid timeperiod; returns it typed. */
export function assertTimeperiod(value: unknown): string {
  parseTimeperiod(value);
  return value as string;
}

/** The next period of the same granularity: 2026113000 (daily) -> 2026120100. */
export function nextTimeperiod(timeperiod: string, granularity = parseTimeperiod(timeperiod).granularity): string {
  const { year, month, day, hour } = parseTimeperiod(timeperiod);
  const next = nextFields(granularity, year, month, day, hour);
  if (next[0] > 9999)
    throw new InvalidTimeperiodError(timeperiod, 'year 9999 is the last a timeperiod can name: there is no period after this one');
  return format(...next);
}

/**
 * Where a period sits on its granularity's scale (years, months, days or hours since year 0), so
 * that the number of periods between two bounds is a subtraction, not a walk.
 */
export function timeperiodOrdinal(timeperiod: string, granularity = parseTimeperiod(timeperiod).granularity): number {
  const { year, month, day, hour } = parseTimeperiod(timeperiod);
  switch (granularity) {
    case 'yearly':
      return year;
    case 'monthly':
      return year * 12 + month - 1;
    case 'daily':
      return Math.round(utcTime(year, month, day, 0) / 86_400_000);
    case 'hourly':
      return Math.round(utcTime(year, month, day, hour) / 3_600_000);
  }
}

function nextFields(granularity: Granularity, year: number, month: number, day: number, hour: number): [number, number, number, number] {
  switch (granularity) {
    case 'yearly':
      return [year + 1, 0, 0, 0];
    case 'monthly':
      return month === 12 ? [year + 1, 1, 0, 0] : [year, month + 1, 0, 0];
    case 'daily': {
      const d = new Date(utcTime(year, month, day + 1, 0));
      return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0];
    }
    case 'hourly': {
      const d = new Date(utcTime(year, month, day, hour + 1));
      return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours()];
    }
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcTime(year, month + 1, 0, 0)).getUTCDate();
}

/**
 * Date.UTC, minus its rule that maps years 0-99 to 1900-1999 (which made 0050-01-01 follow
 * 1950-01-01). Fields overflow as in Date.UTC: day 0 is the previous month's last day.
 */
function utcTime(year: number, month: number, day: number, hour: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour);
  return date.getTime();
}

function format(year: number, month: number, day: number, hour: number): string {
  return [String(year).padStart(4, '0'), ...[month, day, hour].map((n) => String(n).padStart(2, '0'))].join('');
}

/** Why a string is not ten digits: its length, or the first character that is not a digit (`2026-12-01` has ten characters). */
function describeNotTenDigits(value: string): string {
  const nonDigit = /\D/.exec(value);
  const meant = dateWrittenOtherwise(value);
  const hint = meant ? ` (for ${meant.said} write ${meant.timeperiod})` : ' (write 2026120100, not 2026-12-01)';
  if (value.length === 10 && nonDigit) return `'${nonDigit[0]}' at position ${nonDigit.index + 1} is not a digit${hint}`;
  return `it has ${value.length} characters, not ten digits${meant ? hint : ''}`;
}

/**
 * A date as schedulers and shells write it, Airflow's `ds` (`2026-11-26`), `ds_nodash` (`20261126`)
 * or an ISO time (`2026-11-26T07:00`, `2026-11-26 07`): the timeperiod it most likely means, so
 * the error names the value to type rather than a generic example.
 */
function dateWrittenOtherwise(value: string): { said: string; timeperiod: string } | undefined {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2})(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?Z?)?$/.exec(value);
  if (!match || (value.length === 10 && !value.includes('-'))) return undefined;
  const [, year, month, day, hour] = match;
  return {
    said: hour === undefined ? `the day ${year}-${month}-${day}` : `${year}-${month}-${day} ${hour}:00`,
    timeperiod: `${year}${month}${day}${hour ?? '00'}`,
  };
}
