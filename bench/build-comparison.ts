import 'reflect-metadata';
import * as path from 'node:path';
import type * as SynergyFlow from '../src';
import type * as NoOpFlows from './no-op-flows';
import { scratchDirectory } from './scratch';
import { startPostgres } from '../spec/support/postgres-server';
import { medianBy, perSecond } from './stats';

/**
 * This build of the engine beside another build of it (another branch's `dist/`, built the same
 * way), in one process: the same no-op flows run on both, one run each in turn, the order swapped
 * every round, so that the machine's load weighs on both alike. Prints the steps/s and the CPU time
 * per step of each (the median of the rounds), the median of the per-round ratios, and their spread.
 *
 *   node --expose-gc dist/bench/build-comparison.js <other build's dist/> [steps=1000] [rounds=15] [shapes=chain,layered,independent] [clusters=2]
 *
 * On SQLite, a file each; with `COMPARE_ON=postgres`, on one embedded PostgreSQL with its durable
 * defaults (fsync, synchronous_commit), a database each.
 */
async function main(): Promise<void> {
  const [otherDist, stepsArg, roundsArg, shapesArg, clustersArg] = process.argv.slice(2);
  if (!otherDist) throw new Error('usage: build-comparison.js <other build dist/> [steps] [rounds] [shapes]');
  const steps = Number(stepsArg ?? 1_000);
  const rounds = Number(roundsArg ?? 15);
  const shapes = (shapesArg ?? 'chain,layered,independent').split(',') as NoOpFlows.FlowShape[];
  // The engine's default (2) unless given: `npm run bench` runs its peers at 4.
  const clusters = clustersArg ? Number(clustersArg) : undefined;
  const builds = { other: path.resolve(otherDist), this: path.resolve(__dirname, '..') };
  console.log(
    `this build (${builds.this}) beside ${builds.other}: ${steps.toLocaleString('en-US')} no-op steps, ${rounds} rounds, alternating, ${clusters ?? 'the default number of'} clusters`,
  );

  const postgres = process.env.COMPARE_ON === 'postgres' ? await startPostgres({ durable: true }) : undefined;
  if (postgres) console.log(`on an embedded PostgreSQL (durable), port ${postgres.port}`);
  const databaseFor = async (dir: string): Promise<SynergyFlow.DatabaseOptions> =>
    postgres ? await postgres.createDatabase() : { type: 'better-sqlite3', database: path.join(dir, 'synergy-flow.db') };

  const ratios: number[] = [];
  const cpuRatiosOfShapes: number[] = [];
  for (const shape of shapes) {
    const apps = {
      other: await appOf(builds.other, shape, steps, databaseFor, clusters),
      this: await appOf(builds.this, shape, steps, databaseFor, clusters),
    };
    const samples = { other: [] as number[], this: [] as number[] };
    const cpu = { other: [] as number[], this: [] as number[] };
    const shapeRatios: number[] = [];
    const cpuRatios: number[] = [];
    let timeperiod = '2026010100';
    const run = async (name: 'other' | 'this') => {
      (globalThis as { gc?: () => void }).gc?.();
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const result = await apps[name].app.run(apps[name].flowName, { timeperiod });
      const ms = performance.now() - started;
      const { user, system } = process.cpuUsage(cpuBefore);
      if (result.state !== 'processed') throw new Error(`${name} build: the run ended ${result.state}`);
      // CPU time (every thread of the process, the log writer's included) moves far less than the
      // wall clock when other processes load the machine: the engine's own cost, apart from the wait for a core.
      return { stepsPerSecond: perSecond(steps, ms), cpuUsPerStep: (user + system) / steps };
    };
    // The first run of each creates its log files: a warm-up, not measured.
    await run('other');
    await run('this');
    for (let i = 0; i < rounds; i++) {
      timeperiod = apps.this.api.nextTimeperiod(timeperiod);
      const order = i % 2 === 0 ? (['other', 'this'] as const) : (['this', 'other'] as const);
      const round = { other: { stepsPerSecond: 0, cpuUsPerStep: 0 }, this: { stepsPerSecond: 0, cpuUsPerStep: 0 } };
      for (const name of order) {
        round[name] = await run(name);
        samples[name].push(round[name].stepsPerSecond);
        cpu[name].push(round[name].cpuUsPerStep);
      }
      shapeRatios.push(round.this.stepsPerSecond / round.other.stepsPerSecond);
      cpuRatios.push(round.this.cpuUsPerStep / round.other.cpuUsPerStep);
    }
    await apps.other.app.close();
    await apps.this.app.close();
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const sorted = [...shapeRatios].sort((a, b) => a - b);
    const ratio = medianBy(shapeRatios, (x) => x);
    ratios.push(ratio);
    const cpuSorted = [...cpuRatios].sort((a, b) => a - b);
    const cpuRatio = medianBy(cpuRatios, (x) => x);
    cpuRatiosOfShapes.push(cpuRatio);
    console.log(
      `  ${shape.padEnd(12)} other ${fmt(medianBy(samples.other, (x) => x)).padStart(7)} steps/s   this ${fmt(medianBy(samples.this, (x) => x)).padStart(7)} steps/s` +
        `   this / other: median of rounds ${ratio.toFixed(3)}x (quartiles ${sorted[Math.floor(rounds / 4)].toFixed(2)}-${sorted[Math.floor((3 * rounds) / 4)].toFixed(2)})`,
    );
    console.log(
      `  ${''.padEnd(12)} CPU other ${medianBy(cpu.other, (x) => x).toFixed(1)} us/step   this ${medianBy(cpu.this, (x) => x).toFixed(1)} us/step` +
        `   this / other: median of rounds ${cpuRatio.toFixed(3)}x (quartiles ${cpuSorted[Math.floor(rounds / 4)].toFixed(2)}-${cpuSorted[Math.floor((3 * rounds) / 4)].toFixed(2)})`,
    );
  }
  const geometric = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
  const cpuGeometric = Math.exp(cpuRatiosOfShapes.reduce((sum, r) => sum + Math.log(r), 0) / cpuRatiosOfShapes.length);
  console.log(`  geometric mean of the shapes' ratios: steps/s ${geometric.toFixed(3)}x, CPU per step ${cpuGeometric.toFixed(3)}x`);
  await postgres?.stop();
}

/** An application of one build, on its own SQLite file and log directory, running its own no-op flow. */
async function appOf(
  dist: string,
  shape: NoOpFlows.FlowShape,
  steps: number,
  databaseFor: (dir: string) => Promise<SynergyFlow.DatabaseOptions>,
  clusters: number | undefined,
) {
  const api = require(path.join(dist, 'src')) as typeof SynergyFlow;
  const flows = require(path.join(dist, 'bench', 'no-op-flows.js')) as typeof NoOpFlows;
  const flow = flows.noOpFlow(shape, steps);
  const dir = scratchDirectory('build-comparison-');
  const app = await api.bootstrap({
    flows: [flow.flowClass],
    database: await databaseFor(dir),
    logDirectory: path.join(dir, 'logs'),
    tuneV8: true,
    ...(clusters ? { cluster: { type: 'local' as const, count: clusters } } : {}),
  });
  return { api, app, flowName: flow.name };
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
