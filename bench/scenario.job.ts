import { runBootstrapOnly, type BootstrapFigures } from './bootstrap.scenario';
import { runEngineScenario, type EngineFigures } from './engine.scenario';
import { runPeerJob, type MemoryFigures, type MemoryJob, type PeerJob } from './peer.job';
import type { PeerRunFigures } from './peer-run';
import { runLogFileBaseline, type LogFileBaselineFigures } from './log-file.baseline';
import { noOpFlow, type FlowShape } from './no-op-flows';
import { runPGraphBaseline, type PGraphBaselineFigures } from './p-graph.baseline';
import { runSqliteTwoCommitBaseline, sampleSqliteTwoCommitBaseline, type SqliteBaselineFigures } from './sqlite-two-commit.baseline';

/** One unit of the benchmark, run in a process of its own (or in this one with --in-process). */
export type BenchJob =
  | { kind: 'scenario'; shape: FlowShape; steps: number; clusters?: number }
  | { kind: 'bootstrap'; sizes: number[] }
  | PeerJob
  | MemoryJob
  | WarmRunJob;

/** The warm run the cold start is compared with: the flow's next timeperiods in a long-lived process. */
export interface WarmRunJob {
  kind: 'warm';
  steps: number;
  clusters: number;
}

/** An engine scenario with the baselines measured in the same process, just before it. */
export interface ScenarioFigures {
  engine: EngineFigures;
  sqlite: SqliteBaselineFigures;
  logFiles: LogFileBaselineFigures;
  pGraph: PGraphBaselineFigures;
}

export type JobFigures =
  | { kind: 'scenario'; figures: ScenarioFigures }
  | { kind: 'bootstrap'; figures: BootstrapFigures[] }
  | { kind: 'peer'; figures: PeerRunFigures }
  | { kind: 'memory'; figures: MemoryFigures }
  | { kind: 'warm'; figures: EngineFigures };

/** Steps of the raw SQLite loop: enough for a steady figure, whatever the scenario's size. */
const SQLITE_BASELINE_STEPS = 10_000;

/** Samples of the raw SQLite loop per scenario; the ratios use their median. */
const SQLITE_BASELINE_SAMPLES = 3;

export async function runJob(job: BenchJob): Promise<JobFigures> {
  // These bring their own warm-up (peer, warm) or must measure a process that does nothing else (memory).
  if (job.kind === 'peer') return { kind: 'peer', figures: await runPeerJob(job) };
  if (job.kind === 'memory') throw new Error('a memory job runs in a process of its own: memory.entry.js');
  if (job.kind === 'warm') return { kind: 'warm', figures: await runEngineScenario(noOpFlow('layered', job.steps), job.clusters) };
  await warmUp(job.kind === 'scenario' ? job.clusters : undefined);
  if (job.kind === 'bootstrap') {
    const figures: BootstrapFigures[] = [];
    for (const steps of job.sizes) figures.push(await runBootstrapOnly(noOpFlow('layered', steps)));
    return { kind: 'bootstrap', figures };
  }
  const flow = noOpFlow(job.shape, job.steps);
  const sqlite = await sampleSqliteTwoCommitBaseline(SQLITE_BASELINE_STEPS, SQLITE_BASELINE_SAMPLES);
  const logFiles = runLogFileBaseline(job.steps);
  const pGraph = await runPGraphBaseline(flow, job.clusters ?? 2);
  const engine = await runEngineScenario(flow, job.clusters);
  return { kind: 'scenario', figures: { engine, sqlite, logFiles, pGraph } };
}

/** Not reported: the first run pays for JIT compilation and TypeORM's metadata build. */
async function warmUp(clusters: number | undefined): Promise<void> {
  const flow = noOpFlow('layered', 500);
  await runEngineScenario(flow, clusters);
  await runPGraphBaseline(flow, clusters ?? 2);
  await runSqliteTwoCommitBaseline(500);
}
