import type { PoolClient } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { retryThroughOutage } from './database-outage';
import { FENCE_REFUSED_CODE, RefusedByFence, refusalReason, type LeaseFence } from './lease/lease-fence';
import { runPipeline, PipelineFailure, type PipelinedStatement } from './postgres-pipeline';
import { BATCH_PLAN_SETTINGS, RowBatchStatements } from './row-batch.statement';
import { definedFields, NOTHING_TO_UPDATE, type RowInsert, type RowUpdate } from './row-update.statement';
import { retryTransient, TRANSACTION_RETRY } from './transient-retry';
import { TypeOrmStateWriter, type Queued } from './typeorm-state.writer';

/** Group commits in flight at once, at most (each holds a pooled connection until its WAL flush). */
const MAX_COMMITS_IN_FLIGHT = 4;

/** A group commit as the statements of one pipeline, and which of them prove which lease. */
interface PipelinePlan {
  statements: PipelinedStatement[];
  fenceAt: Map<number, LeaseFence>;
}

/**
 * The StateWriter of PostgreSQL: a group commit made of row updates and inserts - the engine's
 * transitions and attempt rows, nearly every commit - reaches the server in one round trip,
 * however many rows of whichever tables it carries: one pipeline (runPipeline) of statements that
 * is one transaction. Each lease of the batch is proven by a statement of its own at the head of
 * the pipeline (LeaseFenceStatements.assertion: `FOR SHARE` then holds the lease row until the
 * commit, so the writes after it need no check of their own); a lease that is gone aborts the
 * whole transaction, and the batch is sent again without that run's writes.
 * Such group commits of different runs do not wait for each other: up to 4 are in flight at once,
 * each on a pooled connection of its own (maxInFlight), unless one writes for a run, or a row, of
 * another still in flight (rowsOf, CommitScheduler). Any other commit (a write given as code, an
 * entity the compiled statements do not support) and `exclusive` work take the TypeORM path of the
 * base class, alone. The contract is the port's (src/domain/state-writer.port.ts).
 */
export class PostgresStateWriter extends TypeOrmStateWriter {
  private readonly batches = new RowBatchStatements(this.dataSource);
  private readonly idFields = new Map<RowInsert['entity'], string>();
  private newRows = 0;
  private inFlightBound: number | undefined;

  /**
   * Up to 4 group commits in flight, each on a connection of its own: while one waits for its WAL
   * flush, the next is sent, and PostgreSQL's own group commit makes one flush cover several.
   * Never more than the pool's size minus one, so reads always find a connection.
   */
  protected override maxInFlight(): number {
    if (this.inFlightBound === undefined) {
      if (!this.dataSource.isInitialized) return 1;
      const pool = (this.dataSource.driver as PostgresDriver).master as { options?: { max?: number } } | undefined;
      this.inFlightBound = Math.max(1, Math.min(MAX_COMMITS_IN_FLIGHT, (pool?.options?.max ?? 10) - 1));
    }
    return this.inFlightBound;
  }

  /**
   * A batch that is one pipeline (only row updates and inserts the compiled statements take) may
   * be committed beside the others in flight, unless one of them writes for one of its runs, or one
   * of its rows (table and primary key). A run is its lease (writes without one count as one run):
   * the engine queues a step's start as soon as its dependencies' ends are queued, not once they
   * are durable, so the commits of one run must stay in the order they were queued. Any other
   * batch is committed alone.
   */
  protected override rowsOf(batch: readonly Queued[]): ReadonlySet<string> | undefined {
    const rows = new Set<string>();
    for (const item of batch) {
      if (!this.pipelines(item)) return undefined;
      rows.add(this.rowKey(item));
      rows.add(item.fence ? `run\u0000${item.fence.holderId}` : 'run\u0000');
    }
    return rows;
  }

  protected override commitBatch(batch: readonly Queued[]): Promise<void> {
    const plan = this.planOf(batch);
    if (!plan) return super.commitBatch(batch);
    if (plan.statements.length === 0) return Promise.resolve();
    return retryThroughOutage(() => retryTransient(() => this.send(plan), TRANSACTION_RETRY), this.options.outageMs);
  }

