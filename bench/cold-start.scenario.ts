import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { COLD_STEPS_ENV } from './cold-start.app';
import { TIMEPERIODS } from './engine.scenario';
import { noOpGraph } from './no-op-graph';
import { scratchDirectory } from './scratch';
import type { BenchJob, JobFigures } from './scenario.job';
import { medianBy } from './stats';

export interface ColdStartFigures {
  steps: number;
  /** Process start to exit of `synergy-flow --app ... run`, per timeperiod, in one directory: the first creates the database and the log files. */
  coldMs: number[];
  /** The median of the cold runs after the first (their database and log files exist, as on any day but the first). */
  coldMedianMs: number;
  /** The same flow's run() in a long-lived process, median of its next timeperiods. */
  warmMs: number;
  /** 2 x warm + 150 ms. */
  targetMs: number;
  /** Exit codes other than 0, as `timeperiod: code`. */
  failures: string[];
}

/**
 * Issue 22, item 4: `synergy-flow run` of the layered flow from a shell, process start to exit,
 * against the same flow's run in a warm process. Each cold run is a fresh `node` of the package's
 * bin with `--app`, in one directory, one timeperiod after another as a daily flow runs.
 */
export async function runColdStart(steps: number, runJob: (job: BenchJob) => Promise<JobFigures>): Promise<ColdStartFigures> {
  const dir = scratchDirectory('cold-');
  const bin = path.join(__dirname, '..', 'src', 'cli', 'bin.js');
  const app = path.join(__dirname, 'cold-start.app.js');
  const flow = noOpGraph('layered', steps).name;
  const coldMs: number[] = [];
  const failures: string[] = [];
  for (const timeperiod of TIMEPERIODS) {
    const started = performance.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, '--app', app, 'run', flow, '-t', timeperiod], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, [COLD_STEPS_ENV]: String(steps) },
      });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    coldMs.push(performance.now() - started);
    if (code !== 0) failures.push(`${timeperiod}: exit code ${code}`);
  }
  const warm = await runJob({ kind: 'warm', steps, clusters: 2 });
  if (warm.kind !== 'warm') throw new Error('the warm run returned no figures');
  const warmMs = warm.figures.nextMedian.runMs;
  for (const run of [warm.figures.first, ...warm.figures.next]) failures.push(...run.problems.map((p) => `warm ${run.timeperiod}: ${p}`));
  return { steps, coldMs, coldMedianMs: medianBy(coldMs.slice(1), (ms) => ms), warmMs, targetMs: 2 * warmMs + 150, failures };
}
