import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { RowUpdateStatements, type RowUpdate } from './row-update.statement';
import { SqliteBatchCommitter } from './sqlite-batch.committer';
import { runTransaction } from './transaction-runner';

type Write = (manager: EntityManager) => Promise<unknown>;
/**
 * A queued write: a state transition as data (`update`), or any other write as code. `onlyIf` is
 * asked when the batch is committed: false drops the write, and its promise resolves false.
 */
type Queued = { write?: Write; update?: RowUpdate; onlyIf?: () => boolean; resolve: (written: boolean) => void; reject: (err: unknown) => void };

/**
 * The one way this process writes to the database. Group commit: the state writes queued during one turn of the event loop are committed in one
 * transaction, in the order they were queued. Every caller's promise resolves only after its
 * write is committed, so nothing that depends on a transition can observe it before it is durable.
 */
export class WriteBatcher {
  private queue: Queued[] = [];
  private scheduled = false;
  /**
   * Transactions run one after the other, never concurrently: TypeORM's SQLite driver has one
   * connection, and two interleaved transactions on it fail ("cannot start a transaction within a
   * transaction"). Batches and exclusive transactions share this chain.
   */
  private chain: Promise<unknown> = Promise.resolve();

  private readonly statements: RowUpdateStatements;
  /** better-sqlite3 only: commits batches of row updates without TypeORM's per-query machinery. */
  private readonly sqlite: SqliteBatchCommitter | undefined;

  constructor(private readonly dataSource: DataSource) {
    this.statements = new RowUpdateStatements(dataSource);
    this.sqlite = SqliteBatchCommitter.for(dataSource, this.statements);
  }

  async enqueue(write: Write): Promise<void> {
    await this.push({ write });
  }

  /**
   * Queues a row update (a state transition) for the next group commit; resolves true once it is
   * committed. With `onlyIf`, the update is written only if that still holds when its batch is
   * committed (after everything else queued in the same turn of the event loop); else false.
   */
  update(update: RowUpdate, onlyIf?: () => boolean): Promise<boolean> {
    return this.push({ update, onlyIf });
  }

  private push(item: Pick<Queued, 'write' | 'update' | 'onlyIf'>): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ write: item.write, update: item.update, onlyIf: item.onlyIf, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          const batch = this.queue;
          this.queue = [];
          this.chain = this.chain.then(() => this.commit(batch));
        });
      }
    });
  }

  /** Runs `work` in its own transaction, after everything queued before it is committed. */
  exclusive<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = this.drain().then(() => {
      const run = this.chain.then(() => runTransaction(this.dataSource, work));
      this.chain = run.catch(() => undefined);
      return run;
    });
    return result;
  }

  /** Resolves once everything queued so far is committed. */
  async drain(): Promise<void> {
    while (this.queue.length || this.scheduled) await new Promise((r) => setImmediate(r));
    await this.chain;
  }

  private async commit(queued: typeof this.queue): Promise<void> {
    const batch = queued.filter((item) => {
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
    if (batch.length === 0) return;
    try {
      const updates = this.sqlite?.ready ? this.onlyUpdates(batch) : undefined;
      if (updates) {
        await this.sqlite!.commit(updates);
      } else {
        await runTransaction(this.dataSource, async (manager) => {
          for (const item of batch) await (item.update ? this.applyUpdate(manager, item.update) : item.write!(manager));
        });
      }
      for (const item of batch) item.resolve(true);
    } catch (err) {
      for (const item of batch) item.reject(err);
    }
  }

  /** The batch's row updates in order, if the whole batch is updates the fast path can commit. */
  private onlyUpdates(batch: readonly Queued[]): RowUpdate[] | undefined {
    const updates: RowUpdate[] = [];
    for (const item of batch) {
      if (!item.update || !this.statements.supports(item.update.entity)) return undefined;
      updates.push(item.update);
    }
    return updates;
  }

  private applyUpdate(manager: EntityManager, update: RowUpdate): Promise<unknown> {
    if (!this.statements.supports(update.entity)) return manager.update(update.entity as EntityTarget<ObjectLiteral>, { id: update.id }, update.patch);
    const { sql, params } = this.statements.compile(update);
    return sql ? manager.query(sql, params) : Promise.resolve();
  }
}
