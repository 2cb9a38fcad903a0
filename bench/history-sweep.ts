import * as path from 'node:path';
import type Database from 'better-sqlite3';
import type { EntityManager } from 'typeorm';
import { createDataSource, StateStore } from '../src/persistence';
import { HistoryRetention } from '../src/persistence/history/history-retention';
import { ATTEMPT_IDS_PER_RUN } from '../src/persistence/history/attempt-ids';
import { scratchDirectory } from './scratch';
import { distribution } from './stats';

/**
 * What the history's retention sweep costs the runs beside it on SQLite, whose commits queue with
 * its transactions: `runs` expired runs of `steps` attempts each (written straight into the file),
 * then the sweep, while a commit a millisecond stands in for a run's. Prints how long those commits
 * waited (p50, p99, the longest), the sweep's longest transaction and its whole time.
 *
 *   node dist/bench/history-sweep.js [runs=200] [steps=10000]
 */
async function main(): Promise<void> {
  const [runsArg, stepsArg] = process.argv.slice(2);
  const runs = Number(runsArg ?? 200);
  const steps = Number(stepsArg ?? 10_000);
  const dataSource = await createDataSource({ type: 'better-sqlite3', database: path.join(scratchDirectory('sweep-'), 'synergy-flow.db') });
  try {
    const sqlite = (dataSource.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
    const ended = new Date(Date.now() - 400 * 24 * 60 * 60 * 1000).toISOString().replace('T', ' ').replace('Z', '');
    const run = sqlite.prepare(
      `INSERT INTO flow_run (id, flow_name, timeperiod, run_mode, step_name, trigger, state, host, pid, started_at, finished_at, error, run_number)
       VALUES (?, 'bench', ?, 'run', NULL, 'api', 'processed', 'bench', 1, ?, ?, NULL, ?)`,
    );
    const attempt = sqlite.prepare(
      `INSERT INTO step_attempt (id, run_id, flow_name, timeperiod, step_name, attempt, state, cluster, started_at, finished_at, error)
       VALUES (?, ?, 'bench', ?, ?, 1, 'processed', 'local-1', ?, ?, NULL)`,
    );
    sqlite.transaction(() => {
      for (let r = 1; r <= runs; r++) {
        const runId = `bench${String(r).padStart(9, '0')}`;
        const timeperiod = String(2025010100 + r);
        run.run(runId, timeperiod, ended, ended, r);
        for (let s = 0; s < steps; s++) attempt.run(r * ATTEMPT_IDS_PER_RUN + s, runId, timeperiod, `step_${s}`, ended, ended);
      }
    })();

    const store = new StateStore(dataSource);
    const longest = { ms: 0 };
    const transaction = store.transaction.bind(store);
    store.transaction = async <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await transaction(work);
      } finally {
        longest.ms = Math.max(longest.ms, performance.now() - started);
      }
    };
    // From when a commit was due (its timer's time) to its end: the event loop blocked by a long
    // statement (better-sqlite3 runs them on this thread) and the queue behind a long transaction.
    const waits: number[] = [];
    let sweeping = true;
    const committer = (async () => {
      while (sweeping) {
        const due = performance.now() + 1;
        await new Promise((resolve) => setTimeout(resolve, 1));
        await transaction((manager) => manager.query('SELECT 1'));
        waits.push(Math.max(0, performance.now() - due));
      }
    })();
    const started = performance.now();
    const deleted = await new HistoryRetention(dataSource, store, 90).sweep();
    const sweepMs = performance.now() - started;
    sweeping = false;
    await committer;
    const d = distribution(waits)!;
    console.log(
      `history sweep on SQLite: ${deleted} expired runs of ${steps.toLocaleString('en-US')} attempts each (${(runs * steps).toLocaleString('en-US')} rows)`,
    );
    console.log(`  the sweep: ${sweepMs.toFixed(0)} ms, its longest transaction ${longest.ms.toFixed(1)} ms`);
    console.log(
      `  a commit beside it waited: p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms, longest ${d.max.toFixed(1)} ms (${d.count} commits)`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
