import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** Turns a field's value into what the database driver stores for its column. */
export type ValueConverter = (value: unknown) => unknown;

/**
 * The driver's own conversion for a column, except for Date values of SQLite datetime columns:
 * TypeORM formats those field by field through padded strings (DateUtils.mixedDateToUtcDatetimeString:
 * `YYYY-MM-DD HH:mm:ss.SSS`, UTC), a visible share of every transition's cost (docs/benchmarks-history.md);
 * `toISOString()` has the very same characters for the years 1000 to 9999 (a spec compares the
 * two over random dates). Any other value, or year, takes TypeORM's way.
 */
export function valueConverter(dataSource: DataSource, column: ColumnMetadata): ValueConverter {
  const { driver } = dataSource;
  const typeorm: ValueConverter = (value) => driver.preparePersistentValue(value, column);
  // SQLite's driver hands the value of these types over as it is (AbstractSqliteDriver.preparePersistentValue):
  // no call to it for each of a row's text and number columns.
  if (dataSource.options.type === 'better-sqlite3' && !column.transformer && SQLITE_AS_IS.has(column.type)) return asIs;
  const sqliteDatetime =
    dataSource.options.type === 'better-sqlite3' && !column.transformer && (column.type === Date || column.type === 'datetime');
  if (!sqliteDatetime) return typeorm;
  return (value) => (value instanceof Date ? (utcDatetime(value) ?? typeorm(value)) : typeorm(value));
}

/** Column types whose values TypeORM's SQLite driver stores unchanged. */
const SQLITE_AS_IS = new Set<unknown>(['varchar', 'text', 'integer', 'bigint', 'int', String, Number]);

const asIs: ValueConverter = (value) => value;

/**
 * The last date converted, and its text: the column keeps only milliseconds, and a busy engine
 * writes a dozen transitions within each one (three conversions a step).
 */
let lastMs = NaN;
let lastText = '';

function utcDatetime(date: Date): string | undefined {
  const ms = date.getTime();
  if (ms === lastMs) return lastText;
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return undefined; // also an invalid date (NaN)
  const iso = date.toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  lastMs = ms;
  lastText = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  return lastText;
}
