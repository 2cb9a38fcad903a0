import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { StepState } from '../domain/states';
import type { StepRecord } from '../domain/step-record';

/**
 * One step of one flow run: the `step` table, unique per [flow_name, timeperiod, step_name]. The
 * unique index leads with the run ([flow_name, timeperiod]), which is how every read asks for steps.
 * Public as the StepRecord interface.
 */
@Entity({ name: 'step' })
@Index('uq_step_flow_timeperiod_step', ['flowName', 'timeperiod', 'stepName'], { unique: true })
@Index('ix_step_flow_id', ['flowId'])
export class StepEntity implements StepRecord {
  @PrimaryGeneratedColumn({ name: 'id' })
  id: number;

  @Column({ name: 'flow_id', type: 'integer' })
  flowId: number;

  @Column({ name: 'flow_name', type: 'varchar', length: 255 })
  flowName: string;

  @Column({ name: 'step_name', type: 'varchar', length: 255 })
  stepName: string;

  @Column({ name: 'timeperiod', type: 'varchar', length: 10 })
  timeperiod: string;

  @Column({ name: 'state', type: 'varchar', length: 16 })
  state: StepState;

  /** 1 for the first attempt of the latest execution; grows with retries. */
  @Column({ name: 'attempt', type: 'integer', default: 0 })
  attempt: number;

  /** `datetime` (UTC text) on SQLite; `timestamptz` on PostgreSQL (fitTimestampColumns): an instant, whatever the engine's zone. */
  @Column({ type: Date, name: 'created_at' })
  createdAt: Date;

  @Column({ type: Date, name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column({ type: Date, name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  /** Why the last attempt failed (secrets redacted); null unless invalid or canceled. */
  @Column({ name: 'error', type: 'text', nullable: true })
  error: string | null;

  /**
   * The run whose attempt the row shows (set with its start), null before any: what ties an attempt
   * in flight, read from this row, to its run. Null on rows a release before run history wrote.
   */
  @Column({ name: 'run_id', type: 'varchar', length: 32, nullable: true })
  runId: string | null;

  /**
   * The cluster the latest attempt started on, set with its start: what the history shows of an
   * attempt in flight, and records of one its engine never ended. Null before any, for a skipped
   * step or one that got no cluster, and on rows a release before it wrote.
   */
  @Column({ name: 'cluster', type: 'varchar', length: 255, nullable: true })
  cluster: string | null;
}
