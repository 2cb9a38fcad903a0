import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../flow-lease.entity';

/** Why a scheduler started a run of a period: its first run, a retry of a failure, or a run whose scheduler died. */
export type ClaimKind = 'run' | 'retry' | 'takeover';

/**
 * One run a scheduler started, or is about to: the `schedule_claim` table, one row per
 * [flow_name, timeperiod, attempt]. Its primary key is what makes a run start once across every
 * scheduler on the database: each inserts the row of the attempt it means to start, and only the
 * one whose insert went in starts it.
 */
@Entity({ name: 'schedule_claim' })
// Partial: a tick asks for the few claims still open among a flow's thousands; a full index of
// [flow_name, finished_at] left the planner scanning the table.
@Index('ix_schedule_claim_open', ['flowName'], { where: 'finished_at IS NULL' })
export class ScheduleClaimRecord {
  @PrimaryColumn({ name: 'flow_name', type: 'varchar', length: 255 })
  flowName: string;

  @PrimaryColumn({ name: 'timeperiod', type: 'varchar', length: 10 })
  timeperiod: string;

  /** 1 for the period's first run, then one more for each retry or takeover. */
  @PrimaryColumn({ name: 'attempt', type: 'integer' })
  attempt: number;

  @Column({ name: 'kind', type: 'varchar', length: 16 })
  kind: ClaimKind;

  /** The claiming scheduler (a random id per `app.scheduler()`), so a live one is told from a dead one. */
  @Column({ name: 'holder_id', type: 'varchar', length: 36 })
  holderId: string;

  @Column({ name: 'host', type: 'varchar', length: 255 })
  host: string;

  @Column({ name: 'pid', type: 'integer' })
  pid: number;

  /** The claiming scheduler's process's random id (ProcessIdentity): null on rows of versions before it. */
  @Column({ name: 'instance_id', type: 'varchar', length: 36, nullable: true })
  instanceId: string | null;

  /** Where its pid means something: `<boot id>/<PID namespace inode>`, null where unknown or on older rows. */
  @Column({ name: 'pid_namespace', type: 'varchar', length: 64, nullable: true })
  pidNamespace: string | null;

  /** Epoch milliseconds by the database's clock (like the lease's), to judge a silent claimer on another host. */
  @Column({ name: 'claimed_at', type: 'bigint', transformer: epochMillis })
  claimedAt: number;

  /** Epoch milliseconds by the scheduler's clock (its `Clock`, which a spec sets): a retry is due retryDelayMs after it. */
  @Column({ name: 'finished_at', type: 'bigint', nullable: true, transformer: epochMillis })
  finishedAt: number | null;

  /** The run's final flow state (`processed`, `invalid`...), or `abandoned` when its scheduler died. */
  @Column({ name: 'outcome', type: 'varchar', length: 16, nullable: true })
  outcome: string | null;
}
