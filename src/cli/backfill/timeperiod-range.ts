import { nextTimeperiod, parseTimeperiod, type Granularity } from '../../timeperiod/timeperiod';
import { CliUsageError } from '../cli-usage.error';

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
  const granularity = parseTimeperiod(from).granularity;
  const other = parseTimeperiod(to).granularity;
  if (granularity !== other) {
    throw new CliUsageError(
      `--from ${from} is ${granularity} but --to ${to} is ${other}: give both bounds at the same granularity, e.g. --to ${asGranularity(to, granularity)}`,
    );
  }
  if (from > to) throw new CliUsageError(`--from ${from} is after --to ${to}: the range goes forward, e.g. --from ${to} --to ${from}`);
  const timeperiods: string[] = [];
  for (let tp = from; tp <= to; tp = nextTimeperiod(tp, granularity)) timeperiods.push(tp);
  return { granularity, timeperiods };
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
