import type { DataSource, EntityManager } from 'typeorm';
import { CommitScheduler } from './commit-scheduler';
import { retryThroughOutage } from './database-outage';
import { RefusedByFence, refusalReason, type LeaseFence } from './lease/lease-fence';
import { RowUpdateStatements, type RowInsert, type RowUpdate } from './row-update.statement';
import { runTransaction } from './transaction-runner';
import type { StateWriter } from '../domain/state-writer.port';

type Write = (manager: EntityManager) => Promise<unknown>;
/**
 * A queued write: a state transition as data (`update`), or any other write as code. `onlyIf` is
 * asked when the batch is committed: false drops the write, and its promise resolves false.
 */
type QueuedWrite = (
  | { update: RowUpdate; insert?: undefined; write?: undefined }
  | { insert: RowInsert; update?: undefined; write?: undefined }
  | { write: Write; update?: undefined; insert?: undefined }
) & {
  fence?: LeaseFence;
  onlyIf?: () => boolean;
};
export type Queued = QueuedWrite & { resolve: (written: boolean) => void; reject: (err: unknown) => void };

/** The outcome of a write queued with no promise (insertWithPrevious): its caller learns it from the write before it. */
const IGNORED = (): void => undefined;

export interface StateWriterOptions {
  /**
   * How long a transaction is tried again while the database is unreachable (a restart, a short
   * outage) before its writes fail: the lease TTL, past which another engine may take the run over.
   */
  outageMs: number;
}

/**
 * The base of the SQLite and PostgreSQL StateWriters, and their way for what their fast paths do
 * not take (writes given as code, `exclusive` work): every group commit is one TypeORM
 * transaction; row updates run as compiled statements (RowUpdateStatements) on its query runner,
 * their fence riding in the statement's WHERE. The contract is the port's (src/domain).
 */
export class TypeOrmStateWriter implements StateWriter<EntityManager> {
  private queue: Queued[] = [];
  private scheduled = false;
  /**
   * When transactions run (group commits and exclusive work alike). Here every one runs alone, one
   * after the other: TypeORM's SQLite driver has one connection, and two interleaved transactions
   * on it fail ("cannot start a transaction within a transaction"). A subclass lets group commits
   * overlap (rowsOf, maxInFlight).
   */
  private readonly scheduler = new CommitScheduler(() => this.maxInFlight());

  protected readonly statements: RowUpdateStatements;

  constructor(
    protected readonly dataSource: DataSource,
    protected readonly options: StateWriterOptions,
  ) {
    this.statements = new RowUpdateStatements(dataSource);
  }

  /** Queues any write for the next group commit; with `fence`, it is made only while that lease is held. */
  async enqueue(write: Write, fence?: LeaseFence): Promise<void> {
    await this.push({ write, fence });
  }

  /**
   * Queues a row update (a state transition) for the next group commit; resolves true once it is
   * committed. With `onlyIf`, the update is written only if that still holds when its batch is
   * committed (after everything else queued in the same turn of the event loop); else false.
   */
  update(update: RowUpdate, onlyIf?: () => boolean): Promise<boolean> {
    return this.push({ update, fence: update.fence, onlyIf });
  }

  /** Queues a row insert for the next group commit, as `update` does. */
  insert(insert: RowInsert, onlyIf?: () => boolean): Promise<boolean> {
    return this.push({ insert, fence: insert.fence, onlyIf });
  }

  insertWithPrevious(insert: RowInsert, onlyIf?: () => boolean): void {
    this.queueItem({ insert, fence: insert.fence, onlyIf }, IGNORED, IGNORED);
  }

