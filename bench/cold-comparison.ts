import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COLD_STEPS_ENV } from './cold-start.app';
import { noOpGraph } from './no-op-graph';
import { scratchDirectory } from './scratch';
import { medianBy } from './stats';

interface ColdSample {
  wallMs: number;
  /** The child's own CPU time, every thread (the log thread too), reported by the child at exit. */
  cpuMs: number;
  /** The child's peak resident size (VmHWM), reported at exit. */
  peakRssMiB: number;
}

/**
 * The cold CLI run of issue 22, item 4, for this build beside another build (another branch's
 * `dist/`, built the same way): `synergy-flow --app <build>/bench/cold-start.app.js run
 * bench_layered_<steps> -t <timeperiod>` in a fresh `node`, one build then the other, the order
 * swapped every round, each build in its own directory (its database and log files exist after
 * a first, unmeasured run, as on any day but the first). Prints each build's median wall time,
 * CPU time and peak RSS, and the medians of the per-round ratios: the machine's load weighs on
 * both alike, and the CPU time says what each cost whatever else ran.
 *
 *   node dist/bench/cold-comparison.js <other build's dist/> [rounds=11] [steps=1000]
 */
function main(): void {
  const [otherDist, roundsArg, stepsArg] = process.argv.slice(2);
  if (!otherDist) throw new Error('usage: cold-comparison.js <other build dist/> [rounds] [steps]');
  const rounds = Number(roundsArg ?? 11);
  const steps = Number(stepsArg ?? 1_000);
  const builds = { other: path.resolve(otherDist), this: path.resolve(__dirname, '..') };
  const flow = noOpGraph('layered', steps).name;
  const scratch = scratchDirectory('cold-comparison-');
  // The child reports its CPU time and peak RSS at exit, on stderr: spawnSync gives no resource usage.
  const hook = path.join(scratch, 'report-at-exit.js');
  fs.writeFileSync(
    hook,
    "process.on('exit', () => { const u = process.cpuUsage(); const hwm = /VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 'NaN'; require('fs').writeSync(2, `\\nCOLD_CPU_US ${u.user + u.system} HWM_KB ${hwm}\\n`); });",
  );
  const dirs = { other: fs.mkdtempSync(path.join(scratch, 'other-')), this: fs.mkdtempSync(path.join(scratch, 'this-')) };
  const env: NodeJS.ProcessEnv = { ...process.env, [COLD_STEPS_ENV]: String(steps) };
  delete env.SYNERGY_FLOW_DATABASE;
  delete env.SYNERGY_FLOW_LOGS;
  const runCold = (name: 'other' | 'this', timeperiod: string): ColdSample => {
    const dist = builds[name];
    const args = ['--require', hook, path.join(dist, 'src/cli/bin.js'), '--app', path.join(dist, 'bench/cold-start.app.js')];
    const started = performance.now();
    const child = spawnSync(process.execPath, [...args, 'run', flow, '-t', timeperiod], { cwd: dirs[name], env, encoding: 'utf8' });
    const wallMs = performance.now() - started;
    if (child.status !== 0) throw new Error(`${name}: exit code ${child.status}: ${child.stderr}`);
    const report = /COLD_CPU_US (\d+) HWM_KB (\S+)/.exec(child.stderr);
    return { wallMs, cpuMs: report ? Number(report[1]) / 1000 : NaN, peakRssMiB: report ? Number(report[2]) / 1024 : NaN };
  };

  console.log(
    `cold \`synergy-flow run\` of the layered ${steps.toLocaleString('en-US')}: this build (${builds.this}) beside ${builds.other}`,
  );
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  // The first run of each creates its database and log files: not measured.
  runCold('other', '2026010100');
  runCold('this', '2026010100');
  const samples = { other: [] as ColdSample[], this: [] as ColdSample[] };
  const ratios = { wall: [] as number[], cpu: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const timeperiod = `202601${String(round + 2).padStart(2, '0')}00`;
    const order: Array<'other' | 'this'> = round % 2 ? ['this', 'other'] : ['other', 'this'];
    const got = { other: undefined as ColdSample | undefined, this: undefined as ColdSample | undefined };
    for (const name of order) got[name] = runCold(name, timeperiod);
    samples.other.push(got.other!);
    samples.this.push(got.this!);
    ratios.wall.push(got.this!.wallMs / got.other!.wallMs);
    ratios.cpu.push(got.this!.cpuMs / got.other!.cpuMs);
  }
  const median = (values: number[]) => medianBy(values, (v) => v);
  for (const name of ['other', 'this'] as const) {
    const s = samples[name];
    console.log(
      `  ${name.padEnd(6)} wall ${median(s.map((x) => x.wallMs)).toFixed(0)} ms  cpu ${median(s.map((x) => x.cpuMs)).toFixed(0)} ms  peak RSS ${median(s.map((x) => x.peakRssMiB)).toFixed(0)} MiB  (median of ${rounds})`,
    );
  }
  console.log(
    `  this / other, median of the per-round ratios: wall ${median(ratios.wall).toFixed(2)}x (${Math.min(...ratios.wall).toFixed(2)}-${Math.max(...ratios.wall).toFixed(2)}), cpu ${median(ratios.cpu).toFixed(2)}x (${Math.min(...ratios.cpu).toFixed(2)}-${Math.max(...ratios.cpu).toFixed(2)})`,
  );
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main();
