import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { StepState } from '../domain/states';
import type { StepAttemptRecord } from '../domain/step-attempt-record';

/**
 * One try of one step in one run: the `step_attempt` table (DESIGN.md section 9). Its id is made
 * by the engine (`<runId>.<counter>`), not the database: the row is inserted in the same group
 * commit as the step's in_progress transition, and its end can be queued before that commit
 * returns any generated key. History reads a run's attempts by `run_id`.
 */
@Entity({ name: 'step_attempt', withoutRowid: true })
// PostgreSQL only (the migration creates it there): SQLite reads a run's attempts as a range of the key (attemptsOfRuns).
@Index('ix_step_attempt_run', { synchronize: false })
export class StepAttemptEntity implements StepAttemptRecord {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 48 })
  id: string;

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

  @Column({ type: Date, name: 'started_at' })
  startedAt: Date;

  @Column({ type: Date, name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'error', type: 'text', nullable: true })
  error: string | null;
}
