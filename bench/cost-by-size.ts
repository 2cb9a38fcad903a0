import 'reflect-metadata';
import { runEngineScenario, type RunFigures } from './engine.scenario';
import { machineDescription } from './machine';
import { noOpFlow, type FlowShape } from './no-op-flows';
import { medianBy } from './stats';
import { nextTimeperiod } from '../src/timeperiod';

/**
 * `node dist/bench/cost-by-size.js [runs] [shape] [sizes...]`: what a run costs by the flow's size,
 * in one warm process, each size run `runs` timeperiods in a row (figures: the median of the second
 * half, once the flow's own code is warm). It tells a run's fixed cost (`prepare`, `finish` and
 * what the steps phase spends once per run) from its cost per step, which the main benchmark's
 * 1,000- and 10,000-step processes mix with their JIT warm-up.
 */
async function main(): Promise<void> {
  const [runsArg, shapeArg, ...sizeArgs] = process.argv.slice(2);
  const runs = Number(runsArg ?? 20);
  const shape = (shapeArg ?? 'layered') as FlowShape;
  const sizes = (sizeArgs.length ? sizeArgs : ['1', '10', '100', '1000', '10000']).map(Number);
  if (
    !Number.isInteger(runs) ||
    runs < 2 ||
    !['chain', 'layered', 'independent'].includes(shape) ||
    sizes.some((n) => !Number.isInteger(n) || n < 1)
  ) {
    throw new Error('usage: node dist/bench/cost-by-size.js [runs >= 2] [chain|layered|independent] [steps ...]');
  }
  console.log(
    `${shape} flows, ${runs} runs each, in one process on ${machineDescription()}; median of the last ${Math.ceil(runs / 2)} runs`,
  );
  // As the benchmark does: the engine's own code is compiled before anything is measured.
  await runEngineScenario(noOpFlow('layered', 500), undefined);
  console.log('  steps    run ms   µs/step (run)   µs/step (steps phase)   prepare ms   finish ms');
  for (const steps of sizes) {
    const figures = await runEngineScenario(noOpFlow(shape, steps), undefined, hourlyTimeperiods(runs));
    const warm = [figures.first, ...figures.next].slice(Math.floor(runs / 2));
    const median = (pick: (run: RunFigures) => number) => pick(medianBy(warm, pick));
    console.log(
      `${String(steps).padStart(7)}   ${median((r) => r.runMs)
        .toFixed(2)
        .padStart(7)}   ${median((r) => (r.runMs * 1000) / steps)
        .toFixed(1)
        .padStart(13)}   ${median((r) => (r.stepsMs * 1000) / steps)
        .toFixed(1)
        .padStart(21)}   ${median((r) => r.prepareMs)
        .toFixed(2)
        .padStart(10)}   ${median((r) => r.finishMs)
        .toFixed(2)
        .padStart(9)}`,
    );
  }
}

/** `count` consecutive hours from 2026-01-01 00:00, as timeperiods. */
function hourlyTimeperiods(count: number): string[] {
  const timeperiods = ['2026010100'];
  while (timeperiods.length < count) timeperiods.push(nextTimeperiod(timeperiods[timeperiods.length - 1], 'hourly'));
  return timeperiods;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
