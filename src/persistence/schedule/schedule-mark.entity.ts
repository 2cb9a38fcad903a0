import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How far a scheduled flow's periods are known to have their flow rows: the `schedule_mark` table,
 * one row per flow. Every period of `granularity` from `start_period` up to, not including,
 * `next_period` has a row in `flow`, so a scheduler that starts (or restarts) counts the periods
 * without a row from `next_period`, not from the schedule's start through a year of history.
 *
 * Rows of `flow` are only ever added by the engine; a deleted or re-keyed one (by hand) would make
 * the mark a lie, so triggers on `flow` (see the scheduler's migration) set `next_period` to NULL
 * and move `version` on: a NULL mark is recounted from the start, and a tick writes its mark only
 * over the version it read before counting.
 */
@Entity({ name: 'schedule_mark' })
export class ScheduleMarkRecord {
  @PrimaryColumn({ name: 'flow_name', type: 'varchar', length: 255 })
  flowName: string;

  /** The schedule's `start` the mark was counted from: a flow whose start moved earlier has uncounted periods before it. */
  @Column({ name: 'start_period', type: 'varchar', length: 10, nullable: true })
  startPeriod: string | null;

  /** The schedule's granularity when the mark was counted (`hourly`...): its periods are what the mark counts. */
  @Column({ name: 'granularity', type: 'varchar', length: 8, nullable: true })
  granularity: string | null;

  /** The first period that may have no flow row; NULL once a flow row was deleted (recount from the start). */
  @Column({ name: 'next_period', type: 'varchar', length: 10, nullable: true })
  nextPeriod: string | null;

  /** Moved on by every write of the row (a tick's advance, a trigger's reset): a tick writes only over the version it read. */
  @Column({ name: 'version', type: 'integer' })
  version: number;
}
