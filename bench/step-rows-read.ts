import type { DataSource } from 'typeorm';
import { createDataSource, StateStore, StepEntity } from '../src/persistence';
import { leasedRun } from '../spec/persistence/fixtures/run-request';
import { scratchDirectory } from './scratch';
import { compareReads } from './alternating-reads';
import { comparedDatabase } from './compared-database';

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
  const database = await comparedDatabase(scratchDirectory('step-rows-'));
  const dataSource = await createDataSource(database.options);
  try {
    const store = new StateStore(dataSource);
    const names = Array.from({ length: steps }, (_, i) => `step_${i}`);
    const run = await leasedRun(store, 'bench', '2026112600', names);
    await run.lease.release();
    const ways = {
      'TypeORM find()': () => typeormFind(dataSource),
      'store.findSteps': () => store.findSteps('bench', '2026112600'),
    };
    await compareReads(`${steps.toLocaleString('en-US')} step rows on ${database.name}`, steps, rounds, ways);
  } finally {
    await dataSource.destroy();
    await database.stop();
  }
}

function typeormFind(dataSource: DataSource): Promise<StepEntity[]> {
  return dataSource.getRepository(StepEntity).find({ where: { flowName: 'bench', timeperiod: '2026112600' }, order: { id: 'ASC' } });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
