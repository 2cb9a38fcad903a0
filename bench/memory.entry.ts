import type { JobFigures } from './scenario.job';
import type { MemoryJob } from './peer.job';
import { CHILD_FLAG, serveChild } from './child.runner';
import { highWaterMarkBytes } from './peak-rss';

/**
 * The process of a memory job (issue 22, item 5): it loads only the engine it measures, bootstraps
 * it and runs the layered DAG `runs` times, and reports its own peak RSS from its start. The
 * benchmark's main script loads every engine, so a peer measured there would carry the others.
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
  if (job.engine === 'bullmq') {
    const { runBullmqPeer } = require('./bullmq.peer') as typeof import('./bullmq.peer');
    const { noOpGraph } = require('./no-op-graph') as typeof import('./no-op-graph');
    const graph = noOpGraph('layered', job.steps);
    for (let i = 0; i < job.runs; i++) problems.push(...(await runBullmqPeer(graph, job.redisPort!, job.concurrency, 1)).problems);
  } else {
    require('reflect-metadata');
    const { runEngineScenario, TIMEPERIODS } = require('./engine.scenario') as typeof import('./engine.scenario');
    const { noOpFlow } = require('./no-op-flows') as typeof import('./no-op-flows');
    const database = job.engine === 'synergy-flow-postgres' ? job.postgres : undefined;
    const figures = await runEngineScenario(noOpFlow('layered', job.steps), job.concurrency, TIMEPERIODS.slice(0, job.runs), database);
    for (const run of [figures.first, ...figures.next]) problems.push(...run.problems);
  }
  // The kernel's high-water mark since the process started, unless runEngineScenario reset it
  // when it started; what the process held before then was loaded modules, and is still resident.
  const peakRssMiB = (highWaterMarkBytes() ?? process.memoryUsage.rss()) / 1024 / 1024;
  return { kind: 'memory', figures: { engine: job.engine, steps: job.steps, runs: job.runs, peakRssMiB, problems } };
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
