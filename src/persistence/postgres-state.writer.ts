import type { PoolClient } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { retryThroughOutage } from './database-outage';
import { FENCE_REFUSED_CODE, RefusedByFence, refusalReason, type LeaseFence } from './lease/lease-fence';
import { runPipeline, PipelineFailure, type PipelinedStatement } from './postgres-pipeline';
import { NOTHING_TO_UPDATE } from './row-update.statement';
import { retryTransient, TRANSACTION_RETRY } from './transient-retry';
import { TypeOrmStateWriter, type Queued } from './typeorm-state.writer';

/** A group commit as the statements of one pipeline, and which of them prove which lease. */
interface PipelinePlan {
  statements: PipelinedStatement[];
  fenceAt: Map<number, LeaseFence>;
}

/**
 * The StateWriter of PostgreSQL: a group commit made of row updates and inserts - the engine's
 * transitions and attempt rows, nearly every commit - reaches the server in one round trip,
 * however many rows of whichever tables it carries: one pipeline (runPipeline) of statements that
 * is one transaction. Each lease of the batch is proven by a statement of its own before the
 * batch's first write of that run (LeaseFenceStatements.assertion: `FOR SHARE` then holds the
 * lease row until the commit, so the writes after it need no check of their own); a lease that is
 * gone aborts the whole transaction, and the batch is sent again without that run's writes.
 * Any other commit (a write given as code, an entity the compiled statements do not support) and
 * `exclusive` work take the TypeORM path of the base class. The contract is the port's
 * (src/domain/state-writer.port.ts).
 */
export class PostgresStateWriter extends TypeOrmStateWriter {
  protected override commitBatch(batch: readonly Queued[]): Promise<void> {
    const plan = this.planOf(batch);
    if (!plan) return super.commitBatch(batch);
    if (plan.statements.length === 0) return Promise.resolve();
    return retryThroughOutage(() => retryTransient(() => this.send(plan), TRANSACTION_RETRY), this.options.outageMs);
  }

  /** The batch as one pipeline, if its writes are all compiled statements; undefined otherwise. */
  private planOf(batch: readonly Queued[]): PipelinePlan | undefined {
    const statements: PipelinedStatement[] = [];
    const fenceAt = new Map<number, LeaseFence>();
    const proven = new Set<LeaseFence>();
    for (const item of batch) {
      let statement: PipelinedStatement;
      if (item.update && this.statements.supports(item.update.entity)) statement = this.statements.compile(item.update, false);
      else if (item.insert && this.statements.supportsInsert(item.insert.entity)) statement = this.statements.compileInsert(item.insert);
      else return undefined;
      if (statement === NOTHING_TO_UPDATE) continue;
      if (item.fence && !proven.has(item.fence)) {
        proven.add(item.fence);
        fenceAt.set(statements.length, item.fence);
        statements.push(this.statements.fences.assertion(item.fence));
      }
      statements.push(statement);
    }
    return { statements, fenceAt };
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
