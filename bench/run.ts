import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseBenchOptions, wantsSuite } from './bench-options';
import { runColdStart, type ColdStartFigures } from './cold-start.scenario';
import { runPeerComparison, type PeerComparison } from './peer.comparison';
import { CHILD_FLAG, runInChild, serveChild } from './child.runner';
import { measureOtherCpu } from './other-cpu';
import { machineDescription } from './machine';
import type { FlowShape } from './no-op-flows';
import { printReport, type BenchReport } from './report';
import { runJob, type BenchJob, type JobFigures, type ScenarioFigures } from './scenario.job';
import type { BootstrapFigures } from './bootstrap.scenario';
import { TIMEPERIODS } from './engine.scenario';
import type { MemoryFigures } from './peer.job';

/** The scenarios of issue 8: each shape at 1,000 steps, and at 10,000 to show how cost grows. */
const SCENARIOS: Array<[FlowShape, number]> = [
  ['chain', 1_000],
  ['layered', 1_000],
  ['layered', 10_000],
  ['independent', 1_000],
  ['independent', 10_000],
];

/** Issue 22: each engine runs each shape at 1,000 steps, 4 at once; the memory processes run the layered DAG four times. */
const PEER_STEPS = 1_000;
const PEER_CONCURRENCY = 4;
const MEMORY_RUNS = 4;

/**
 * Issue 8's peak RSS of a 10,000-step flow, measured in processes that run that flow and nothing
 * else (as a user's does), 3 each: a scenario's process ran its baselines first, and their garbage
 * and grown heap were still resident when its peak was reset.
 */
const LARGE_FLOW_STEPS = 10_000;
const LARGE_FLOW_MEMORY_PROCESSES = 3;

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
  const otherCpu = measureOtherCpu();
  log(`synergy-flow benchmark on ${machineDescription()}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  // A memory job always gets a process of its own, which loads only the engine it measures, started
  // as `node` starts by default: with --enable-source-maps Node 20 reads and parses the source map of
  // every module it loads, up front (TypeORM and rxjs ship ~1,200 maps, this repository's dist one per
  // module, BullMQ none), megabytes that a process of the published package started without the flag never holds.
  const run = (job: BenchJob): Promise<JobFigures> =>
    job.kind === 'memory'
      ? runInChild(path.join(__dirname, 'memory.entry.js'), job, ['--expose-gc'])
      : options.inProcess
        ? runJob(job)
        : runInChild(__filename, job);

  const scenarios: ScenarioFigures[] = [];
  for (const [shape, steps] of SCENARIOS) {
    if (!wantsSuite(options, 'sqlite')) break;
    if (options.only && !options.only.has(shape)) continue;
    log(`${shape}, ${steps.toLocaleString('en-US')} steps ...`);
    const result = await run({ kind: 'scenario', shape, steps, clusters: options.clusters });
    if (result.kind === 'scenario') scenarios.push(result.figures);
  }
  let bootstrapOnly: BootstrapFigures[] = [];
  if (wantsSuite(options, 'sqlite')) {
    log('bootstrap alone ...');
    const bootstrap = await run({ kind: 'bootstrap', sizes: BOOTSTRAP_SIZES });
    bootstrapOnly = bootstrap.kind === 'bootstrap' ? bootstrap.figures : [];
  }
  const largeFlowMemory: MemoryFigures[] = [];
  for (const shape of ['layered', 'independent'] as const) {
    if (!wantsSuite(options, 'sqlite') || (options.only && !options.only.has(shape))) continue;
    log(`memory: ${shape}, ${LARGE_FLOW_STEPS.toLocaleString('en-US')} steps x ${TIMEPERIODS.length}, in processes of their own ...`);
    for (let i = 0; i < LARGE_FLOW_MEMORY_PROCESSES; i++) {
      const result = await run({
        kind: 'memory',
        engine: 'synergy-flow-sqlite',
        shape,
        steps: LARGE_FLOW_STEPS,
        runs: TIMEPERIODS.length,
        concurrency: options.clusters ?? 2,
      });
      if (result.kind === 'memory') largeFlowMemory.push(result.figures);
    }
  }
  let peers: PeerComparison | undefined;
  if (wantsSuite(options, 'peers') || wantsSuite(options, 'memory')) {
    const shapes = (['chain', 'layered', 'independent'] as const).filter(
      (shape) => wantsSuite(options, 'peers') && (!options.only || options.only.has(shape)),
    );
    peers = await runPeerComparison({
      sizes: Object.fromEntries(shapes.map((shape) => [shape, PEER_STEPS])) as Record<FlowShape, number>,
      repetitions: options.repetitions ?? 3,
      concurrency: options.clusters ?? PEER_CONCURRENCY,
      memory: wantsSuite(options, 'memory') ? { steps: PEER_STEPS, runs: MEMORY_RUNS } : { steps: 0, runs: 0 },
      runJob: run,
      log,
    });
  }
  let coldStart: ColdStartFigures | undefined;
  if (wantsSuite(options, 'cold')) {
    log(`cold start: layered ${PEER_STEPS.toLocaleString('en-US')} steps from a shell ...`);
    coldStart = await runColdStart(PEER_STEPS, run);
  }

  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: machineDescription(),
    node: process.version,
    loadAverage: { before: loadBefore, after: os.loadavg() },
    otherCpu: otherCpu?.(),
    clusters: options.clusters ?? 2,
    processes: options.inProcess ? 'one process' : 'one process per scenario',
    scenarios,
    bootstrapOnly,
    largeFlowMemory,
    peers,
    coldStart,
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
