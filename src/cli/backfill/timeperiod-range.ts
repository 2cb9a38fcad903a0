import { nextTimeperiod, parseTimeperiod, timeperiodOrdinal, type Granularity } from '../../timeperiod/timeperiod';
import { CliUsageError } from '../../errors';
import { isTimeperiodOf } from '../../timeperiod/timeperiod-time';

/**
 * The most periods one backfill plans. Every period becomes a row of the plan, a flow run and a
 * line of output; beyond this a range is more likely a typo (a year too far) than a wish.
 * 100,000 is eleven years of hours, or 273 years of days.
 */
export const MAX_BACKFILL_PERIODS = 100_000;

export interface TimeperiodRange {
  granularity: Granularity;
  /** Every period from the first bound to the second, both included, in order. */
  timeperiods: string[];
}

/**
 * The periods between two bounds at the bounds' granularity (hourly, daily, monthly, yearly, told
 * by their trailing zeros), across month and year boundaries and leap days.
 */
export function timeperiodRange(from: string, to: string): TimeperiodRange {
  const granularity = rangeGranularity(from, to);
  if (from > to) throw new CliUsageError(`--from ${from} is after --to ${to}: the range goes forward, e.g. --from ${to} --to ${from}`);
  // Counted before any is listed: a range of millions of periods must not exhaust the memory first.
  const count = timeperiodOrdinal(to, granularity) - timeperiodOrdinal(from, granularity) + 1;
  if (count > MAX_BACKFILL_PERIODS) {
    throw new CliUsageError(
      `--from ${from} --to ${to} spans ${count.toLocaleString('en-US')} ${granularity} periods, more than the limit of ${MAX_BACKFILL_PERIODS.toLocaleString('en-US')}: ` +
        `check the bounds, or split the range into several backfills`,
    );
  }
  // Stops at `to` itself: there may be no period after it (year 9999).
  const timeperiods = [from];
  for (let tp = from; tp !== to;) timeperiods.push((tp = nextTimeperiod(tp, granularity)));
  return { granularity, timeperiods };
}

/**
 * The bounds' granularity. Hour 00 is written as its day (2026120500), so a daily bound beside an
 * hourly one is that hour: `--from 2026120500 --to 2026120512` is thirteen hours, which an hourly
 * flow's backfill could not otherwise start at midnight.
 */
function rangeGranularity(from: string, to: string): Granularity {
  const first = parseTimeperiod(from).granularity;
  const last = parseTimeperiod(to).granularity;
  if (first === last) return first;
  if ([from, to].every((tp) => isTimeperiodOf(tp, 'hourly'))) return 'hourly';
  throw new CliUsageError(
    `--from ${from} is ${first} but --to ${to} is ${last}: give both bounds at the same granularity, e.g. --to ${asGranularity(to, first)}`,
  );
}

/** The same moment written at another granularity, for the hint: 2026120000 as daily is 2026120100. */
function asGranularity(timeperiod: string, granularity: Granularity): string {
  const { year, month, day, hour } = parseTimeperiod(timeperiod);
  const two = (n: number) => String(n).padStart(2, '0');
  const y = String(year).padStart(4, '0');
  switch (granularity) {
    case 'yearly':
      return `${y}000000`;
    case 'monthly':
      return `${y}${two(Math.max(month, 1))}0000`;
    case 'daily':
      return `${y}${two(Math.max(month, 1))}${two(Math.max(day, 1))}00`;
    case 'hourly':
      return `${y}${two(Math.max(month, 1))}${two(Math.max(day, 1))}${two(hour)}`;
  }
}
