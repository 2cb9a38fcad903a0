import type { RowInsert, RowUpdate } from '../domain/state-writer.port';
import type { DataSource } from 'typeorm';
import { valueConverter, type ValueConverter } from './value-converter';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { LeaseFenceStatements, type LeaseFence } from './lease/lease-fence';
import { StatementShapes, type StatementShape } from './statement-shapes';

/** The drivers whose placeholders, values and RETURNING the compiled statements are checked against (spec/persistence). */
export const COMPILED_DRIVERS = new Set(['better-sqlite3', 'postgres']);

/** A state transition as data; declared with the StateWriter port. */
export type { RowInsert, RowUpdate } from '../domain/state-writer.port';

export interface CompiledUpdate {
  sql: string;
  params: unknown[];
}

/** What compile() gives for a patch with no field defined: there is nothing to write. */
export const NOTHING_TO_UPDATE: CompiledUpdate = { sql: '', params: [] };

/**
 * Turns a RowUpdate into `UPDATE <table> SET <col> = ?, ... WHERE <id> = ?` for the connected
 * driver. The SQL is built once per table and set of fields; each value goes through the driver's
 * own conversion (dates to SQLite text, say, see valueConverter), so the row reads exactly as if
 * TypeORM had written it.
 * Building TypeORM's UpdateQueryBuilder for every transition was the engine's largest CPU cost.
 */
export class RowUpdateStatements {
  private readonly shapes = new StatementShapes();
  private readonly plain = new Map<RowUpdate['entity'], boolean>();
  readonly fences: LeaseFenceStatements;

  constructor(private readonly dataSource: DataSource) {
    this.fences = new LeaseFenceStatements(dataSource);
  }

  /**
   * False when TypeORM's update would do more than set the fields (update-date or version
   * columns, entity subscribers, value transformers, drivers that bind values their own way):
   * those updates keep going through TypeORM.
   */
  supports(entity: RowUpdate['entity']): boolean {
    let plain = this.plain.get(entity);
    if (plain === undefined) {
      const metadata = this.dataSource.getMetadata(entity);
      plain =
        COMPILED_DRIVERS.has(String(this.dataSource.options.type)) &&
        metadata.primaryColumns.length === 1 &&
        !metadata.updateDateColumn &&
        !metadata.versionColumn &&
        this.dataSource.subscribers.length === 0 &&
        metadata.columns.every((c) => !c.transformer && c.isUpdate);
      this.plain.set(entity, plain);
    }
    return plain;
  }

  /**
   * `INSERT INTO <table> (<col>, ...) VALUES (?, ...)` for a row of an entity `supports` accepts
   * and that has no create-date column. The fence is not in it: the committer proves the lease
   * before (see the state writers), which the run's step update in the same commit has mostly done.
   */
  compileInsert(insert: RowInsert): CompiledUpdate {
    const fields = definedFields(insert.row);
    const shape = this.shapes.of(insert.entity, 'insert', fields, () =>
      this.buildInsert(this.dataSource.getMetadata(insert.entity), fields),
    );
    return { sql: shape.sql, params: converted(shape, fields, insert.row) };
  }

  /** Whether compileInsert can write rows of `entity` as TypeORM's insert would (no create-date column to fill). */
  supportsInsert(entity: RowInsert['entity']): boolean {
    return this.supports(entity) && !this.dataSource.getMetadata(entity).createDateColumn;
  }

  /**
   * With `fenced` false, the fence is left out of the statement: the caller proves the lease
   * another way (the SQLite batch committer, once per lease and transaction).
   */
  compile(update: RowUpdate, fenced = true): CompiledUpdate {
    // Undefined fields are left alone, as TypeORM's update does.
    const fields = definedFields(update.patch);
    if (fields.length === 0) return NOTHING_TO_UPDATE;
    const fence = fenced ? update.fence : undefined;
    const shape = this.shapes.of(update.entity, fence ? 'fenced update' : 'update', fields, () =>
      this.build(this.dataSource.getMetadata(update.entity), fields, fence),
    );
    const params = converted(shape, fields, update.patch);
    params.push(update.id);
    if (fence) params.push(fence.flowName, fence.timeperiod, fence.holderId);
    return { sql: shape.sql, params };
  }

  private buildInsert(metadata: EntityMetadata, fields: readonly string[]): { sql: string; convert: ValueConverter[] } {
    const { driver } = this.dataSource;
    const columns = columnsOf(metadata, fields);
    const table = tableOf(metadata, driver);
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    const values = columns.map((_, i) => driver.createParameter(`p${i}`, i)).join(', ');
    return {
      sql: `INSERT INTO ${table} (${names}) VALUES (${values})`,
      convert: columns.map((column) => valueConverter(this.dataSource, column)),
    };
  }

  private build(
    metadata: EntityMetadata,
    fields: readonly string[],
    fence: LeaseFence | undefined,
  ): { sql: string; convert: ValueConverter[] } {
    const { driver } = this.dataSource;
    const columns = columnsOf(metadata, fields);
    const table = tableOf(metadata, driver);
    const set = columns.map((column, i) => `${driver.escape(column.databaseName)} = ${driver.createParameter(`p${i}`, i)}`);
    const id = metadata.primaryColumns[0];
    let where = `${driver.escape(id.databaseName)} = ${driver.createParameter('id', columns.length)}`;
    // The fence rides in the statement itself: proving the lease costs no round trip of its own.
    if (fence) where += ` AND ${this.fences.condition(fence, columns.length + 1).sql}`;
    return {
      sql: `UPDATE ${table} SET ${set.join(', ')} WHERE ${where}`,
      convert: columns.map((column) => valueConverter(this.dataSource, column)),
    };
  }
}

/** The columns of these fields of the entity, in their order. */
export function columnsOf(metadata: EntityMetadata, fields: readonly string[]): ColumnMetadata[] {
  return fields.map((field) => {
    const column = metadata.findColumnWithPropertyName(field);
    if (!column) throw new TypeError(`${metadata.name} has no column for field '${field}'`);
    return column;
  });
}

/** The entity's table, escaped: a schema-qualified path (PostgreSQL `schema.table`) part by part, as TypeORM does. */
export function tableOf(metadata: EntityMetadata, driver: DataSource['driver']): string {
  return metadata.tablePath
    .split('.')
    .map((part) => driver.escape(part))
    .join('.');
}

/** The fields a patch or row sets: TypeORM leaves the undefined ones alone. */
export function definedFields(values: Readonly<Record<string, unknown>>): string[] {
  const fields = Object.keys(values);
  // Nearly always every field is set: then the keys are the answer, with no second array.
  for (let i = 0; i < fields.length; i++) {
    if (values[fields[i]] === undefined) return fields.filter((field) => values[field] !== undefined);
  }
  return fields;
}

/** The values of `fields`, each converted for its column, in the shape's parameter order. */
function converted(shape: StatementShape, fields: readonly string[], values: Readonly<Record<string, unknown>>): unknown[] {
  const params: unknown[] = new Array(fields.length);
  for (let i = 0; i < fields.length; i++) params[i] = shape.convert[i](values[fields[i]]);
  return params;
}
