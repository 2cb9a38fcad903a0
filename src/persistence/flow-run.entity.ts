import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { FlowState } from '../domain/states';
import type { RunMode } from '../domain/flow-record';
import type { RunTrigger } from '../domain/run-id';
import type { FlowRunRecord } from '../domain/flow-run-record';

/**
 * One run of a flow, kept after the next run of its [flow_name, timeperiod] overwrote the `flow`
 * row: the `flow_run` table (DESIGN.md section 9). Its id is the run id the engine made, so every
 * event and log line of the run names its row. History lists a flow's runs newest first, all of
 * them or one timeperiod's: the two indexes lead with what those reads ask for.
 */
@Entity({ name: 'flow_run' })
@Index('ix_flow_run_flow_started', ['flowName', 'startedAt'])
@Index('ix_flow_run_flow_timeperiod', ['flowName', 'timeperiod', 'startedAt'])
@Index('ix_flow_run_finished', ['finishedAt'])
export class FlowRunEntity implements Omit<FlowRunRecord, 'attempts'> {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 32 })
  runId: string;

  @Column({ name: 'flow_name', type: 'varchar', length: 255 })
  flowName: string;

  @Column({ name: 'timeperiod', type: 'varchar', length: 10 })
  timeperiod: string;

  @Column({ name: 'run_mode', type: 'varchar', length: 16 })
  runMode: RunMode;

  @Column({ name: 'step_name', type: 'varchar', length: 255, nullable: true })
  stepName: string | null;

  @Column({ name: 'trigger', type: 'varchar', length: 16 })
  trigger: RunTrigger;

  @Column({ name: 'state', type: 'varchar', length: 16 })
  state: FlowState;

  @Column({ name: 'host', type: 'varchar', length: 255 })
  host: string;

  @Column({ name: 'pid', type: 'integer' })
  pid: number;

  /** The engine's instance id (ProcessIdentity): null on runs recorded before the column. */
  @Column({ name: 'instance_id', type: 'varchar', length: 36, nullable: true })
  instanceId: string | null;

  /** `datetime` (UTC text) on SQLite; `timestamptz` on PostgreSQL (fitTimestampColumns): an instant, whatever the engine's zone. */
  @Column({ type: Date, name: 'started_at' })
  startedAt: Date;

  @Column({ type: Date, name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'error', type: 'text', nullable: true })
  error: string | null;

  /**
   * The run's number, which opens the range of its attempt ids (history/attempt-ids.ts). Stored,
   * not SQLite's rowid: VACUUM renumbers the rowids of a table keyed by text. Never read as part of
   * the run's record.
   */
  @Column({ name: 'run_number', type: 'bigint', select: false })
  @Index('uq_flow_run_number', { unique: true })
  runNumber?: number;
}
