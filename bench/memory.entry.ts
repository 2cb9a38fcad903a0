import type { JobFigures } from './scenario.job';
import type { MemoryJob } from './peer.job';
import { CHILD_FLAG, serveChild } from './child.runner';
import { PeakRss } from './peak-rss';
import type { FlowShape } from './no-op-flows';

/**
 * The process of a memory job (issue 22, item 5; issue 8's 10,000-step flows): it loads only the
 * engine it measures, bootstraps it and runs the DAG `runs` times, and reports the highest peak RSS
 * of its runs. The benchmark's main script loads every engine, so a peer measured there would carry
 * the others.
 */
async function main(): Promise<void> {
  const [flag, json] = process.argv.slice(2);
  if (flag !== CHILD_FLAG)
    throw new Error(`usage: node dist/bench/memory.entry.js ${CHILD_FLAG} '<memory job as JSON>' (the benchmark starts it)`);
  await serveChild(JSON.parse(json), (job) => runMemoryJob(job as MemoryJob));
}

// Loaded on demand (require, not import): a process measuring one engine loads that engine only.
async function runMemoryJob(job: MemoryJob): Promise<JobFigures> {
  const problems: string[] = [];
  const shape = job.shape ?? 'layered';
  // Every engine's runs are measured alike: each run starts after a full collection (the previous
  // run's garbage, and the benchmark's reading back of it, gone), and its peak ends with its last
  // step, before the benchmark reads the run back to verify it (10,000 step rows read through
  // TypeORM added 35 MiB to the engine's peak; BullMQ's read-back of its jobs ~8 MiB to its own).
  const peak = new PeakRss();
  let peakBytes = 0;
  const eachRun = { before: () => peak.start(), after: () => (peakBytes = Math.max(peakBytes, peak.stopBytes())) };
  if (job.engine === 'bullmq') {
    if (shape !== 'layered') throw new Error(`a BullMQ memory job runs the layered DAG only, not ${shape}`);
    const { runBullmqPeer } = require('./bullmq.peer') as typeof import('./bullmq.peer');
    const { noOpGraph } = require('./no-op-graph') as typeof import('./no-op-graph');
    const graph = noOpGraph('layered', job.steps);
    for (let i = 0; i < job.runs; i++) {
      eachRun.before();
      problems.push(...(await runBullmqPeer(graph, job.redisPort!, job.concurrency, 1, eachRun.after)).problems);
    }
  } else {
    require('reflect-metadata');
    const { runEngineScenario, TIMEPERIODS } = require('./engine.scenario') as typeof import('./engine.scenario');
    const { noOpFlow } = require('./no-op-flows') as typeof import('./no-op-flows');
    const database = job.engine === 'synergy-flow-postgres' ? job.postgres : undefined;
    const timeperiods = TIMEPERIODS.slice(0, job.runs);
    const figures = await runEngineScenario(noOpFlow(shape, job.steps), job.concurrency, timeperiods, database, eachRun);
    for (const run of [figures.first, ...figures.next]) problems.push(...run.problems);
  }
  return memoryFigures(job, shape, peakBytes, problems);
}

function memoryFigures(job: MemoryJob, shape: FlowShape, peakBytes: number, problems: string[]): JobFigures {
  return {
    kind: 'memory',
    figures: { engine: job.engine, shape, steps: job.steps, runs: job.runs, peakRssMiB: peakBytes / 1024 / 1024, problems },
  };
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
