import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../flow-lease.entity';

/** A flow whose scheduling is paused: the `schedule_pause` table, one row per paused flow, so a restart keeps it paused. */
@Entity({ name: 'schedule_pause' })
export class SchedulePauseRecord {
  @PrimaryColumn({ name: 'flow_name', type: 'varchar', length: 255 })
  flowName: string;

  /** Epoch milliseconds (the pausing scheduler's clock). */
  @Column({ name: 'paused_at', type: 'bigint', transformer: epochMillis })
  pausedAt: number;
}
