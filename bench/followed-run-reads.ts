import 'reflect-metadata';
import * as path from 'node:path';
import { createDataSource, StateStore, StepEntity } from '../src/persistence';
import { valueConverter } from '../src/persistence/value-converter';
import { freshRunRequest } from '../spec/persistence/fixtures/run-request';
import { scratchDirectory } from './scratch';
import { medianBy } from './stats';

const TP = '2026112600';
const FLOW = 'bench_followed';

/**
 * What one poll of the viewer's follower costs for a big run of another engine, on SQLite: the read
 * of all its step states (what the follower did at every poll, and still does once a minute) beside
 * the read of only the steps whose started_at or finished_at moved within the last minute (what it
 * does at the other polls: findStepStatesOf with changedSince, through the same index on
 * [flow_name, timeperiod, step_name]). The run is mostly done: all steps processed an hour ago but
 * `moving`, started now. Prints the median of each and the rows each returns.
 *
 *   node dist/bench/followed-run-reads.js [steps=10000] [moving=10] [rounds=51]
 */
async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 10_000);
  const moving = Number(process.argv[3] ?? 10);
  const rounds = Number(process.argv[4] ?? 51);
  const dataSource = await createDataSource({ type: 'better-sqlite3', database: path.join(scratchDirectory('followed-'), 'followed.db') });
  const store = new StateStore(dataSource);
  await store.prepareRun(
    freshRunRequest(
      FLOW,
      TP,
      Array.from({ length: steps }, (_, i) => `s${i}`),
    ),
  );
  const column = (name: 'startedAt' | 'finishedAt') =>
    valueConverter(dataSource, dataSource.getMetadata(StepEntity).findColumnWithPropertyName(name)!);
  const hourAgo = column('startedAt')(new Date(Date.now() - 3_600_000));
  await dataSource.query(`UPDATE step SET state = 'processed', attempt = 1, started_at = ?, finished_at = ?`, [hourAgo, hourAgo]);
  await dataSource.query(
    `UPDATE step SET state = 'in_progress', attempt = 1, started_at = ?, finished_at = NULL WHERE id IN (SELECT id FROM step ORDER BY id LIMIT ?)`,
    [column('startedAt')(new Date()), moving],
  );

  const all = () => store.findStepStatesOf(FLOW, [TP]);
  const changed = () => store.findStepStatesOf(FLOW, [TP], new Date(Date.now() - 60_000));
  const time = async (read: () => Promise<unknown[]>) => {
    const started = performance.now();
    const rows = await read();
    return { ms: performance.now() - started, rows: rows.length };
  };
  for (let i = 0; i < 5; i++) await Promise.all([time(all), time(changed)]);
  const samples = { all: [] as Array<{ ms: number; rows: number }>, changed: [] as Array<{ ms: number; rows: number }> };
  for (let i = 0; i < rounds; i++) {
    samples.all.push(await time(all));
    samples.changed.push(await time(changed));
  }
  const all50 = medianBy(samples.all, (s) => s.ms);
  const changed50 = medianBy(samples.changed, (s) => s.ms);
  console.log(`a followed run of ${steps.toLocaleString('en-US')} steps on SQLite, ${moving} of them moving, median of ${rounds} polls:`);
  console.log(`  every step's state      ${all50.ms.toFixed(2).padStart(7)} ms   ${all50.rows} rows`);
  console.log(
    `  changed in the last 60 s ${changed50.ms.toFixed(2).padStart(6)} ms   ${changed50.rows} rows   (${(all50.ms / changed50.ms).toFixed(1)}x less)`,
  );
  await dataSource.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
