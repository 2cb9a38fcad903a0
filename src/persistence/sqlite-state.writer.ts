import type { RowInsert, RowUpdate } from '../domain/state-writer.port';
import { retryThroughOutage } from './database-outage';
import { SqliteBatchCommitter } from './sqlite-batch.committer';
import { TypeOrmStateWriter, type Queued } from './typeorm-state.writer';

/**
 * The StateWriter of SQLite (better-sqlite3): a group commit made only of row updates and inserts - the
 * engine's transitions and attempt rows, nearly every commit - runs as one synchronous transaction of prepared
 * statements on TypeORM's own connection (SqliteBatchCommitter), without TypeORM's per-query
 * machinery. Any other commit (a write given as code, an entity the compiled statements do not
 * support, another transaction open on the connection) takes the TypeORM path of the base class.
 * Both hold the same contract (src/domain/state-writer.port.ts): same connection, same locks and
 * settings, so a commit either way is exactly as durable.
 */
export class SqliteStateWriter extends TypeOrmStateWriter {
  /** Made at the first commit, once the data source is connected; null: its connection is not reachable. */
  private committer: SqliteBatchCommitter | null | undefined;

  protected override commitBatch(batch: readonly Queued[]): Promise<void> {
    const committer = this.fastPath();
    const updates = committer?.ready ? this.onlyUpdates(batch) : undefined;
    if (!committer || !updates) return super.commitBatch(batch);
    return retryThroughOutage(() => committer.commit(updates), this.options.outageMs);
  }

  private fastPath(): SqliteBatchCommitter | null {
    if (this.committer === undefined) {
      if (!this.dataSource.isInitialized) return null;
      this.committer = SqliteBatchCommitter.for(this.dataSource, this.statements) ?? null;
    }
    return this.committer;
  }

  /** The batch's row updates and inserts in order, if the prepared statements can commit the whole batch. */
  private onlyUpdates(batch: readonly Queued[]): Array<RowUpdate | RowInsert> | undefined {
    const updates: Array<RowUpdate | RowInsert> = [];
    for (const item of batch) {
      if (item.update && this.statements.supports(item.update.entity)) updates.push(item.update);
      else if (item.insert && this.statements.supportsInsert(item.insert.entity)) updates.push(item.insert);
      else return undefined;
    }
    return updates;
  }
}
