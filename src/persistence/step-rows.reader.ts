import type { DataSource, EntityManager } from 'typeorm';
import { EntityRowsReader } from './entity-rows.reader';
import { StepEntity } from './step.entity';

/**
 * Reads `step` rows as StepEntity objects with one plain SELECT (EntityRowsReader) instead of
 * TypeORM's find(), whose per-row entity transformer was most of the read: of the 1,000 rows the
 * CLI reads back after each run for its table, and the engine before each recover, run-one or
 * run-from (bench/step-rows-read.ts measures both ways).
 */
export class StepRowsReader {
  private readonly rows: EntityRowsReader<StepEntity>;
  /** The two reads' SQL, written once: the columns, placeholders and quoting of this database. */
  private readonly ofRunSql: string;
  private readonly ofFlowSql: string;

  constructor(dataSource: DataSource) {
    const rows = (this.rows = new EntityRowsReader(dataSource, StepEntity));
    this.ofRunSql = rows.select(
      `${rows.column('flowName')} = ${rows.parameter(0)} AND ${rows.column('timeperiod')} = ${rows.parameter(1)}`,
      'id',
    );
    this.ofFlowSql = rows.select(`${rows.column('flowId')} = ${rows.parameter(0)}`, 'id');
  }

  /** Every step row of a run, in the order they were created. */
  ofRun(flowName: string, timeperiod: string, on?: EntityManager | DataSource): Promise<StepEntity[]> {
    return this.rows.read(this.ofRunSql, [flowName, timeperiod], on);
  }

  /** Every step row of a flow row (its id), in the order they were created. */
  ofFlow(flowId: number, on?: EntityManager | DataSource): Promise<StepEntity[]> {
    return this.rows.read(this.ofFlowSql, [flowId], on);
  }
}
