import type { DataSource } from 'typeorm';
import { EntityRowsReader } from '../entity-rows.reader';
import { StepAttemptEntity } from '../step-attempt.entity';
import { attemptsOfRunsSql } from './attempts-of-runs';

/**
 * Reads the `step_attempt` rows of runs with one plain SELECT (EntityRowsReader) instead of
 * TypeORM's find(), whose per-row entity transformer was most of a history read: 20 runs of a
 * 10,000-step flow are 200,000 rows (bench/attempt-rows-read.ts measures both ways). The rows are
 * found as attemptsOfRuns says.
 */
export class AttemptRowsReader {
  private readonly rows: EntityRowsReader<StepAttemptEntity>;

  constructor(private readonly dataSource: DataSource) {
    // PostgreSQL hands the bigint id over as text; its values are safe integers (attempt-ids.ts).
    this.rows = new EntityRowsReader(dataSource, StepAttemptEntity, { id: Number });
  }

  /** Every attempt row of these runs, in the order of their ids (a run's count up as its attempts ended). */
  ofRuns(runIds: readonly string[]): Promise<StepAttemptEntity[]> {
    if (runIds.length === 0) return Promise.resolve([]);
    const { where, parameters } = attemptsOfRunsSql(
      this.dataSource,
      runIds,
      (property) => this.rows.column(property),
      (index) => this.rows.parameter(index),
    );
    return this.rows.read(this.rows.select(where, 'id'), parameters);
  }
}
