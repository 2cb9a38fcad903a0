import type { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { COMPILED_DRIVERS } from './row-update.statement';

/** Rows per statement: 500 x 10 columns stays far below SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_STATEMENT = 500;

/**
 * Inserts many rows of one entity with multi-row `INSERT ... RETURNING` statements, and sets each
 * row's generated id. TypeORM's `insert()` builds and escapes the same statement field by field
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
  async insert<T extends object>(manager: EntityManager, entity: abstract new (...args: never[]) => T, rows: readonly T[], key: keyof T & string): Promise<void> {
    if (rows.length === 0) return;
    const metadata = this.dataSource.getMetadata(entity);
    const { driver } = this.dataSource;
    const first = rows[0] as Record<string, unknown>;
    const columns: ColumnMetadata[] = metadata.columns.filter((c) => !c.isGenerated && c.isInsert && first[c.propertyName] !== undefined);
    const id = metadata.primaryColumns[0];
    const keyColumn = metadata.findColumnWithPropertyName(key)!;
    const table = metadata.tablePath
      .split('.')
      .map((part) => driver.escape(part))
      .join('.');
    const head = `INSERT INTO ${table} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
    const tail = ` RETURNING ${driver.escape(id.databaseName)} AS "id", ${driver.escape(keyColumn.databaseName)} AS "key"`;
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const params: unknown[] = [];
      const tuples = chunk.map((row) => {
        const placeholders = columns.map((column) => {
          params.push(driver.preparePersistentValue((row as Record<string, unknown>)[column.propertyName], column));
          return driver.createParameter(`p${params.length - 1}`, params.length - 1);
        });
        return `(${placeholders.join(', ')})`;
      });
      const returned = (await manager.query(head + tuples.join(', ') + tail, params)) as Array<{ id: number | string; key: string }>;
      const byKey = new Map(chunk.map((row) => [String(row[key]), row as Record<string, unknown>]));
      for (const { id: generated, key: value } of returned) {
        const row = byKey.get(String(value));
        if (row) row[id.propertyName] = Number(generated);
      }
    }
  }
}
