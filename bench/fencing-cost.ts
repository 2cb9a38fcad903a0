import 'reflect-metadata';
import * as path from 'node:path';
import { createDataSource, DatabaseFlowLease, DatabaseFlowLock, StateStore, StepState, type StepEntity } from '../src/persistence';
import { scratchDirectory } from './scratch';
import { freshRunRequest } from '../spec/persistence/fixtures/run-request';
import { medianBy, perSecond } from './stats';

const TP = '2026112600';

/** How a round commits its transitions: one commit each (a chain's shape), or all in one group commit (a wide layer's). */
type Shape = 'one by one' | 'one group commit';

/**
 * The cost of lease fencing on SQLite: the same step transitions (in_progress, then processed)
 * committed by one state store with and without the run's fence, in rounds that alternate, in one
 * process, on one file. Prints transitions/s of each, the median of the rounds, and the ratio.
 *
 *   node dist/bench/fencing-cost.js [steps=1000] [rounds=9]
 */
async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 1_000);
  const rounds = Number(process.argv[3] ?? 9);
  const dataSource = await createDataSource({ type: 'better-sqlite3', database: path.join(scratchDirectory('fencing-'), 'fencing.db') });
  const store = new StateStore(dataSource);
  const lease = (await new DatabaseFlowLock(store).acquire('bench_fencing', TP)) as DatabaseFlowLease;
  const variants = { plain: store, fenced: store.fencedBy(lease.fence) };
  const stepNames = Array.from({ length: steps }, (_, i) => `s${i}`);
  const { steps: rows } = await store.prepareRun(freshRunRequest('bench_fencing', TP, stepNames));
  const records = [...rows.values()];

  const round = async (s: StateStore, shape: Shape): Promise<number> => {
    const started = performance.now();
    if (shape === 'one by one') {
      for (const r of records) {
        await s.updateStep(r, { state: StepState.IN_PROGRESS, startedAt: new Date() });
        await s.updateStep(r, { state: StepState.PROCESSED, finishedAt: new Date() });
      }
    } else {
      await Promise.all(records.map((r: StepEntity) => s.updateStep(r, { state: StepState.IN_PROGRESS, startedAt: new Date() })));
      await Promise.all(records.map((r: StepEntity) => s.updateStep(r, { state: StepState.PROCESSED, finishedAt: new Date() })));
    }
    return perSecond(2 * steps, performance.now() - started);
  };

  console.log(`lease fencing on SQLite: ${steps.toLocaleString('en-US')} steps x 2 transitions, ${rounds} rounds each, alternating`);
  for (const shape of ['one by one', 'one group commit'] as Shape[]) {
    await round(variants.plain, shape);
    await round(variants.fenced, shape);
    const samples = { plain: [] as number[], fenced: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (['plain', 'fenced'] as const) : (['fenced', 'plain'] as const);
      for (const name of order) samples[name].push(await round(variants[name], shape));
    }
    const plain = medianBy(samples.plain, (x) => x);
    const fenced = medianBy(samples.fenced, (x) => x);
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `  ${shape.padEnd(17)} unfenced ${fmt(plain).padStart(8)} transitions/s   fenced ${fmt(fenced).padStart(8)} transitions/s   fenced / unfenced ${(fenced / plain).toFixed(2)}x`,
    );
  }
  await lease.release();
  await dataSource.destroy();
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
