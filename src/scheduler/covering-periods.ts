import { timeperiodOrdinal, type Granularity } from '../timeperiod/timeperiod';
import { timeperiodAt, timeperiodEnd, timeperiodStart } from '../timeperiod/timeperiod-time';

const ORDER: Granularity[] = ['hourly', 'daily', 'monthly', 'yearly'];

/**
 * The periods of an upstream flow (of granularity `theirs`) that cover `timeperiod`, first and
 * last: a finer flow every one of its periods inside this one (a day: its 24 hours), one of the
 * same granularity the same period, a coarser one the period that holds it.
 */
export function coveringPeriods(timeperiod: string, granularity: Granularity, theirs: Granularity): { from: string; to: string } {
  const from = timeperiodAt(timeperiodStart(timeperiod), theirs);
  if (ORDER.indexOf(theirs) > ORDER.indexOf(granularity)) return { from, to: from };
  return { from, to: timeperiodAt(new Date(timeperiodEnd(timeperiod, granularity).getTime() - 1), theirs) };
}

/** How many periods of `granularity` there are from `from` to `to`, both in. */
export function periodCount(from: string, to: string, granularity: Granularity): number {
  return timeperiodOrdinal(to, granularity) - timeperiodOrdinal(from, granularity) + 1;
}
