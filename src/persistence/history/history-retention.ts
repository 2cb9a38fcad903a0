import { debuglog } from 'node:util';
import { In, type DataSource } from 'typeorm';
import { FlowRunEntity } from '../flow-run.entity';
import { attemptsOfRunSql } from './attempts-of-runs';
import { tableOf } from '../row-update.statement';
import type { StateStore } from '../state-store';
import { StepAttemptEntity } from '../step-attempt.entity';
import { valueConverter } from '../value-converter';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Expired runs read at a time; their attempts then go ATTEMPT_ROWS_PER_TRANSACTION at a time. */
export const RETENTION_BATCH = 200;
/**
 * Attempt rows deleted per transaction. A batch of runs is not a bound on rows: 200 runs of a
 * 10,000-step flow are 2,000,000 attempt rows, one transaction of 2 s on SQLite, during which
 * every commit of the runs waited (SQLite has one writer, and its commits queue with these). This
 * many rows is a few milliseconds.
 */
export const ATTEMPT_ROWS_PER_TRANSACTION = 1_000;
/** How often the history is swept while the application is open (and once when it opens). */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

const debug = debuglog('synergy-flow');

/**
 * Deletes the history (`flow_run` and its `step_attempt` rows) of runs that ended more than
 * `keepDays` ago: once when the application opens its database, then every hour, on a timer that
 * keeps no process alive. It runs beside the runs, never inside one: each of its transactions is
 * short (ATTEMPT_ROWS_PER_TRANSACTION), and queued with the state writer's commits (the only way to
 * share SQLite's connection).
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
    private readonly attemptRowsPerTransaction = ATTEMPT_ROWS_PER_TRANSACTION,
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

  /**
   * Deletes the history that is too old, batch by batch; resolves to how many runs it deleted. A
   * run's attempt rows go first, a bounded number per transaction, and its `flow_run` row last: a
   * sweep stopped in between (a crash, close()) leaves an expired run with some of its attempts,
   * which the next sweep deletes, and never attempt rows that no run names, which no sweep would find.
   */
  async sweep(now = Date.now()): Promise<number> {
    const finishedAt = this.dataSource.getMetadata(FlowRunEntity).findColumnWithPropertyName('finishedAt')!;
    // The cutoff as the column stores it (SQLite keeps text): compared by the database, as written.
    const cutoff = valueConverter(this.dataSource, finishedAt)(new Date(now - this.keepDays * DAY_MS));
    let deleted = 0;
    while (!this.stopped) {
      const ids = await this.store.transaction(async (manager) =>
        (
          await manager
            .getRepository(FlowRunEntity)
            .createQueryBuilder('r')
            .select('r.runId', 'id')
            .where('r.finishedAt < :cutoff', { cutoff })
            .limit(RETENTION_BATCH)
            .getRawMany<{ id: string }>()
        ).map((r) => r.id),
      );
      if (ids.length === 0) break;
      // One run at a time: one range of ids (SQLite), one key of the run_id index (PostgreSQL).
      for (const runId of ids)
        while (!this.stopped && (await this.deleteSomeAttempts(runId)) === this.attemptRowsPerTransaction) await turn();
      if (this.stopped) break;
      await this.store.transaction((manager) => manager.delete(FlowRunEntity, { runId: In(ids) }));
      deleted += ids.length;
      if (ids.length < RETENTION_BATCH) break;
      await turn();
    }
    return deleted;
  }

  /** Deletes up to attemptRowsPerTransaction attempt rows of the run, in one transaction; how many it deleted. */
  private deleteSomeAttempts(runId: string): Promise<number> {
    const attempts = tableOf(this.dataSource.getMetadata(StepAttemptEntity), this.dataSource.driver);
    // Chosen in the database, not read into this process: one statement, whatever the run's size.
    const some = `SELECT id FROM ${attempts} WHERE ${attemptsOfRunSql(this.dataSource, 'id', 'runId')} LIMIT :rows`;
    return this.store.transaction(async (manager) => {
      const { affected } = await manager
        .createQueryBuilder()
        .delete()
        .from(StepAttemptEntity)
        .where(`id IN (${some})`, { runId, rows: this.attemptRowsPerTransaction })
        .execute();
      return affected ?? 0;
    });
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

/** Lets the runs' commits go between two of the sweep's transactions. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
