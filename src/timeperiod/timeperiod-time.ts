import { InvalidTimeperiodError } from '../errors';
import { nextTimeperiod, parseTimeperiod, type Granularity } from './timeperiod';

/**
 * Timeperiods as instants, in UTC: when a period starts and ends, and which period of a
 * granularity holds an instant. The scheduler decides with them when a period is due.
 */

/** Whether `timeperiod` names a period of `granularity`: an hourly one may end in `00` (hour 0), a daily one must. */
export function isTimeperiodOf(timeperiod: string, granularity: Granularity): boolean {
  const parsed = parseTimeperiod(timeperiod);
  if (granularity === 'hourly') return parsed.granularity === 'hourly' || parsed.granularity === 'daily';
  return parsed.granularity === granularity;
}

/** The instant a period starts (UTC): 2026010105 -> 2026-01-01T05:00:00Z; 2026010000 -> 2026-01-01T00:00:00Z. */
export function timeperiodStart(timeperiod: string): Date {
  const { year, month, day, hour } = parseTimeperiod(timeperiod);
  const date = new Date(0);
  date.setUTCFullYear(year, Math.max(month, 1) - 1, Math.max(day, 1));
  date.setUTCHours(hour);
  return date;
}

/** The instant a period of `granularity` ends: the start of the next one. */
export function timeperiodEnd(timeperiod: string, granularity: Granularity): Date {
  return timeperiodStart(nextTimeperiod(timeperiod, granularity));
}

/** The period of `granularity` that holds `instant` (UTC): 2026-01-01T05:30Z, daily -> 2026010100. */
export function timeperiodAt(instant: Date, granularity: Granularity): string {
  const time = instant.getTime();
  if (!Number.isFinite(time)) throw new InvalidTimeperiodError(String(instant), 'it is not a valid date');
  const year = instant.getUTCFullYear();
  const month = granularity === 'yearly' ? 0 : instant.getUTCMonth() + 1;
  const day = granularity === 'yearly' || granularity === 'monthly' ? 0 : instant.getUTCDate();
  const hour = granularity === 'hourly' ? instant.getUTCHours() : 0;
  return [String(year).padStart(4, '0'), ...[month, day, hour].map((n) => String(n).padStart(2, '0'))].join('');
}

/** The period of `granularity` before `timeperiod`: 2026010100 (hourly) -> 2025123123. */
export function previousTimeperiod(timeperiod: string, granularity: Granularity): string {
  return timeperiodAt(new Date(timeperiodStart(timeperiod).getTime() - 1), granularity);
}

/** The period of `granularity` at `ordinal` on its scale (the inverse of timeperiodOrdinal). */
export function timeperiodFromOrdinal(ordinal: number, granularity: Granularity): string {
  switch (granularity) {
    case 'yearly':
      return timeperiodAt(utcDate(ordinal, 1), 'yearly');
    case 'monthly':
      return timeperiodAt(utcDate(Math.floor(ordinal / 12), (ordinal % 12) + 1), 'monthly');
    case 'daily':
      return timeperiodAt(new Date(ordinal * 86_400_000), 'daily');
    case 'hourly':
      return timeperiodAt(new Date(ordinal * 3_600_000), 'hourly');
  }
}

function utcDate(year: number, month: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, 1);
  return date;
}
