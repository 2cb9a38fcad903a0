import 'reflect-metadata';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { bootstrap } from '../src';
import { machineDescription } from './machine';
import { noOpFlow, type FlowShape } from './no-op-flows';
import { highWaterMarkBytes, oldGenerationUsed } from './peak-rss';
import { scratchDirectory } from './scratch';
import { nextTimeperiod } from '../src/timeperiod';

/**
 * `node dist/bench/rss-over-runs.js [runs] [shape] [steps]`: the memory of a process that keeps
 * running one flow, timeperiod after timeperiod (a backfill, a long-lived scheduler), which the
 * benchmark's four timeperiods per scenario do not show. Prints, after each run, its time, the
 * resident size, its peak so far, the V8 heap and whether a major (mark-compact) collection ran
 * during the run (told by the old generation shrinking). Node's own flags apply:
 * `node --max-old-space-size=128 dist/bench/rss-over-runs.js`.
 */
async function main(): Promise<void> {
  const [runsArg, shapeArg, stepsArg] = process.argv.slice(2);
  const runs = Number(runsArg ?? 24);
  const shape = (shapeArg ?? 'layered') as FlowShape;
  const steps = Number(stepsArg ?? 10_000);
  if (
    !Number.isInteger(runs) ||
    runs < 1 ||
    !['chain', 'layered', 'independent'].includes(shape) ||
    !Number.isInteger(steps) ||
    steps < 1
  ) {
    throw new Error('usage: node dist/bench/rss-over-runs.js [runs] [chain|layered|independent] [steps]');
  }
  const flags = process.execArgv.filter((f) => f.startsWith('--max') || f.startsWith('--expose')).join(' ') || 'none';
  console.log(`${runs} runs of ${shape} ${steps} in one process on ${machineDescription()}; V8 flags: ${flags}`);

  const flow = noOpFlow(shape, steps);
  const dir = scratchDirectory('rss-');
  const app = await bootstrap({
    flows: [flow.flowClass],
    database: { type: 'better-sqlite3', database: path.join(dir, 'synergy-flow.db') },
    logDirectory: path.join(dir, 'logs'),
    tuneV8: true, // as bootstrap() did unasked before it became opt-in: the figures stay comparable
  });
  console.log(`after bootstrap: RSS ${mib(process.memoryUsage.rss())} MiB`);
  console.log('run   run ms   RSS MiB   peak MiB   heap used / total MiB   major GC during the run');
  let timeperiod = '2026010100';
  try {
    for (let run = 1; run <= runs; run++, timeperiod = nextTimeperiod(timeperiod, 'daily')) {
      const oldBefore = oldGenerationUsed();
      const started = performance.now();
      const result = await app.run(flow.name, { timeperiod });
      const runMs = performance.now() - started;
      if (result.state !== 'processed') throw new Error(`run ${run} ended ${result.state}: ${result.error ?? ''}`);
      const heap = v8.getHeapStatistics();
      const peak = highWaterMarkBytes();
      console.log(
        `${String(run).padStart(3)}   ${runMs.toFixed(0).padStart(6)}   ${mib(process.memoryUsage.rss()).padStart(7)}   ${String(peak === undefined ? '-' : mib(peak)).padStart(8)}   ${mib(heap.used_heap_size).padStart(9)} / ${mib(heap.total_heap_size).padEnd(9)}   ${oldGenerationUsed() < oldBefore ? 'yes' : ''}`,
      );
    }
  } finally {
    await app.close();
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
