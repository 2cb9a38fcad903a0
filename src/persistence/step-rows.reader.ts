import type { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { tableOf } from './row-update.statement';
import { StepEntity } from './step.entity';

/** One column of the `step` table: the field it fills and how its driver's value becomes the field's. */
interface StepColumn {
  property: keyof StepEntity;
  alias: string;
  metadata: ColumnMetadata;
}

/**
 * Reads `step` rows as StepEntity objects with one plain SELECT, each value converted by the
 * driver's own hydration (SQLite's UTC datetime text, PostgreSQL's integers and timestamptz),
 * instead of TypeORM's find(), whose per-row entity transformer was most of the read: of the
 * 1,000 rows the CLI reads back after each run for its table, and the engine before each recover,
 * run-one or run-from (bench/step-rows-read.ts measures both ways).
 */
export class StepRowsReader {
  private readonly columns: StepColumn[];
  /** The two reads' SQL, written once: the columns, placeholders and quoting of this database. */
  private readonly ofRunSql: string;
  private readonly ofFlowSql: string;

  constructor(private readonly dataSource: DataSource) {
    const { driver } = dataSource;
    const metadata = dataSource.getMetadata(StepEntity);
    this.columns = metadata.columns.map((metadata, i) => ({
      property: metadata.propertyName as keyof StepEntity,
      alias: `c${i}`,
      metadata,
    }));
    const name = (property: keyof StepEntity) => driver.escape(metadata.findColumnWithPropertyName(property)!.databaseName);
    const parameter = (index: number) => driver.createParameter(`p${index}`, index);
    const list = this.columns.map((c) => `${driver.escape(c.metadata.databaseName)} AS ${driver.escape(c.alias)}`).join(', ');
    const select = (where: string) => `SELECT ${list} FROM ${tableOf(metadata, driver)} WHERE ${where} ORDER BY ${name('id')}`;
    this.ofRunSql = select(`${name('flowName')} = ${parameter(0)} AND ${name('timeperiod')} = ${parameter(1)}`);
    this.ofFlowSql = select(`${name('flowId')} = ${parameter(0)}`);
  }

  /** Every step row of a run, in the order they were created. */
  ofRun(flowName: string, timeperiod: string, on: EntityManager | DataSource = this.dataSource): Promise<StepEntity[]> {
    return this.read(on, this.ofRunSql, [flowName, timeperiod]);
  }

  /** Every step row of a flow row (its id), in the order they were created. */
  ofFlow(flowId: number, on: EntityManager | DataSource = this.dataSource): Promise<StepEntity[]> {
    return this.read(on, this.ofFlowSql, [flowId]);
  }

  private async read(on: EntityManager | DataSource, sql: string, parameters: unknown[]): Promise<StepEntity[]> {
    const rows = await on.query<Array<Record<string, unknown>>>(sql, parameters);
    const { driver } = this.dataSource;
    return rows.map((row) => {
      const step = new StepEntity();
      for (const c of this.columns)
        (step as unknown as Record<string, unknown>)[c.property] = driver.prepareHydratedValue(row[c.alias], c.metadata);
      return step;
    });
  }
}