  private push(item: QueuedWrite): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => this.queueItem(item, resolve, reject));
  }

  private queueItem(item: QueuedWrite, resolve: Queued['resolve'], reject: Queued['reject']): void {
    // Every field set, in one order: all queued items share one shape.
    this.queue.push({
      write: item.write,
      update: item.update,
      insert: item.insert,
      fence: item.fence,
      onlyIf: item.onlyIf,
      resolve,
      reject,
    } as Queued);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.queue;
      this.queue = [];
      let rows: ReadonlySet<string> | undefined;
      try {
        rows = this.rowsOf(batch);
      } catch {
        // Alone, then: its commit meets the same failure, and tells its writes.
        rows = undefined;
      }
      // commit() settles every promise of the batch itself; should it throw, no write is left unsettled.
      this.scheduler
        .run(rows, () => this.commit(batch))
        .catch((err: unknown) => {
          for (const queued of batch) queued.reject(err);
        });
    });
  }

  /**
   * Runs `work` in its own transaction, after everything queued before it is committed; with
   * `fence`, only while that lease is held (else the lease's error, and nothing is written).
   */
  exclusive<T>(work: (manager: EntityManager) => Promise<T>, fence?: LeaseFence): Promise<T> {
    const fenced = fence ? async (manager: EntityManager) => (await this.assertFence(manager, fence), work(manager)) : work;
    return this.drain().then(() =>
      this.scheduler
        .run(undefined, () => this.transaction(fenced))
        .catch((err: unknown) => {
          throw err instanceof RefusedByFence ? err.fence.refuse(err.reason) : err;
        }),
    );
  }

  /** Resolves once everything queued so far is committed. */
  async drain(): Promise<void> {
    while (this.queue.length || this.scheduled) await new Promise((r) => setImmediate(r));
    await this.scheduler.idle();
  }

  /**
   * What a group commit writes, as keys (its rows by table and primary key, its runs), if it may be
   * committed while other group commits that share none of them are in flight; undefined: it is
   * committed alone, after every commit before it and before any after it. Here: always alone.
   */
  protected rowsOf(_batch: readonly Queued[]): ReadonlySet<string> | undefined {
    return undefined;
  }

  /** How many transactions may be in flight at once; 1: one after the other. */
  protected maxInFlight(): number {
    return 1;
  }

  private async commit(queued: Queued[]): Promise<void> {
    let batch = queued.filter((item) => {
      if (!item.onlyIf) return true;
      let keep: boolean;
      try {
        keep = item.onlyIf();
      } catch (err) {
        // Its own caller hears of it; the rest of the batch is committed all the same.
        item.reject(err);
        return false;
      }
      if (!keep) item.resolve(false);
      return keep;
    });
    while (batch.length > 0) {
      try {
        await this.commitBatch(batch);
        for (const item of batch) item.resolve(true);
        return;
      } catch (err) {
        if (!(err instanceof RefusedByFence)) {
          for (const item of batch) item.reject(err);
          return;
        }
        // That run's writes are refused; the other runs' writes of the batch are committed without them.
        const lost = err.fence.refuse(err.reason);
        const refused = batch.filter((item) => item.fence?.holderId === err.fence.holderId);
        batch = batch.filter((item) => item.fence?.holderId !== err.fence.holderId);
        for (const item of refused) item.reject(lost);
      }
    }
  }

  /**
   * Commits one group commit's writes in one transaction, in order; throws RefusedByFence (and
   * writes nothing) if a fenced write finds its lease gone.
   */
  protected commitBatch(batch: readonly Queued[]): Promise<void> {
    return this.transaction(async (manager) => {
      // The leases this transaction has proven: an insert of one of them needs no proof of its own.
      const proven = new Set<LeaseFence>();
      for (const item of batch) {
        if (item.update) {
          if (await this.applyUpdate(manager, item.update)) proven.add(item.update.fence!);
        } else if (item.insert) {
          if (item.fence && !proven.has(item.fence)) {
            await this.assertFence(manager, item.fence);
            proven.add(item.fence);
          }
          await this.applyInsert(manager, item.insert);
        } else {
          if (item.fence) await this.assertFence(manager, item.fence);
          await item.write(manager);
        }
      }
    });
  }

  /** One transaction, tried again through lock contention (runTransaction) and through a short outage. */
  private transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return retryThroughOutage(() => runTransaction(this.dataSource, work), this.options.outageMs);
  }

  /** Throws RefusedByFence unless the lease is still held (PostgreSQL: and keeps it so until commit). */
  private async assertFence(manager: EntityManager, fence: LeaseFence): Promise<void> {
    const { sql, params } = this.statements.fences.holderQuery(fence);
    const rows = await manager.query<Parameters<typeof refusalReason>[1][]>(sql, params);
    const reason = refusalReason(fence, rows[0]);
    if (reason) throw new RefusedByFence(fence, reason);
  }

  /** Applies the update; true if it proved its fence (it had one, and the lease is still held). */
  private async applyUpdate(manager: EntityManager, update: RowUpdate): Promise<boolean> {
    if (!this.statements.supports(update.entity)) {
      if (update.fence) await this.assertFence(manager, update.fence);
      await manager.update(update.entity, { id: update.id }, update.patch);
      return update.fence !== undefined;
    }
    const { sql, params } = this.statements.compile(update);
    if (!sql) return false;
    const result = await manager.queryRunner!.query(sql, params, true);
    // Changed nothing: the lease is gone, or (while it is still ours) the row is.
    if (update.fence && result.affected === 0) await this.assertFence(manager, update.fence);
    return update.fence !== undefined;
  }

  private async applyInsert(manager: EntityManager, insert: RowInsert): Promise<void> {
    if (!this.statements.supportsInsert(insert.entity)) {
      await manager.insert(insert.entity, insert.row);
      return;
    }
    const { sql, params } = this.statements.compileInsert(insert);
    await manager.queryRunner!.query(sql, params);
  }
}
