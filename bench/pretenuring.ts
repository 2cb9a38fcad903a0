import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { distribution } from './stats';

const PROBE = path.join(__dirname, 'pretenuring.probe.js');
const PROCESSES = 5;

/**
 * `node dist/bench/pretenuring.js`: why bootstrap() turns V8's allocation-site pretenuring off.
 * Prints the old generation's growth while short-lived objects are made after long-lived ones from
 * the same literal, with V8's default (the baseline) and with the engine's setting, each in fresh
 * processes, and the ratio. V8's default decides from how many objects survived a collection, so
 * its figure varies with the machine's load; the engine's does not (the spec checks that one).
 */
function growthMb(mode: 'default' | 'engine'): number[] {
  return Array.from({ length: PROCESSES }, () => Number(execFileSync(process.execPath, [PROBE, mode], { encoding: 'utf8' })) / 1024 / 1024);
}

const baseline = distribution(growthMb('default'))!;
const engine = distribution(growthMb('engine'))!;
const show = (d: typeof baseline) => `median ${d.p50.toFixed(2)} MB, max ${d.max.toFixed(2)} MB`;
console.log(`old-generation growth for 200,000 short-lived objects, ${PROCESSES} processes each (${process.version})`);
console.log(`  V8 default (pretenuring on):  ${show(baseline)}`);
console.log(`  engine (pretenuring off):     ${show(engine)}`);
console.log(`  ratio default / engine (medians): ${(baseline.p50 / Math.max(engine.p50, 0.01)).toFixed(1)}x`);
