import 'reflect-metadata';
import { fork } from 'node:child_process';
import * as os from 'node:os';
import { runEngineScenario, type EngineFigures } from './engine.scenario';
import { machineDescription } from './machine';
import { noOpFlow, type FlowShape } from './no-op-flows';
import { LogManager } from '../src/logging/log-manager';
import { silentLogger } from '../src/logging/logger';
import { StateStore } from '../src/persistence/state-store';

/**
 * `node --expose-gc dist/bench/ablation.js [shape] [steps]`: which part of the engine costs what.
 * Runs the same flow with one part switched off at a time (each variant in a fresh process): the
 * log lines, the persistence of transitions, both. The differences between the rows are the
 * cost of each part per step. For attribution only: a switched-off part is not a supported mode.
 */
const VARIANTS = {
  'full engine': () => undefined,
  'no log lines': () => silenceLogs(),
  'no transition writes': () => skipTransitionWrites(),
  neither: () => (silenceLogs(), skipTransitionWrites()),
} as const;
type Variant = keyof typeof VARIANTS;

function silenceLogs(): void {
  LogManager.prototype.flowLogger = () => silentLogger;
  LogManager.prototype.stepLogger = () => silentLogger;
  LogManager.prototype.actionLogger = () => silentLogger;
}

function skipTransitionWrites(): void {
  // The record still changes in memory (the engine reads it); nothing reaches the database.
  StateStore.prototype.updateStep = async (step, patch) => (Object.assign(step, patch), true);
  StateStore.prototype.updateStepIf = async (step, patch, onlyIf) => onlyIf() && (Object.assign(step, patch), true);
}

async function child(variant: Variant, shape: FlowShape, steps: number): Promise<void> {
  VARIANTS[variant]();
  await runEngineScenario(noOpFlow(shape, 500), undefined, ['2026112500']);
  const figures = await runEngineScenario(noOpFlow(shape, steps), undefined);
  process.send!(figures);
}

async function main(): Promise<void> {
  const [first, second, third] = process.argv.slice(2);
  if (first === '--variant') return child(second as Variant, process.argv[4] as FlowShape, Number(process.argv[5]));
  const shape = (first ?? 'layered') as FlowShape;
  const steps = Number(second ?? 10_000);
  if (third !== undefined || !['chain', 'layered', 'independent'].includes(shape) || !Number.isInteger(steps) || steps < 1) {
    throw new Error('usage: node --expose-gc dist/bench/ablation.js [chain|layered|independent] [steps]');
  }
  process.stderr.write(
    `ablation of ${shape} ${steps} on ${machineDescription()}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  const rows: Array<[Variant, EngineFigures]> = [];
  for (const variant of Object.keys(VARIANTS) as Variant[]) {
    const figures = await new Promise<EngineFigures>((resolve, reject) => {
      const c = fork(__filename, ['--variant', variant, shape, String(steps)], { execArgv: ['--expose-gc', '--enable-source-maps'] });
      c.on('message', (m) => resolve(m as EngineFigures));
      c.on('exit', (code) => (code ? reject(new Error(`variant '${variant}' exited with code ${code}`)) : undefined));
    });
    rows.push([variant, figures]);
  }
  const full = rows[0][1];
  console.log(`variant                 steps/s   us/step (steps phase)   saved vs full   run ms   peak RSS`);
  // The steady state: the median run of the next timeperiods, whose log files exist.
  const perStep = (e: EngineFigures) => (e.nextMedian.stepsMs * 1000) / e.steps;
  for (const [variant, e] of rows) {
    const f = e.nextMedian;
    const saved = perStep(full) - perStep(e);
    console.log(
      `${variant.padEnd(22)} ${Math.round(f.stepsPerSecond).toString().padStart(8)}   ${perStep(e).toFixed(0).padStart(21)}   ${saved.toFixed(0).padStart(13)}   ${f.runMs.toFixed(0).padStart(6)}   ${e.peakRssMiB.toFixed(0)} MiB`,
    );
  }
  process.stderr.write(
    `load average after ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
