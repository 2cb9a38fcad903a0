import type { Database, Statement } from 'better-sqlite3';
import { QueryFailedError, type DataSource } from 'typeorm';
import { RefusedByFence, refusalReason, type LeaseFence } from './lease/lease-fence';
import type { RowInsert, RowUpdate, RowUpdateStatements } from './row-update.statement';

/** What one batch holds: row updates, and inserts (told apart by their `row`). */
type RowWrite = RowUpdate | RowInsert;
import { sqliteConnection } from './sqlite-connection';
import { retryTransient, TRANSACTION_RETRY } from './transient-retry';

/**
 * Commits a batch of row updates and inserts on TypeORM's own better-sqlite3 connection, in one synchronous
 * `BEGIN IMMEDIATE` transaction of prepared statements. Immediate takes the write lock up front,
 * under the busy timeout, like the transaction runner does for TypeORM's transactions; lock
 * contention that outlasts the timeout is retried the same way. Same connection, same journal and
 * sync settings: a commit here is exactly as durable as TypeORM's, at a fraction of the CPU.
 */
export class SqliteBatchCommitter {
  private readonly statements = new Map<string, Statement>();
  private readonly commitAll: { immediate(updates: readonly RowWrite[]): void };

  private constructor(
    private readonly db: Database,
    compiler: RowUpdateStatements,
  ) {
    this.commitAll = db.transaction((updates: readonly RowWrite[]) => {
      // The transaction holds the write lock, so no takeover commits before it does: a lease
      // proven once holds for the whole batch. The proof rides in the first update of each lease
      // (a statement that runs anyway); the lease's other updates go without it. An insert (an
      // attempt row, queued after its step's update) whose lease is not proven yet asks first.
      let proven: LeaseFence | undefined;
      const provenBefore = new Set<LeaseFence>();
      const prove = (fence: LeaseFence) => {
        if (proven) provenBefore.add(proven);
        proven = fence;
      };
      for (const write of updates) {
        const { fence } = write;
        const unproven = fence !== undefined && fence !== proven && !provenBefore.has(fence);
        if ('row' in write) {
          if (unproven) {
            this.assertHolder(compiler, fence);
            prove(fence);
          }
          const { sql, params } = compiler.compileInsert(write);
          this.run(sql, params);
          continue;
        }
        const { sql, params } = compiler.compile(write, unproven);
        if (!sql) continue;
        const changes = this.run(sql, params);
        if (!unproven) continue;
        // Changed nothing: the lease is gone, or (while it is still ours) the row is.
        if (changes === 0) this.assertHolder(compiler, fence);
        prove(fence);
      }
    });
  }

  /** Throws RefusedByFence unless the lease is still held. */
  private assertHolder(compiler: RowUpdateStatements, fence: LeaseFence): void {
    const holder = compiler.fences.holderQuery(fence);
    const reason = refusalReason(fence, this.statement(holder.sql).get(...holder.params) as never);
    if (reason) throw new RefusedByFence(fence, reason);
  }

  /** Runs one write; returns how many rows it changed. */
  private run(sql: string, params: unknown[]): number {
    try {
      return this.statement(sql).run(...params).changes;
    } catch (err) {
      // The shape TypeORM gives a failing write, so callers see the same error either way.
      throw new QueryFailedError(sql, params, err as Error);
    }
  }

  /** Only for TypeORM's better-sqlite3 driver; undefined for every other database. */
  static for(dataSource: DataSource, compiler: RowUpdateStatements): SqliteBatchCommitter | undefined {
    const db = sqliteConnection(dataSource);
    return db ? new SqliteBatchCommitter(db, compiler) : undefined;
  }

  /**
   * False while another transaction is open on the connection: a batch started then would become
   * a savepoint of it, and be durable only when (and if) that one commits.
   */
  get ready(): boolean {
    return this.db.open && !this.db.inTransaction;
  }

  commit(updates: readonly RowWrite[]): Promise<void> {
    return retryTransient(() => this.commitAll.immediate(updates), TRANSACTION_RETRY);
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
