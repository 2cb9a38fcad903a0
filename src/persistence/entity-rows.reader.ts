import type { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { tableOf } from './row-update.statement';

/** Where the driver's hydration does not give a field as its records have it, what to do next to its value. */
export type FieldConversions<T> = Partial<Record<keyof T & string, (hydrated: unknown) => unknown>>;

/** One column of the table: the field it fills and how its driver's value becomes the field's. */
interface EntityColumn {
  property: string;
  alias: string;
  metadata: ColumnMetadata;
  convert?: (hydrated: unknown) => unknown;
}

/**
 * Reads rows of one entity's table as its objects with plain SELECTs, each value converted by the
 * driver's own hydration (SQLite's UTC datetime text, PostgreSQL's integers and timestamptz), instead
 * of TypeORM's find(), whose per-row entity transformer was most of a large read. The column list,
 * table and quoting are written once; the readers of each table (StepRowsReader, AttemptRowsReader)
 * write their WHERE with column() and parameter(), once where it can be.
 */
export class EntityRowsReader<T extends object> {
  private readonly columns: EntityColumn[];
  private readonly selectList: string;
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: new () => T,
    conversions: FieldConversions<T> = {},
  ) {
    const { driver } = dataSource;
    const metadata = dataSource.getMetadata(entity);
    this.columns = metadata.columns.map((metadata, i) => ({
      property: metadata.propertyName,
      alias: `c${i}`,
      metadata,
      convert: conversions[metadata.propertyName as keyof T & string],
    }));
    this.selectList = this.columns.map((c) => `${driver.escape(c.metadata.databaseName)} AS ${driver.escape(c.alias)}`).join(', ');
    this.table = tableOf(metadata, driver);
  }

  /** The column of a field, quoted for this database. */
  column(property: keyof T & string): string {
    return this.dataSource.driver.escape(this.dataSource.getMetadata(this.entity).findColumnWithPropertyName(property)!.databaseName);
  }

  /** This database's placeholder for the statement's parameter number `index` (from 0). */
  parameter(index: number): string {
    return this.dataSource.driver.createParameter(`p${index}`, index);
  }

  /** A SELECT of every column of the rows `where` says, ascending by `orderBy`. */
  select(where: string, orderBy: keyof T & string): string {
    return `SELECT ${this.selectList} FROM ${this.table} WHERE ${where} ORDER BY ${this.column(orderBy)}`;
  }

  /** The rows of a select(), as the entity's objects. */
  async read(sql: string, parameters: unknown[], on: EntityManager | DataSource = this.dataSource): Promise<T[]> {
    const rows = await on.query<Array<Record<string, unknown>>>(sql, parameters);
    const { driver } = this.dataSource;
    return rows.map((row) => {
      const entity = new this.entity();
      for (const c of this.columns) {
        const value: unknown = driver.prepareHydratedValue(row[c.alias], c.metadata);
        (entity as Record<string, unknown>)[c.property] = c.convert === undefined ? value : c.convert(value);
      }
      return entity;
    });
  }
}
