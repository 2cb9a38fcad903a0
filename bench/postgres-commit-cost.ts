import 'reflect-metadata';
import type { PoolClient } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { createDataSource, DatabaseFlowLease, DatabaseFlowLock, StateStore, StepEntity, StepState } from '../src/persistence';
import { runPipeline, type PipelinedStatement } from '../src/persistence/postgres-pipeline';
import { BATCH_PLAN_SETTINGS, RowBatchStatements } from '../src/persistence/row-batch.statement';
import { RowUpdateStatements } from '../src/persistence/row-update.statement';
import { StepAttemptEntity } from '../src/persistence/step-attempt.entity';
import { startPostgres } from '../spec/support/postgres-server';
import { freshRunRequest } from '../spec/persistence/fixtures/run-request';
import { medianBy } from './stats';

const TP = '2026120600';

/**
 * What a group commit of the engine costs on PostgreSQL (durable: fsync and synchronous_commit
 * on), by what it holds and how its multi-row statements are planned: the engine's own statements
 * (its lease's proof, the step ends as one multi-row UPDATE, their attempt rows as one INSERT, the
 * next steps' starts as another UPDATE), sent as the writer sends them (one pipeline, one round
 * trip), one commit after the other on one connection. Two ways, alternating in rounds in one process:
 * - planned once: under BATCH_PLAN_SETTINGS, as the engine commits (one generic plan per statement);
 * - planned at every commit: the same settings without `plan_cache_mode`, as before 2026-12-06
 *   (PostgreSQL makes a custom plan for each run of a join to `unnest()` of array parameters).
 * Prints each one's median commit time (the median of the rounds' medians) and their ratio.
 *
 *   node dist/bench/postgres-commit-cost.js [commits per round=300] [rounds=7]
 */
async function main(): Promise<void> {
  const commits = Number(process.argv[2] ?? 300);
  const rounds = Number(process.argv[3] ?? 7);
  const postgres = await startPostgres({ durable: true });
  const dataSource = await createDataSource(await postgres.createDatabase());
  const store = new StateStore(dataSource);
  const lease = (await new DatabaseFlowLock(store).acquire('bench_commit', TP)) as DatabaseFlowLease;
  const stepNames = Array.from({ length: 1_000 }, (_, i) => `s${i}`);
  const { steps } = await store.prepareRun(freshRunRequest('bench_commit', TP, stepNames));
  const rows = [...steps.values()];
  const single = new RowUpdateStatements(dataSource);
  const batches = new RowBatchStatements(dataSource);
  const everyCommit = { sql: BATCH_PLAN_SETTINGS.sql.replace(/set_config\('plan_cache_mode'[^)]*\), /, ''), params: [] };
  if (everyCommit.sql === BATCH_PLAN_SETTINGS.sql) throw new Error('BATCH_PLAN_SETTINGS no longer sets plan_cache_mode: update this bench');

  let next = 0;
  let attemptId = 1;
  /** One group commit as the writer sends it: `width` step ends with their attempt rows, and `width` starts. */
  const groupCommit = (settings: PipelinedStatement, width: number): PipelinedStatement[] => {
    const now = new Date();
    const ends = Array.from({ length: width }, () => rows[next++ % rows.length]);
    const starts = Array.from({ length: width }, () => rows[next++ % rows.length]);
    return [
      settings,
      single.fences.assertion(lease.fence),
      batches.compileUpdates(
        ends.map((row) => ({ entity: StepEntity, id: row.id, patch: { state: StepState.PROCESSED, finishedAt: now } })),
      ),
      batches.compileInserts(
        ends.map((row) => ({
          entity: StepAttemptEntity,
          row: {
            id: attemptId++,
            runId: row.runId ?? 'bench',
            flowName: row.flowName,
            timeperiod: row.timeperiod,
            stepName: row.stepName,
            attempt: 1,
            state: StepState.PROCESSED,
            cluster: 'local',
            startedAt: now,
            finishedAt: now,
            error: null,
          },
        })),
      ),
      batches.compileUpdates(
        starts.map((row) => ({
          entity: StepEntity,
          id: row.id,
          patch: { state: StepState.IN_PROGRESS, attempt: 1, startedAt: now, finishedAt: null, error: null, runId: 'bench' },
        })),
      ),
    ];
  };

  console.log(`group commits on a durable embedded PostgreSQL: ${commits} a round, ${rounds} rounds, alternating`);
  const driver = dataSource.driver as PostgresDriver;
  for (const width of [2, 4]) {
    // A connection each: a prepared statement's plans belong to its connection.
    const ways = { once: BATCH_PLAN_SETTINGS, 'every commit': everyCommit };
    const clients = new Map<keyof typeof ways, [PoolClient, () => void]>();
    for (const name of Object.keys(ways) as Array<keyof typeof ways>) {
      clients.set(name, (await driver.obtainMasterConnection()) as [PoolClient, () => void]);
    }
    const round = async (name: keyof typeof ways): Promise<number> => {
      const [client] = clients.get(name)!;
      const times: number[] = [];
      for (let i = 0; i < commits; i++) {
        const statements = groupCommit(ways[name], width);
        const started = performance.now();
        await runPipeline(client, statements);
        times.push(performance.now() - started);
      }
      return medianBy(times, (x) => x);
    };
    // Warm-up: each statement prepared, and past PostgreSQL's five custom plans.
    await round('once');
    await round('every commit');
    const medians = { once: [] as number[], 'every commit': [] as number[] };
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (['once', 'every commit'] as const) : (['every commit', 'once'] as const);
      for (const name of order) medians[name].push(await round(name));
    }
    for (const [, release] of clients.values()) release();
    const once = medianBy(medians.once, (x) => x);
    const every = medianBy(medians['every commit'], (x) => x);
    console.log(
      `  ${width} ends + ${width} attempt rows + ${width} starts: planned once ${once.toFixed(3)} ms   planned at every commit ${every.toFixed(3)} ms   once / every ${(once / every).toFixed(2)}x`,
    );
  }
  await lease.release();
  await dataSource.destroy();
  await postgres.stop();
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
