import { Column, Entity, Index, PrimaryColumn, type DataSource } from 'typeorm';
import type { StepState } from '../domain/states';
import type { StepAttemptRecord } from '../domain/step-attempt-record';

/**
 * One try of one step in one run: the `step_attempt` table (DESIGN.md section 9). Its id is a
 * 64-bit integer from its run's range (history/attempt-ids.ts), given by the engine when the
 * attempt ends: the row is inserted then, in the group commit of the step's transition, which
 * returns no generated key. History reads a run's attempts by `run_id` (PostgreSQL) or as the
 * run's range of ids (SQLite).
 */
@Entity({ name: 'step_attempt' })
// PostgreSQL only (the migration creates it there): SQLite reads a run's attempts as a range of the key (attemptsOfRuns).
@Index('ix_step_attempt_run', { synchronize: false })
export class StepAttemptEntity implements StepAttemptRecord {
  /** `bigint`; on SQLite `integer` (fitAttemptIdColumn). PostgreSQL hands bigints over as text: readers convert. */
  @PrimaryColumn({ name: 'id', type: 'bigint' })
  id: number;

  @Column({ name: 'run_id', type: 'varchar', length: 32 })
  runId: string;

  @Column({ name: 'flow_name', type: 'varchar', length: 255 })
  flowName: string;

  @Column({ name: 'timeperiod', type: 'varchar', length: 10 })
  timeperiod: string;

  @Column({ name: 'step_name', type: 'varchar', length: 255 })
  stepName: string;

  @Column({ name: 'attempt', type: 'integer' })
  attempt: number;

  @Column({ name: 'state', type: 'varchar', length: 16 })
  state: StepState;

  @Column({ name: 'cluster', type: 'varchar', length: 255, nullable: true })
  cluster: string | null;

  /** `datetime` (UTC text) on SQLite; `timestamptz` on PostgreSQL (fitTimestampColumns): an instant, whatever the engine's zone. */
  @Column({ type: Date, name: 'started_at' })
  startedAt: Date;

  @Column({ type: Date, name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'error', type: 'text', nullable: true })
  error: string | null;
}

/**
 * Declares the id column as the database has it. SQLite makes a column the table's rowid only if
 * its declared type is exactly `integer` (its integers are 64-bit anyway); PostgreSQL's `integer`
 * is 32-bit, too small for a run's range of ids. A decorator names one type for every database, so
 * each data source's metadata is fitted once it is built: the migrations and the schema check
 * then agree on both.
 */
export function fitAttemptIdColumn(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  dataSource.getMetadata(StepAttemptEntity).findColumnWithPropertyName('id')!.type = 'integer';
}
