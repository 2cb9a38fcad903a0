import * as path from 'node:path';
import { bootstrap, StepState, type BootstrapOptions, type FlowEvent } from '../src';
import type { NoOpFlow } from './no-op-flows';
import { openFilesUnder } from './open-files';
import { PeakRss } from './peak-rss';
import { distribution, medianBy, perSecond, type Distribution } from './stats';
import { scratchDirectory } from './scratch';
import { verifyStepRecords } from './step-record.verifier';

/** One app.run() of the scenario's flow. */
export interface RunFigures {
  timeperiod: string;
  /** app.run() until the flow is in_progress: lease, reading old rows, writing every step row. */
  prepareMs: number;
  /** First step in_progress -> last step processed: the steps themselves. */
  stepsMs: number;
  /** Last step processed -> app.run() returned: the flow's final row, and writing out the logs. */
  finishMs: number;
  /** app.run() from call to return. */
  runMs: number;
  /** Steps / runMs: the whole run, set-up and wind-down included. */
  stepsPerSecond: number;
  /** Steps / stepsMs. */
  stepsPhasePerSecond: number;
  /** Dependency processed (durable) -> dependent in_progress (durable), from the events' timestamps. */
  hopMs: Distribution | null;
  /** Steps whose row says processed, with started_at/finished_at set, read back after the run. */
  persistedProcessed: number;
  /** Dependency edges whose rows show the dependency finished no later than the dependent started. */
  orderedEdges: number;
  /** What verifyStepRecords found wrong in the rows read back; empty: none. */
  problems: string[];
}

export interface EngineFigures {
  scenario: string;
  shape: string;
  steps: number;
  clusters: number;
  /** bootstrap(): scan + validation of the flow, opening the SQLite file, schema check. */
  bootstrapMs: number;
  /** The flow's first run: it creates every step's log file, and runs this flow's code for the first time. */
  first: RunFigures;
  /** The runs of the next timeperiods, in the same application and log directory: their log files exist. */
  next: RunFigures[];
  /** Of `next`, the run with the median steps/s. */
  nextMedian: RunFigures;
  /** Over bootstrap and every run. */
  peakRssMiB: number;
  maxOpenLogFiles: number;
  /** Log files the process holds open when the last run ends (read from /proc, not from the engine). */
  openLogFilesAtEnd: number | null;
  edges: number;
}

/**
 * How many timeperiods each scenario runs: a flow runs once per timeperiod (a daily flow, every
 * day), and only its first run creates the log files (`<flow>/<step>.log` holds every timeperiod).
 */
export const TIMEPERIODS = ['2026112600', '2026112700', '2026112800', '2026112900'];

/**
 * Runs one no-op flow on the engine's defaults (SQLite file in WAL mode, log files, local
 * clusters), in a fresh directory, for each of TIMEPERIODS in turn, and reads the figures of
 * each run from the events and rows.
 */
export async function runEngineScenario(
  flow: NoOpFlow,
  clusters: number | undefined,
  timeperiods: readonly string[] = TIMEPERIODS,
  database?: BootstrapOptions['database'],
  eachRun: RunHooks = {},
): Promise<EngineFigures> {
  const dir = scratchDirectory('engine-');
  const memory = new PeakRss();
  memory.start();
  const started = performance.now();
  const app = await bootstrap({
    flows: [flow.flowClass],
    database: database ?? { type: 'better-sqlite3', database: path.join(dir, 'synergy-flow.db') },
    logDirectory: path.join(dir, 'logs'),
    tuneV8: true, // as bootstrap() did unasked before it became opt-in: the figures stay comparable
    ...(clusters ? { cluster: { type: 'local', count: clusters } } : {}),
  });
  // The database opens lazily; opened here so that the figure still covers it, as before.
  await app.ready();
  const bootstrapMs = performance.now() - started;
  try {
    const measured: Array<Omit<RunFigures, 'persistedProcessed' | 'orderedEdges' | 'problems'>> = [];
    for (const timeperiod of timeperiods) {
      eachRun.before?.();
      measured.push(await runOnce(app, flow, timeperiod));
      eachRun.after?.();
    }
    const openLogFilesAtEnd = openFilesUnder(path.join(dir, 'logs'));
    const peakRssMiB = memory.stop();
    // Read back only now: reading 10,000 rows through TypeORM is the benchmark's work, and must
    // not weigh on the peak RSS it reports for the engine.
    const runs: RunFigures[] = [];
    for (const run of measured) runs.push({ ...run, ...(await checkPersisted(app, flow, run.timeperiod)) });
    const [first, ...next] = runs;
    return {
      scenario: flow.name,
      shape: flow.shape,
      steps: flow.steps,
      clusters: clusters ?? 2,
      bootstrapMs,
      first,
      next,
      nextMedian: medianBy(next.length ? next : runs, (run) => run.stepsPerSecond),
      peakRssMiB,
      maxOpenLogFiles: app.logs.maxOpenFiles,
      openLogFilesAtEnd,
      edges: flow.edges.length,
    };
  } finally {
    await app.close();
  }
}

/** Called around each timeperiod's app.run() (a memory job takes each run's peak). */
export interface RunHooks {
  before?: () => void;
  after?: () => void;
}

type App = Awaited<ReturnType<typeof bootstrap>>;

