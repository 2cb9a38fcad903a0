import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { columnsOf, definedFields, tableOf, type CompiledUpdate, type RowInsert, type RowUpdate } from './row-update.statement';
import { StatementShapes, type StatementShape } from './statement-shapes';
import { valueConverter, type ValueConverter } from './value-converter';

/**
 * The planner settings the multi-row statements (compileUpdates, compileInserts) run under, for the
 * rest of their transaction only (`set_config(..., true)`, as SET LOCAL):
 * - **One plan, made once.** `plan_cache_mode = force_generic_plan`. Each statement is prepared once
 *   per connection, but PostgreSQL plans a prepared statement anew at every run until a plan for any
 *   parameters (generic) looks no dearer than the plans it made for the values given (custom). For
 *   a join to `unnest()` of array parameters it never does: it planned every multi-row statement of
 *   every group commit again, ~0.11 ms of a ~0.6 ms commit here (bench/postgres-commit-cost.ts).
 * - **A join through the primary key, whatever the table's size.** Hash and merge joins and
 *   sequential scans off. The generic plan is made once, on the connection's first group commit: on
 *   a new database, before autovacuum has analysed the step table, the planner thought it empty,
 *   and a plan made then (a hash join over a scan of the whole table) would be kept as the table
 *   grew; every group commit would then read every step row ever written, as a 1,000-step run once
 *   did at half its speed. With those off, even a plan made on an empty table looks each row up in the index.
 */
export const BATCH_PLAN_SETTINGS: Readonly<{ sql: string; params: readonly unknown[] }> = {
  sql:
    "SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_hashjoin', 'off', true), " +
    "set_config('enable_mergejoin', 'off', true), set_config('enable_seqscan', 'off', true)",
  params: [],
};

/**
 * PostgreSQL: many row updates (or inserts) of one entity and one set of fields as ONE statement,
 * each column's values bound as one array parameter and read back with `unnest()`:
 *
 *   UPDATE step AS t SET state = v.state, ... FROM unnest($1::varchar[], ..., $n::integer[]) AS v(state, ..., id) WHERE t.id = v.id
 *   INSERT INTO step_attempt (id, ...) SELECT * FROM unnest($1::varchar[], ...)
 *
 * The SQL depends only on the entity and the fields, never on the number of rows, so the server
 * prepares it once per connection. The rows must be distinct (an UPDATE ... FROM changes a row
 * once); the caller sends anything else statement by statement (PostgresStateWriter).
 */
export class RowBatchStatements {
  private readonly shapes = new StatementShapes();

  constructor(private readonly dataSource: DataSource) {}

  /** One UPDATE of every row of `updates`: same entity, same defined fields (RowUpdateStatements.shapeOf). */
  compileUpdates(updates: readonly RowUpdate[]): CompiledUpdate {
    const first = updates[0];
    const fields = definedFields(first.patch);
    const shape = this.shapeOf(first.entity, 'update', fields);
    const params = columnArrays(shape.convert, fields, updates.length, (i) => updates[i].patch);
    params.push(updates.map((u) => u.id));
    return { sql: shape.sql, params };
  }

  /** One INSERT of every row of `inserts`: same entity, same defined fields. */
  compileInserts(inserts: readonly RowInsert[]): CompiledUpdate {
    const first = inserts[0];
    const fields = definedFields(first.row);
    const shape = this.shapeOf(first.entity, 'insert', fields);
    return { sql: shape.sql, params: columnArrays(shape.convert, fields, inserts.length, (i) => inserts[i].row) };
  }

  /** The statement of one entity, kind and set of fields, built once. */
  private shapeOf(entity: RowUpdate['entity'], kind: 'update' | 'insert', fields: readonly string[]): StatementShape {
    return this.shapes.of(entity, kind, fields, () =>
      kind === 'update' ? this.buildUpdate(entity, fields) : this.buildInsert(entity, fields),
    );
  }

  private buildUpdate(entity: RowUpdate['entity'], fields: readonly string[]): StatementShape {
    const metadata = this.dataSource.getMetadata(entity);
    const { driver } = this.dataSource;
    const columns = columnsOf(metadata, fields);
    const id = metadata.primaryColumns[0];
    const names = [...columns, id].map((column) => driver.escape(column.databaseName));
    const set = columns.map((column) => `${driver.escape(column.databaseName)} = v.${driver.escape(column.databaseName)}`);
    const sql =
      `UPDATE ${tableOf(metadata, driver)} AS t SET ${set.join(', ')} FROM ${this.unnest([...columns, id])} AS v(${names.join(', ')}) ` +
      `WHERE t.${driver.escape(id.databaseName)} = v.${driver.escape(id.databaseName)}`;
    return { sql, convert: columns.map((column) => valueConverter(this.dataSource, column)) };
  }

  private buildInsert(entity: RowInsert['entity'], fields: readonly string[]): StatementShape {
    const metadata = this.dataSource.getMetadata(entity);
    const { driver } = this.dataSource;
    const columns = columnsOf(metadata, fields);
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    const sql = `INSERT INTO ${tableOf(metadata, driver)} (${names}) SELECT * FROM ${this.unnest(columns)}`;
    return { sql, convert: columns.map((column) => valueConverter(this.dataSource, column)) };
  }

  /** `unnest($1::<type>[], ...)`: each parameter an array of one column's values, typed as the column. */
  private unnest(columns: readonly ColumnMetadata[]): string {
    const { driver } = this.dataSource;
    const arrays = columns.map((column, i) => `${driver.createParameter(`c${i}`, i)}::${driver.normalizeType(column)}[]`);
    return `unnest(${arrays.join(', ')})`;
  }
}

/** One array per column, its values converted as the single-row statements convert them. */
function columnArrays(
  convert: readonly ValueConverter[],
  fields: readonly string[],
  rows: number,
  valuesOf: (row: number) => Readonly<Record<string, unknown>>,
): unknown[][] {
  return fields.map((field, c) => Array.from({ length: rows }, (_, r) => convert[c](valuesOf(r)[field])));
}
