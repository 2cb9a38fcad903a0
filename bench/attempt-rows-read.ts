import 'reflect-metadata';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { bootstrap } from '../src';
import { createDataSource } from '../src/persistence';
import { AttemptRowsReader } from '../src/persistence/history/attempt-rows.reader';
import { attemptsOfRuns } from '../src/persistence/history/attempts-of-runs';
import { FlowRunEntity } from '../src/persistence/flow-run.entity';
import { StepAttemptEntity } from '../src/persistence/step-attempt.entity';
import { compareReads } from './alternating-reads';
import { comparedDatabase } from './compared-database';
import { noOpFlow } from './no-op-flows';
import { scratchDirectory } from './scratch';

/**
 * What reading the attempt rows of a flow's runs costs, as the history reads them for
 * `app.history(flow)` (its page of 20 runs, one read for all of them): TypeORM's find() (its entity
 * transformer, what the history used before, ids made numbers after) beside AttemptRowsReader (one
 * plain SELECT, the driver's hydration of each value). A layered flow of `steps` no-op steps runs
 * `runs` timeperiods, then both reads of their rows alternate in this process. With
 * `COMPARE_ON=postgres`, on an embedded PostgreSQL.
 *
 *   node --expose-gc dist/bench/attempt-rows-read.js [steps=10000] [runs=20] [rounds=5]
 */
async function main(): Promise<void> {
  const [stepsArg, runsArg, roundsArg] = process.argv.slice(2);
  const steps = Number(stepsArg ?? 10_000);
  const runs = Number(runsArg ?? 20);
  const rounds = Number(roundsArg ?? 5);
  const dir = scratchDirectory('attempt-rows-');
  const database = await comparedDatabase(dir);
  const { options } = database;
  const flow = noOpFlow('layered', steps);
  const app = await bootstrap({ flows: [flow.flowClass], database: options, logDirectory: path.join(dir, 'logs') });
  let dataSource: DataSource | undefined;
  try {
    for (let i = 0; i < runs; i++) await app.run(flow.name, { timeperiod: String(2026010100 + i) });
    dataSource = await createDataSource(options);
    const ds = dataSource;
    const runIds = (await ds.getRepository(FlowRunEntity).find({ select: { runId: true }, where: { flowName: flow.name } })).map(
      (r) => r.runId,
    );
    const reader = new AttemptRowsReader(ds);
    const ways = {
      'TypeORM find()': () => typeormFind(ds, runIds),
      AttemptRowsReader: () => reader.ofRuns(runIds),
    };
    const title = `${(steps * runs).toLocaleString('en-US')} attempt rows (${runs} runs of ${steps.toLocaleString('en-US')} steps) on ${database.name}`;
    await compareReads(title, steps * runs, rounds, ways);
  } finally {
    await app.close();
    await dataSource?.destroy();
    await database.stop();
  }
}

/** The history's read before AttemptRowsReader. */
async function typeormFind(dataSource: DataSource, runIds: string[]): Promise<StepAttemptEntity[]> {
  const rows = await dataSource.getRepository(StepAttemptEntity).find({ where: attemptsOfRuns(dataSource, runIds), order: { id: 'ASC' } });
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
