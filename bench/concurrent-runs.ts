import 'reflect-metadata';
import * as path from 'node:path';
import { bootstrap } from '../src';
import { startPostgres } from '../spec/support/postgres-server';
import { noOpFlow, type FlowShape } from './no-op-flows';
import { scratchDirectory } from './scratch';
import { perSecond } from './stats';

/** Committed transactions of a database, as the server counts them (a backend publishes its counts at the latest when it exits). */
async function commits(server: Awaited<ReturnType<typeof startPostgres>>, database: string): Promise<number> {
  const [row] = await server.query<{ xact_commit: string }>('postgres', 'SELECT xact_commit FROM pg_stat_database WHERE datname = $1', [
    database,
  ]);
  return Number(row.xact_commit);
}

/**
 * Several runs at once in one application on PostgreSQL (durable defaults, 4 local clusters a run):
 * the case where group commits of different runs are in flight together (PostgresStateWriter). A
 * warm-up run, then `repetitions` rounds of `runs` runs of one flow started together, each its own
 * timeperiod; steps/s of each round, and the server's transactions a step over all rounds.
 *
 *   node dist/bench/concurrent-runs.js [runs=4] [steps=500] [shape=independent] [repetitions=3]
 */
async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 4);
  const steps = Number(process.argv[3] ?? 500);
  const shape = (process.argv[4] ?? 'independent') as FlowShape;
  const repetitions = Number(process.argv[5] ?? 3);
  const server = await startPostgres({ durable: true });
  try {
    const flow = noOpFlow(shape, steps);
    const database = await server.createDatabase();
    const app = await bootstrap({
      flows: [flow.flowClass],
      database,
      logDirectory: path.join(scratchDirectory('concurrent-runs-'), 'logs'),
      cluster: { type: 'local', count: 4 },
    });
    await app.ready();
    await app.run(flow.name, { timeperiod: '2025010100' });
    const before = await commits(server, database.database);
    const rates: number[] = [];
    for (let round = 1; round <= repetitions; round++) {
      const started = performance.now();
      const results = await Promise.all(
        Array.from({ length: runs }, (_, i) =>
          app.run(flow.name, { timeperiod: `2026${String(round).padStart(2, '0')}${String(i + 1).padStart(2, '0')}00` }),
        ),
      );
      const ms = performance.now() - started;
      const unfinished = results.filter((r) => r.state !== 'processed').length;
      if (unfinished) throw new Error(`${unfinished} of ${runs} runs did not end processed`);
      rates.push(perSecond(runs * steps, ms));
    }
    await app.close();
    // The server publishes a backend's counters at the latest when it exits.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const transactions = (await commits(server, database.database)) - before;
    console.log(
      `${runs} runs at once x ${shape} ${steps} steps, 4 clusters each: ${rates.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')} steps/s; ` +
        `${(transactions / (runs * steps * repetitions)).toFixed(3)} transactions a step`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
