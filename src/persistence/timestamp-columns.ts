import type { DataSource } from 'typeorm';

/**
 * Declares the time columns (`type: Date` in the entities) as the database has them. TypeORM makes
 * `Date` a `timestamp without time zone` on PostgreSQL: a wall time of no zone, which pg writes a
 * Date into as the writing process's local time and reads back as the reading process's, so
 * engines in different zones read one row hours apart. There they are `timestamptz` (migration
 * AbsoluteTimes1795940000000): pg sends a Date with its UTC offset, the server keeps the instant
 * and returns it with an offset, whatever the zone of either process. SQLite's `datetime` columns
 * hold UTC text already and keep their type. A decorator names one type for every database, so
 * each data source's metadata is fitted once it is built, like fitAttemptIdColumn.
 */
export function fitTimestampColumns(dataSource: DataSource): void {
  if (dataSource.options.type !== 'postgres') return;
  for (const entity of dataSource.entityMetadatas) {
    for (const column of entity.columns) if (column.type === Date) column.type = 'timestamptz';
  }
}
