import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseBenchOptions } from './bench-options';
import { CHILD_FLAG, runInChild, serveChild } from './child.runner';
import { machineDescription } from './machine';
import type { FlowShape } from './no-op-flows';
import { printReport, type BenchReport } from './report';
import { runJob, type BenchJob, type JobFigures, type ScenarioFigures } from './scenario.job';
import type { BootstrapFigures } from './bootstrap.scenario';

/** The scenarios of issue 8: each shape at 1,000 steps, and at 10,000 to show how cost grows. */
const SCENARIOS: Array<[FlowShape, number]> = [
  ['chain', 1_000],
  ['layered', 1_000],
  ['layered', 10_000],
  ['independent', 1_000],
  ['independent', 10_000],
];

/** The sizes the bootstrap targets name. */
const BOOTSTRAP_SIZES = [2_000, 10_000];

/**
 * `npm run bench`: runs every scenario, each in a fresh process together with its baselines
 * (raw SQLite, log files, p-graph) measured just before it in that same process, and prints
 * every figure beside them. `--in-process` runs everything in this one process instead.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === CHILD_FLAG) return serveChild(JSON.parse(argv[1]) as BenchJob, runJob);

  const options = parseBenchOptions(argv);
  const loadBefore = os.loadavg();
  log(`synergy-flow benchmark on ${machineDescription()}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  const run = (job: BenchJob): Promise<JobFigures> => (options.inProcess ? runJob(job) : runInChild(__filename, job));

  const scenarios: ScenarioFigures[] = [];
  for (const [shape, steps] of SCENARIOS) {
    if (options.only && !options.only.has(shape)) continue;
    log(`${shape}, ${steps.toLocaleString('en-US')} steps ...`);
    const result = await run({ kind: 'scenario', shape, steps, clusters: options.clusters });
    if (result.kind === 'scenario') scenarios.push(result.figures);
  }
  log('bootstrap alone ...');
  const bootstrap = await run({ kind: 'bootstrap', sizes: BOOTSTRAP_SIZES });
  const bootstrapOnly: BootstrapFigures[] = bootstrap.kind === 'bootstrap' ? bootstrap.figures : [];

  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: machineDescription(),
    node: process.version,
    loadAverage: { before: loadBefore, after: os.loadavg() },
    clusters: options.clusters ?? 2,
    processes: options.inProcess ? 'one process' : 'one process per scenario',
    scenarios,
    bootstrapOnly,
  };
  printReport(report);
  if (options.jsonFile) {
    fs.writeFileSync(options.jsonFile, JSON.stringify(report, null, 2) + '\n');
    log(`every figure written to ${options.jsonFile}`);
  }
}

function log(line: string): void {
  process.stderr.write(line + '\n');
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
