import type { Database } from 'better-sqlite3';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { COMPILED_DRIVERS, tableOf } from './row-update.statement';
import { sqliteConnection } from './sqlite-connection';
import { valueConverter, type ValueConverter } from './value-converter';

/**
 * Inserts many rows of one entity, and sets each row's generated id: on PostgreSQL with one
 * `INSERT ... SELECT * FROM unnest(...) RETURNING` statement, on SQLite with one prepared statement run per row. TypeORM's
 * `insert()` builds and escapes the same statement field by field
 * and then re-reads what it generated: for the 10,000 step rows of a large flow that was most of
 * a run's set-up time. Values go through the driver's own conversion, as TypeORM's would.
 */
export class RowInsertStatements {
  constructor(private readonly dataSource: DataSource) {}

  /** False when TypeORM's insert would do more than write the given fields (see RowUpdateStatements.supports). */
  supports(entity: abstract new (...args: never[]) => unknown): boolean {
    const metadata = this.dataSource.getMetadata(entity);
    return (
      COMPILED_DRIVERS.has(String(this.dataSource.options.type)) &&
      metadata.primaryColumns.length === 1 &&
      metadata.primaryColumns[0].isGenerated &&
      !metadata.createDateColumn &&
      !metadata.updateDateColumn &&
      !metadata.versionColumn &&
      this.dataSource.subscribers.length === 0 &&
      metadata.columns.every((c) => !c.transformer)
    );
  }

  /**
   * Inserts `rows` (objects of `entity`, all with the same fields set: the columns left undefined
   * get their defaults); `key` is a field unique among the rows, used to give each its id back
   * whatever order RETURNING reports them in.
   */
  async insert<T extends object>(
    manager: EntityManager,
    entity: abstract new (...args: never[]) => T,
    rows: readonly T[],
    key: keyof T & string,
  ): Promise<void> {
    if (rows.length === 0) return;
    const metadata = this.dataSource.getMetadata(entity);
    const { driver } = this.dataSource;
    const first = rows[0] as Record<string, unknown>;
    const columns: ColumnMetadata[] = metadata.columns.filter((c) => !c.isGenerated && c.isInsert && first[c.propertyName] !== undefined);
    const id = metadata.primaryColumns[0];
    const keyColumn = metadata.findColumnWithPropertyName(key)!;
    const table = tableOf(metadata, driver);
    const names = columns.map((c) => driver.escape(c.databaseName)).join(', ');
    const fields = columns.map((c) => c.propertyName);
    const convert = columns.map((c) => valueConverter(this.dataSource, c));
    const db = sqliteConnection(this.dataSource);
    if (db)
      return insertOneByOne(
        db,
        `INSERT INTO ${table} (${names}) VALUES (${columns.map(() => '?').join(', ')})`,
        fields,
        convert,
        rows,
        id.propertyName,
      );
    // PostgreSQL: one statement for every row, each column's values bound as one array and read
    // back with unnest(): 10 parameters instead of 5,000 a chunk, which the server parsed, bound
    // and planned for most of a 1,000-step run's set-up.
    const arrays = columns.map((c, i) => `${driver.createParameter(`c${i}`, i)}::${driver.normalizeType(c)}[]`);
    const sql =
      `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays.join(', ')}) ` +
      `RETURNING ${driver.escape(id.databaseName)} AS "id", ${driver.escape(keyColumn.databaseName)} AS "key"`;
    const params = fields.map((field, i) => rows.map((row) => convert[i]((row as Record<string, unknown>)[field])));
    const returned = await manager.query<Array<{ id: number | string; key: string }>>(sql, params);
    const byKey = new Map(rows.map((row) => [String(row[key]), row as Record<string, unknown>]));
    for (const { id: generated, key: value } of returned) {
      const row = byKey.get(String(value));
      if (row) row[id.propertyName] = Number(generated);
    }
  }
}

/**
 * SQLite: one prepared single-row INSERT run per row, inside the transaction TypeORM has open on
 * the same connection, instead of parsing a 5,000-parameter statement per chunk and reading its
 * RETURNING rows back through TypeORM (with the changes below, a 10,000-row prepare went from
 * ~100 ms to ~80 ms; SQLite's own inserts are ~55 ms of that).
 */
function insertOneByOne(
  db: Database,
  sql: string,
  fields: readonly string[],
  convert: readonly ValueConverter[],
  rows: readonly object[],
  idField: string,
): void {
  // The rows of a run share most values (flow, timeperiod, the creation time, nulls): a column whose
  // value is the very one of the row before reuses its conversion, which is a pure function of it.
  const last = fields.map((): { raw: unknown; converted: unknown; set: boolean } => ({ raw: undefined, converted: undefined, set: false }));
  const params: unknown[] = new Array(fields.length);
  try {
    const statement = db.prepare(sql);
    for (const row of rows as Array<Record<string, unknown>>) {
      for (let i = 0; i < fields.length; i++) {
        const raw = row[fields[i]];
        const memo = last[i];
        if (!memo.set || memo.raw !== raw) {
          memo.raw = raw;
          memo.converted = convert[i](raw);
          memo.set = true;
        }
        params[i] = memo.converted;
      }
      row[idField] = Number(statement.run(params).lastInsertRowid);
    }
  } catch (err) {
    // The shape TypeORM gives a failing write, so callers see the same error either way.
    throw new QueryFailedError(sql, [], err as Error);
  }
}