  /**
   * The batch as one pipeline, if its writes are all compiled statements; undefined otherwise.
   * First one assertion per lease, then the writes: when no row is written twice, those of one
   * entity and one set of fields go as one multi-row statement (RowBatchStatements), in the order
   * each shape first appears; rows of different writes are independent, so their order inside the
   * transaction changes nothing. A row written twice keeps every write as a statement of its own, in order.
   */
  private planOf(batch: readonly Queued[]): PipelinePlan | undefined {
    const statements: PipelinedStatement[] = [];
    const fenceAt = new Map<number, LeaseFence>();
    const rows = new Set<string>();
    let distinct = true;
    for (const item of batch) {
      if (!this.pipelines(item)) return undefined;
      if (item.fence && ![...fenceAt.values()].includes(item.fence)) {
        fenceAt.set(statements.length, item.fence);
        statements.push(this.statements.fences.assertion(item.fence));
      }
      const key = this.rowKey(item);
      if (rows.has(key)) distinct = false;
      rows.add(key);
    }
    if (!distinct) {
      for (const item of batch) {
        const statement = item.update ? this.statements.compile(item.update, false) : this.statements.compileInsert(item.insert!);
        if (statement !== NOTHING_TO_UPDATE) statements.push(statement);
      }
      return { statements, fenceAt };
    }
    const shapes = new Map<string, { updates: RowUpdate[]; inserts: RowInsert[] }>();
    for (const item of batch) {
      const values = item.update ? item.update.patch : item.insert!.row;
      const fields = definedFields(values);
      if (fields.length === 0) continue;
      const entity = (item.update ?? item.insert!).entity;
      const key = `${entity.name}\u0000${item.update ? 'update' : 'insert'}\u0000${fields.join('\u0000')}`;
      let shape = shapes.get(key);
      if (!shape) shapes.set(key, (shape = { updates: [], inserts: [] }));
      if (item.update) shape.updates.push(item.update);
      else shape.inserts.push(item.insert!);
    }
    let multiRow = false;
    for (const { updates, inserts } of shapes.values()) {
      if (updates.length === 1) statements.push(this.statements.compile(updates[0], false));
      else if (inserts.length === 1) statements.push(this.statements.compileInsert(inserts[0]));
      else {
        statements.push(updates.length > 1 ? this.batches.compileUpdates(updates) : this.batches.compileInserts(inserts));
        multiRow = true;
      }
    }
    if (!multiRow) return { statements, fenceAt };
    // First of all, the planner settings of the multi-row statements (see BATCH_PLAN_SETTINGS).
    return { statements: [BATCH_PLAN_SETTINGS, ...statements], fenceAt: new Map([...fenceAt].map(([at, fence]) => [at + 1, fence])) };
  }

  /** Whether the write is one of the pipeline's statements: a row update or insert the compiled statements take. */
  private pipelines(item: Queued): boolean {
    return item.update ? this.statements.supports(item.update.entity) : !!item.insert && this.statements.supportsInsert(item.insert.entity);
  }

  /** Which row a write writes: its table and primary key. */
  private rowKey(item: Queued): string {
    if (item.update) return `${item.update.entity.name}\u0000${String(item.update.id)}`;
    const { entity, row } = item.insert!;
    let idField = this.idFields.get(entity);
    if (idField === undefined) this.idFields.set(entity, (idField = this.dataSource.getMetadata(entity).primaryColumns[0].propertyName));
    // A generated id (none given) is a row of its own.
    return row[idField] === undefined ? `${entity.name}\u0000new ${++this.newRows}` : `${entity.name}\u0000${String(row[idField])}`;
  }

  /** One try: the pipeline on a connection of TypeORM's pool; a refused lease throws RefusedByFence. */
  private async send(plan: PipelinePlan): Promise<void> {
    const driver = this.dataSource.driver as PostgresDriver;
    const [client, release] = (await driver.obtainMasterConnection()) as [PoolClient, (destroy?: unknown) => void];
    try {
      await runPipeline(client, plan.statements);
    } catch (err) {
      // Dropped: a connection that failed mid-pipeline may hold prepared statements the pipeline no longer knows of.
      release(err);
      const fence = err instanceof PipelineFailure ? plan.fenceAt.get(err.statementIndex) : undefined;
      if (fence && err instanceof PipelineFailure && err.code === FENCE_REFUSED_CODE) throw await this.refusal(fence);
      throw err;
    }
    release();
  }

  /** Who holds the lease now, for the refused run's error (read after the rollback). */
  private async refusal(fence: LeaseFence): Promise<RefusedByFence> {
    const { sql, params } = this.statements.fences.holderQuery(fence);
    const rows = await this.dataSource.query<Parameters<typeof refusalReason>[1][]>(sql, params);
    return new RefusedByFence(fence, refusalReason(fence, rows[0]) ?? 'it was not held when this write was committed');
  }
}
