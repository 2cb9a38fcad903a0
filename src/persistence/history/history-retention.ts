import { debuglog } from 'node:util';
import { In, type DataSource } from 'typeorm';
import { FlowRunEntity } from '../flow-run.entity';
import { attemptsOfRuns } from './attempts-of-runs';
import type { StateStore } from '../state-store';
import { StepAttemptEntity } from '../step-attempt.entity';
import { valueConverter } from '../value-converter';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Runs deleted per transaction: each is short, so the runs' own commits never wait long behind one. */
export const RETENTION_BATCH = 200;
/** How often the history is swept while the application is open (and once when it opens). */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

const debug = debuglog('synergy-flow');

/**
 * Deletes the history (`flow_run` and its `step_attempt` rows) of runs that ended more than
 * `keepDays` ago: once when the application opens its database, then every hour, on a timer that
 * keeps no process alive. It runs beside the runs, never inside one: each batch is a transaction
 * of its own, queued with the state writer's commits (the only way to share SQLite's connection).
 * Runs still in progress (no finished_at) are never deleted.
 */
export class HistoryRetention {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: StateStore,
    private readonly keepDays: number,
    private readonly intervalMs = RETENTION_INTERVAL_MS,
  ) {}

  /** Sweeps now, in the background, and every interval after. */
  start(): void {
    void this.sweepInBackground();
    this.timer = setInterval(() => void this.sweepInBackground(), this.intervalMs);
    this.timer.unref();
  }

  /** No more sweeps; resolves once a sweep under way has finished its batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /** Deletes the history that is too old, batch by batch; resolves to how many runs it deleted. */
  async sweep(now = Date.now()): Promise<number> {
    const finishedAt = this.dataSource.getMetadata(FlowRunEntity).findColumnWithPropertyName('finishedAt')!;
    // The cutoff as the column stores it (SQLite keeps text): compared by the database, as written.
    const cutoff = valueConverter(this.dataSource, finishedAt)(new Date(now - this.keepDays * DAY_MS));
    let deleted = 0;
    while (!this.stopped) {
      const batch = await this.store.transaction(async (manager) => {
        const rows = await manager
          .getRepository(FlowRunEntity)
          .createQueryBuilder('r')
          .select('r.runId', 'id')
          .where('r.finishedAt < :cutoff', { cutoff })
          .limit(RETENTION_BATCH)
          .getRawMany<{ id: string }>();
        const ids = rows.map((r) => r.id);
        if (ids.length) {
          for (const where of attemptsOfRuns(this.dataSource, ids)) await manager.delete(StepAttemptEntity, where);
          await manager.delete(FlowRunEntity, { runId: In(ids) });
        }
        return ids.length;
      });
      deleted += batch;
      if (batch < RETENTION_BATCH) break;
      // Lets the runs' commits go between two batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return deleted;
  }

  private async sweepInBackground(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = this.sweep();
    try {
      const deleted = await this.sweeping;
      if (deleted) debug('history: deleted %d run(s) that ended more than %d days ago', deleted, this.keepDays);
    } catch (err) {
      // A database outage: the next sweep tries again; the runs themselves report theirs.
      debug('history: the sweep failed: %s', (err as Error)?.message ?? err);
    } finally {
      this.sweeping = undefined;
    }
  }
}
