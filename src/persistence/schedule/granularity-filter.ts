import type { Granularity } from '../../timeperiod/timeperiod';

/**
 * SQL that keeps the timeperiods of one granularity (`substr` reads the same on SQLite and
 * PostgreSQL): a flow run by hand for a period of another size (a monthly `2026010000` beside
 * hourly rows) must not count as one of its hours. An hourly period at hour 00 reads like a daily
 * one; that is the timeperiod format's, and both count.
 */
export function granularityFilter(column: string, granularity: Granularity): string {
  switch (granularity) {
    case 'hourly':
      return `substr(${column}, 7, 2) <> '00'`;
    case 'daily':
      return `substr(${column}, 9, 2) = '00' AND substr(${column}, 7, 2) <> '00'`;
    case 'monthly':
      return `substr(${column}, 7, 4) = '0000' AND substr(${column}, 5, 2) <> '00'`;
    case 'yearly':
      return `substr(${column}, 5, 6) = '000000'`;
  }
}
