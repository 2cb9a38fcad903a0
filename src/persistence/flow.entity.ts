import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { FlowState } from '../domain/states';
import type { FlowRecord, RunMode } from '../domain/flow-record';

export type { RunMode };

/** The index a scheduler tick reads a flow's unfinished rows through (ScheduleStore pins it on SQLite). */
export const FLOW_STATE_INDEX = 'ix_flow_name_state_timeperiod';

/** One run of a flow: the `flow` table, unique per [flow_name, timeperiod]. Public as the FlowRecord interface. */
@Entity({ name: 'flow' })
@Index('uq_flow_name_timeperiod', ['flowName', 'timeperiod'], { unique: true })
@Index(FLOW_STATE_INDEX, ['flowName', 'state', 'timeperiod'])
export class FlowEntity implements FlowRecord {
  @PrimaryGeneratedColumn({ name: 'id' })
  id: number;

  @Column({ name: 'flow_name', type: 'varchar', length: 255 })
  flowName: string;

  @Column({ name: 'timeperiod', type: 'varchar', length: 10 })
  timeperiod: string;

  @Column({ name: 'start_timeperiod', type: 'varchar', length: 10, nullable: true })
  startTimeperiod: string | null;

  @Column({ name: 'end_timeperiod', type: 'varchar', length: 10, nullable: true })
  endTimeperiod: string | null;

  @Column({ name: 'state', type: 'varchar', length: 16 })
  state: FlowState;

  @Column({ name: 'run_mode', type: 'varchar', length: 16 })
  runMode: RunMode;

  /** `datetime` (UTC text) on SQLite; `timestamptz` on PostgreSQL (fitTimestampColumns): an instant, whatever the engine's zone. */
  @Column({ type: Date, name: 'created_at' })
  createdAt: Date;

  @Column({ type: Date, name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column({ type: Date, name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
