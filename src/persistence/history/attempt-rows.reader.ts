import type { DataSource } from 'typeorm';
import { EntityRowsReader } from '../entity-rows.reader';
import { StepAttemptEntity } from '../step-attempt.entity';
import { attemptsOfRunsSql, type AttemptsOfRunsSql } from './attempts-of-runs';

/**
 * Reads the `step_attempt` rows of runs with plain SELECTs (EntityRowsReader) instead of TypeORM's
 * find(), whose per-row entity transformer was most of a history read: 20 runs of a 10,000-step
 * flow are 200,000 rows (bench/attempt-rows-read.ts measures both ways). The rows are found as
 * attemptsOfRuns says: one SELECT on PostgreSQL, one a run on SQLite. Both statements (every
 * step's rows, one step's) are written once, as StepRowsReader's are.
 */
export class AttemptRowsReader {
  private readonly rows: EntityRowsReader<StepAttemptEntity>;
  private readonly runs: AttemptsOfRunsSql;
  private readonly ofRunsSql: string;
  private readonly ofStepSql: string;

  constructor(dataSource: DataSource) {
    // PostgreSQL hands the bigint id over as text; its values are safe integers (attempt-ids.ts).
    const rows = (this.rows = new EntityRowsReader(dataSource, StepAttemptEntity, { id: Number }));
    const runs = (this.runs = attemptsOfRunsSql(
      dataSource,
      (property) => rows.column(property),
      (index) => rows.parameter(index),
    ));
    this.ofRunsSql = rows.select(runs.where, 'id');
    this.ofStepSql = rows.select(`(${runs.where}) AND ${rows.column('stepName')} = ${rows.parameter(runs.parameterCount)}`, 'id');
  }

  /**
   * Every attempt row of these runs, or only those of the step `stepName`, in the order of their ids
   * (a run's count up as its attempts ended). The step is a condition of the SELECT: a page that
   * shows one step of a 10,000-step run gets its rows, not the run's 10,000.
   */
  async ofRuns(runIds: readonly string[], stepName?: string): Promise<StepAttemptEntity[]> {
    if (runIds.length === 0) return [];
    if (runIds.length === 1 || !this.runs.oneRunPerRead) return this.read(runIds, stepName);
    // A run's ids are one range of its own, so the runs' rows, each run's in id order, are in id
    // order once the runs are.
    const ofEach = await Promise.all(runIds.map((runId) => this.read([runId], stepName)));
    return ofEach
      .filter((rows) => rows.length > 0)
      .sort((a, b) => a[0].id - b[0].id)
      .flat();
  }

  private read(runIds: readonly string[], stepName: string | undefined): Promise<StepAttemptEntity[]> {
    const parameters = this.runs.parameters(runIds);
    if (stepName === undefined) return this.rows.read(this.ofRunsSql, parameters);
    return this.rows.read(this.ofStepSql, [...parameters, stepName]);
  }
}
