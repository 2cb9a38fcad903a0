import type { DataSource, EntityManager } from 'typeorm';

type Write = (manager: EntityManager) => Promise<unknown>;

/**
 * The one way this process writes to the database. Group commit: the state writes queued during one turn of the event loop are committed in one
 * transaction, in the order they were queued. Every caller's promise resolves only after its
 * write is committed, so nothing that depends on a transition can observe it before it is durable.
 */
export class WriteBatcher {
  private queue: Array<{ write: Write; resolve: () => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;
  /**
   * Transactions run one after the other, never concurrently: TypeORM's SQLite driver has one
   * connection, and two interleaved transactions on it fail ("cannot start a transaction within a
   * transaction"). Batches and exclusive transactions share this chain.
   */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  enqueue(write: Write): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
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
      const run = this.chain.then(() => this.dataSource.transaction(work));
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

  private async commit(batch: typeof this.queue): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        for (const item of batch) await item.write(manager);
      });
      for (const item of batch) item.resolve();
    } catch (err) {
      for (const item of batch) item.reject(err);
    }
  }
}
