import type { DataSource, EntityManager } from 'typeorm';

type Write = (manager: EntityManager) => Promise<unknown>;

/**
 * Group commit: the state writes queued during one turn of the event loop are committed in one
 * transaction, in the order they were queued. Every caller's promise resolves only after its
 * write is committed, so nothing that depends on a transition can observe it before it is durable.
 */
export class WriteBatcher {
  private queue: Array<{ write: Write; resolve: () => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;
  /** Batches commit one after the other, never concurrently (SQLite has one writer anyway). */
  private chain: Promise<void> = Promise.resolve();

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