async function runOnce(
  app: App,
  flow: NoOpFlow,
  timeperiod: string,
): Promise<Omit<RunFigures, 'persistedProcessed' | 'orderedEdges' | 'problems'>> {
  // Only the two times a step's figures need, not the events themselves: the benchmark's own
  // bookkeeping must not weigh on the peak RSS it reports.
  const times = stepTimes(flow);
  let flowInProgressAt = NaN;
  const subscription = app.events$.subscribe((event) => record(event, times, (at) => (flowInProgressAt = at)));
  try {
    // Taken after subscribing: a first subscription loads the event stream's modules, which is no part of the run.
    const started = performance.now();
    const runStartedAt = performance.timeOrigin + started;
    const result = await app.run(flow.name, { timeperiod });
    const runMs = performance.now() - started;
    const runEndedAt = performance.timeOrigin + performance.now();
    if (result.state !== 'processed') throw new Error(`benchmark flow ${flow.name} ended ${result.state}: ${result.error ?? ''}`);
    const phase = stepsPhase(times);
    return {
      timeperiod,
      prepareMs: flowInProgressAt - runStartedAt,
      stepsMs: phase.lastProcessedAt - phase.firstStartedAt,
      finishMs: runEndedAt - phase.lastProcessedAt,
      runMs,
      stepsPerSecond: perSecond(flow.steps, runMs),
      stepsPhasePerSecond: perSecond(flow.steps, phase.lastProcessedAt - phase.firstStartedAt),
      hopMs: distribution(hops(flow, times)),
    };
  } finally {
    subscription.unsubscribe();
  }
}

/**
 * When each step first went in_progress and when it was processed, from the events' timestamps,
 * in typed arrays by step index (NaN: not yet): the benchmark's own bookkeeping must weigh as
 * little as it can on the peak RSS it reports, and two Maps of 10,000 entries per run did.
 */
interface StepTimes {
  indexOf: ReadonlyMap<string, number>;
  startedAt: Float64Array;
  processedAt: Float64Array;
}

function stepTimes(flow: NoOpFlow): StepTimes {
  return { indexOf: flow.indexOf, startedAt: new Float64Array(flow.steps).fill(NaN), processedAt: new Float64Array(flow.steps).fill(NaN) };
}

function record(event: FlowEvent, times: StepTimes, onFlowInProgress: (at: number) => void): void {
  if (event.type === 'flow' && event.state === 'in_progress') onFlowInProgress(event.at);
  if (event.type !== 'step') return;
  const i = times.indexOf.get(event.stepName)!;
  if (event.state === StepState.PROCESSED) times.processedAt[i] = event.at;
  else if (event.state === StepState.IN_PROGRESS && Number.isNaN(times.startedAt[i])) times.startedAt[i] = event.at;
}

function stepsPhase(times: StepTimes): { firstStartedAt: number; lastProcessedAt: number } {
  let firstStartedAt = Infinity;
  let lastProcessedAt = -Infinity;
  for (const at of times.startedAt) if (!Number.isNaN(at)) firstStartedAt = Math.min(firstStartedAt, at);
  for (const at of times.processedAt) if (!Number.isNaN(at)) lastProcessedAt = Math.max(lastProcessedAt, at);
  return { firstStartedAt, lastProcessedAt };
}

/** For every step with dependencies: its in_progress event minus the last processed event of its dependencies. */
function hops(flow: NoOpFlow, times: StepTimes): number[] {
  const { startedAt, processedAt, indexOf } = times;
  const readyAt = new Float64Array(flow.steps).fill(NaN);
  for (const [dependency, dependent] of flow.edges) {
    const d = indexOf.get(dependent)!;
    const processed = processedAt[indexOf.get(dependency)!];
    readyAt[d] = Number.isNaN(readyAt[d]) ? processed : Math.max(readyAt[d], processed);
  }
  const out: number[] = [];
  readyAt.forEach((ready, i) => {
    if (!Number.isNaN(ready)) out.push(startedAt[i] - ready);
  });
  return out;
}

/** Reads the rows back: the figures count only work that was really persisted, in dependency order. */
async function checkPersisted(
  app: App,
  flow: NoOpFlow,
  timeperiod: string,
): Promise<{ persistedProcessed: number; orderedEdges: number; problems: string[] }> {
  const { steps } = await app.status(flow.name, timeperiod);
  const byName = new Map(steps.map((s) => [s.stepName, s]));
  const persistedProcessed = steps.filter((s) => s.state === StepState.PROCESSED && s.startedAt && s.finishedAt).length;
  let orderedEdges = 0;
  for (const [dependency, dependent] of flow.edges) {
    const before = byName.get(dependency)?.finishedAt?.getTime();
    const after = byName.get(dependent)?.startedAt?.getTime();
    if (before !== undefined && after !== undefined && before <= after) orderedEdges++;
  }
  const records = steps.map((s) => ({
    step: s.stepName,
    startedAt: s.startedAt?.getTime() ?? NaN,
    finishedAt: s.finishedAt?.getTime() ?? NaN,
    // A processed row of attempt 1 is a step whose main action ran once.
    runs: s.state === StepState.PROCESSED ? s.attempt : 0,
  }));
  return { persistedProcessed, orderedEdges, problems: verifyStepRecords(flow, records) };
}
