import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scratchDirectory } from './scratch';
import { medianBy } from './stats';

/**
 * What bootstrap()'s option schemas (zod) cost a program that names its database and clusters:
 * the same program, in fresh processes, its options vouched for by the zod-free quick checks
 * (`database: { type, database }`, `cluster: { type: 'local', count }`) beside the same options
 * plus `logging: false`, which no quick check vouches for, so the schemas load and check them.
 * Each process imports the engine, bootstraps, and runs the layered flow `runs` times: its time
 * to a bootstrapped app and its peak RSS (VmHWM). The two alternate, round by round.
 *
 *   node dist/bench/option-schema-cost.js [rounds=9] [steps=1000] [runs=4]
 */
const CHILD = `
const t0 = performance.now();
const [dist, dir, withSchema, steps, runs] = process.argv.slice(2);
const { bootstrap } = require(dist + '/src');
const { noOpFlow } = require(dist + '/bench/no-op-flows');
const flow = noOpFlow('layered', Number(steps));
const database = { type: 'better-sqlite3', database: dir + '/synergy-flow.db', ...(withSchema === 'yes' ? { logging: false } : {}) };
bootstrap({ flows: [flow.flowClass], database, logDirectory: dir + '/logs', cluster: { type: 'local', count: 4 } }).then(async (app) => {
  const bootstrapMs = performance.now() - t0;
  for (let i = 0; i < Number(runs); i++) await app.run(flow.name, { timeperiod: String(2026010100 + i) });
  await app.close();
  const hwm = /VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1];
  const zod = Object.keys(require.cache).some((file) => file.includes('/node_modules/zod/'));
  console.log(JSON.stringify({ bootstrapMs, peakRssMiB: Number(hwm) / 1024, zod }));
});
`;

interface Sample {
  bootstrapMs: number;
  peakRssMiB: number;
  zod: boolean;
}

function main(): void {
  const [roundsArg, stepsArg, runsArg] = process.argv.slice(2);
  const rounds = Number(roundsArg ?? 9);
  const steps = Number(stepsArg ?? 1_000);
  const runs = Number(runsArg ?? 4);
  const scratch = scratchDirectory('option-schema-');
  const child = path.join(scratch, 'child.js');
  fs.writeFileSync(child, CHILD);
  const dist = path.resolve(__dirname, '..');
  const ways = { 'quick checks': 'no', 'schemas (zod)': 'yes' } as const;
  const samples: Record<string, Sample[]> = {};
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? Object.entries(ways).reverse() : Object.entries(ways);
    for (const [name, withSchema] of order) {
      const dir = fs.mkdtempSync(path.join(scratch, 'run-'));
      const result = spawnSync(process.execPath, [child, dist, dir, withSchema, String(steps), String(runs)], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${name}: exit code ${result.status}: ${result.stderr}`);
      (samples[name] ??= []).push(JSON.parse(result.stdout.trim().split('\n').pop()!) as Sample);
    }
  }
  console.log(
    `import + bootstrap({ database, cluster }), then ${runs} runs of the layered ${steps.toLocaleString('en-US')}: ${rounds} fresh processes each, alternating`,
  );
  const median = (name: string, pick: (s: Sample) => number) => pick(medianBy(samples[name], pick));
  const [quick, schema] = Object.keys(ways);
  for (const name of Object.keys(ways)) {
    console.log(
      `  ${name.padEnd(14)} bootstrapped in ${median(name, (s) => s.bootstrapMs).toFixed(0)} ms, peak RSS ${median(name, (s) => s.peakRssMiB).toFixed(0)} MiB, zod loaded in ${samples[name].filter((s) => s.zod).length} of ${rounds}`,
    );
  }
  console.log(
    `  quick checks / schemas: bootstrap ${(median(quick, (s) => s.bootstrapMs) / median(schema, (s) => s.bootstrapMs)).toFixed(2)}x, peak RSS ${(median(quick, (s) => s.peakRssMiB) / median(schema, (s) => s.peakRssMiB)).toFixed(2)}x`,
  );
}

main();
