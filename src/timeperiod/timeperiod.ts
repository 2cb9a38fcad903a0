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
  if (month > 12) throw new InvalidTimeperiodError(value, `month ${month} does not exist`);
  if (hour > 23) throw new InvalidTimeperiodError(value, `hour ${hour} does not exist (00-23)`);
  if (month === 0 && (day !== 0 || hour !== 0)) throw new InvalidTimeperiodError(value, 'a yearly period (month 00) must have day and hour 00');
  if (day === 0 && hour !== 0) throw new InvalidTimeperiodError(value, 'a monthly period (day 00) must have hour 00');
  if (day > 0 && day > daysInMonth(year, month)) throw new InvalidTimeperiodError(value, `day ${day} does not exist in ${year}-${String(month).padStart(2, '0')}`);
  const granularity: Granularity = month === 0 ? 'yearly' : day === 0 ? 'monthly' : hour === 0 ? 'daily' : 'hourly';
  return { year, month, day, hour, granularity };
}

/** Throws InvalidTimeperiodError unless `value` is a valid timeperiod; returns it typed. */
export function assertTimeperiod(value: unknown): string {
  parseTimeperiod(value);
  return value as string;
}

/** The next period of the same granularity: 2026113000 (daily) -> 2026120100. */
export function nextTimeperiod(timeperiod: string, granularity = parseTimeperiod(timeperiod).granularity): string {
  const { year, month, day, hour } = parseTimeperiod(timeperiod);
  switch (granularity) {
    case 'yearly':
      return format(year + 1, 0, 0, 0);
    case 'monthly':
      return month === 12 ? format(year + 1, 1, 0, 0) : format(year, month + 1, 0, 0);
    case 'daily': {
      const d = new Date(Date.UTC(year, month - 1, day + 1));
      return format(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0);
    }
    case 'hourly': {
      const d = new Date(Date.UTC(year, month - 1, day, hour + 1));
      return format(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours());
    }
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function format(year: number, month: number, day: number, hour: number): string {
  return [String(year).padStart(4, '0'), ...[month, day, hour].map((n) => String(n).padStart(2, '0'))].join('');
}

/** Why a string is not ten digits: its length, or the first character that is not a digit (`2026-12-01` has ten characters). */
function describeNotTenDigits(value: string): string {
  const nonDigit = /\D/.exec(value);
  if (value.length === 10 && nonDigit) return `'${nonDigit[0]}' at position ${nonDigit.index + 1} is not a digit (write 2026120100, not 2026-12-01)`;
  return `it has ${value.length} characters, not ten digits`;
}
