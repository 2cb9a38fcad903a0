import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, StateStore, StepEntity } from '../src/persistence';
import { startPostgres } from '../spec/support/postgres-server';
import { leasedRun } from '../spec/persistence/fixtures/run-request';
import { scratchDirectory } from './scratch';
import { medianBy } from './stats';

/**
 * What reading a run's step rows costs: TypeORM's find() (its entity transformer, what the store
 * used before) beside the store's findSteps (one plain SELECT, the driver's hydration of each
 * value: step-rows.reader.ts). The engine reads them before every recover, run-one or run-from,
 * the CLI after every run (its table), the viewer for a status. Alternating, in one process, on
 * the same rows; the first call of each is a cold process's (their code not yet compiled).
 * With `COMPARE_ON=postgres`, on an embedded PostgreSQL.
 *
 *   node dist/bench/step-rows-read.js [steps=1000] [rounds=31]
 */
async function main(): Promise<void> {
  const [stepsArg, roundsArg] = process.argv.slice(2);
  const steps = Number(stepsArg ?? 1_000);
  const rounds = Number(roundsArg ?? 31);
  const postgres = process.env.COMPARE_ON === 'postgres' ? await startPostgres({}) : undefined;
  const options = postgres
    ? await postgres.createDatabase()
    : { type: 'better-sqlite3' as const, database: path.join(scratchDirectory('step-rows-'), 'synergy-flow.db') };
  const dataSource = await createDataSource(options);
  try {
    const store = new StateStore(dataSource);
    const names = Array.from({ length: steps }, (_, i) => `step_${i}`);
    const run = await leasedRun(store, 'bench', '2026112600', names);
    await run.lease.release();
    const ways = {
      'TypeORM find()': () => typeormFind(dataSource),
      'store.findSteps': () => store.findSteps('bench', '2026112600'),
    };
    const ms: Record<string, number[]> = {};
    const first: Record<string, number> = {};
    for (let round = -1; round < rounds; round++) {
      const order = round % 2 === 0 ? Object.entries(ways) : Object.entries(ways).reverse();
      for (const [name, read] of order) {
        const started = performance.now();
        const rows = await read();
        const took = performance.now() - started;
        if (rows.length !== steps) throw new Error(`${name} read ${rows.length} rows, not ${steps}`);
        if (round < 0) first[name] = took;
        else (ms[name] ??= []).push(took);
      }
    }
    const base = medianBy(ms['TypeORM find()'], (x) => x);
    console.log(`${steps.toLocaleString('en-US')} step rows on ${postgres ? 'PostgreSQL' : 'SQLite'}, ${rounds} rounds, alternating`);
    for (const name of Object.keys(ways)) {
      const median = medianBy(ms[name], (x) => x);
      console.log(
        `  ${name.padEnd(16)} first call ${first[name].toFixed(1).padStart(6)} ms   then median ${median.toFixed(2).padStart(6)} ms   ${(median / base).toFixed(2)}x find()`,
      );
    }
  } finally {
    await dataSource.destroy();
    await postgres?.stop();
  }
}

function typeormFind(dataSource: DataSource): Promise<StepEntity[]> {
  return dataSource.getRepository(StepEntity).find({ where: { flowName: 'bench', timeperiod: '2026112600' }, order: { id: 'ASC' } });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
