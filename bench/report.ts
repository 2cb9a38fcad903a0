import type { BootstrapFigures } from './bootstrap.scenario';
import type { ColdStartFigures } from './cold-start.scenario';
import type { PeerComparison } from './peer.comparison';
import type { MemoryFigures } from './peer.job';
import { peerReport } from './peers.report';
import type { EngineFigures, RunFigures } from './engine.scenario';
import type { ScenarioFigures } from './scenario.job';
import type { Distribution } from './stats';
import { describeOtherCpu, type OtherCpu } from './other-cpu';

export interface BenchReport {
  date: string;
  machine: string;
  node: string;
  loadAverage: { before: number[]; after: number[] };
  /** What other processes took of the CPUs during the run (Linux; absent elsewhere). */
  otherCpu?: OtherCpu;
  clusters: number;
  processes: string;
  scenarios: ScenarioFigures[];
  bootstrapOnly: BootstrapFigures[];
  /** Issue 8: peak RSS of processes that bootstrap and run a 10,000-step flow four times, and nothing else. */
  largeFlowMemory?: MemoryFigures[];
  /** Issue 22: beside BullMQ and graphile-worker on PostgreSQL, and the peak RSS beside BullMQ's. */
  peers?: PeerComparison;
  /** Issue 22: the CLI's cold start beside a warm run. */
  coldStart?: ColdStartFigures;
  targets?: TargetCheck[];
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** Prints the tables and the issue's targets to stdout, and adds the target checks to the report. */
export function printReport(report: BenchReport): void {
  const out: string[] = [''];
  out.push(`machine: ${report.machine}`);
  out.push(`load average before / after: ${fmtLoad(report.loadAverage.before)} / ${fmtLoad(report.loadAverage.after)}`);
  if (report.otherCpu) out.push(`while it ran, ${describeOtherCpu(report.otherCpu)}`);
  const sqlite = report.scenarios.length > 0 || report.bootstrapOnly.length > 0;
  if (sqlite) out.push(...sqliteSection(report));
  const peers = peerReport(report.peers, report.coldStart);
  if (peers.lines.length) out.push(...peers.lines, '');
  report.targets = [...(sqlite ? checkTargets(report) : []), ...peers.checks];
  out.push('targets (issue 8 on SQLite, issue 22 beside the peers):');
  for (const t of report.targets) out.push(`  [${t.met ? 'met ' : 'MISS'}] ${t.target}: ${t.measured}`);
  process.stdout.write(out.join('\n') + '\n');
}

/** The engine on SQLite beside its raw baselines (issue 8). */
function sqliteSection(report: BenchReport): string[] {
  const out: string[] = [];
  out.push(
    `engine: no-op steps, SQLite file (WAL), log files, ${report.clusters} local clusters; ${report.processes}, baselines measured in the same process just before`,
  );
  out.push('');
  out.push('throughput, beside the baselines of the same process');
  out.push(
    ...table(
      [
        'scenario',
        'run',
        'steps/s',
        'raw SQLite',
        'x SQLite',
        'log files/s',
        'x log files',
        'p-graph',
        'x p-graph',
        'steps-phase/s',
        'x SQLite',
      ],
      rows(report, ({ sqlite, pGraph, logFiles }, run, label) => [
        label,
        int(run.stepsPerSecond),
        int(sqlite.stepsPerSecond),
        ratio(run.stepsPerSecond / sqlite.stepsPerSecond),
        int(logFiles.filesPerSecond),
        ratio(run.stepsPerSecond / logFiles.filesPerSecond),
        int(pGraph.stepsPerSecond),
        ratio(run.stepsPerSecond / pGraph.stepsPerSecond),
        int(run.stepsPhasePerSecond),
        ratio(run.stepsPhasePerSecond / sqlite.stepsPerSecond),
      ]),
    ),
  );
  out.push(`  run: "first" is the flow's first run, which creates its ${'<step>'}.log files; "next" the median, by steps/s, of the`);
  out.push('  runs of the next timeperiods in the same application and log directory (the files exist, lines are appended)');
  out.push('  raw SQLite: better-sqlite3 committing in_progress then processed, one transaction each, same file system and settings;');
  out.push(`  the median of ${samplesNote(report)} in the scenario's process, just before its engine runs`);
  out.push('  log files/s: creating, appending to and closing one file per step; steps-phase: first step started -> last processed');
  out.push('');
  out.push('latency, phases and memory');
  out.push(
    ...table(
      [
        'scenario',
        'run',
        'hop p50',
        'hop p99',
        'p-graph hop p50',
        'bootstrap',
        'prepare',
        'steps',
        'finish',
        'run',
        'peak RSS',
        'logs open',
      ],
      rows(report, ({ engine: e, pGraph }, run, label) => [
        label,
        run.hopMs ? ms(run.hopMs.p50) : '-',
        run.hopMs ? ms(run.hopMs.p99) : '-',
        pGraph.hopMs ? ms(pGraph.hopMs.p50) : '-',
        ms(e.bootstrapMs),
        ms(run.prepareMs),
        ms(run.stepsMs),
        ms(run.finishMs),
        ms(run.runMs),
        `${e.peakRssMiB.toFixed(0)} MiB`,
        `${e.maxOpenLogFiles}`,
      ]),
    ),
  );
  out.push('  hop: a dependency processed (durable) -> its dependent in_progress (durable), from the events; with 2 clusters a');
  out.push('  layered step also waits for a free cluster. finish: last step processed -> run() returned (flow row, log files)');
  out.push('  peak RSS and logs open: over bootstrap and every run of the scenario, in its process (after its baselines: see the targets)');
  const sqliteCommits = report.scenarios.map((s) => s.sqlite);
  if (sqliteCommits.length) {
    const s = sqliteCommits[0];
    out.push(`  raw SQLite commit (first scenario's process): ${lat(s.commitMs)}; journal ${s.journalMode}, synchronous ${s.synchronous}`);
  }
  out.push('');
  out.push(`bootstrap + scan alone: ${report.bootstrapOnly.map((b) => `${int(b.steps)} steps ${ms(b.bootstrapMs)}`).join(', ')}`);
  out.push('');
  return out;
}

/** Issue 8's targets on SQLite, from the scenarios, the bootstrap alone and the large flows' own processes. */
export function checkTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const find = (shape: string, steps: number) => report.scenarios.find((s) => s.engine.shape === shape && s.engine.steps === steps);
  const dag = find('layered', 10_000);
  if (dag) {
    for (const [run, which] of [
      [dag.engine.nextMedian, 'next timeperiods (median)'],
      [dag.engine.first, `first run (creates ${int(dag.engine.steps)} log files)`],
    ] as const) {
      const r = run.stepsPerSecond / dag.sqlite.stepsPerSecond;
      // A first run creates a file per step. Whether the disk bounded it shows in its own `finish`
      // (last step processed -> run() returned), which is the log thread catching up: the
      // baseline's rate, measured in another directory, can be ten times off the engine's (on
      // ext4 without a journal, creating files is slow only where files were deleted minutes
      // before, see docs/benchmarks.md).
      const diskBound = run === dag.engine.first && run.finishMs > 0.25 * run.runMs;
      checks.push({
        target: `layered DAG of 10,000 steps >= 0.5x the raw SQLite two-commit loop, ${which}`,
        measured:
          `${int(run.stepsPerSecond)} vs ${int(dag.sqlite.stepsPerSecond)} steps/s = ${ratio(r)} (steps phase alone ${ratio(run.stepsPhasePerSecond / dag.sqlite.stepsPerSecond)}; ` +
          `finish ${ms(run.finishMs)}${diskBound ? ': the log thread was still creating log files after the last step, the disk bounds this run' : ''})`,
        met: r >= 0.5,
      });
    }
  }
  const chain = find('chain', 1_000)?.engine;
  if (chain) {
    // Every run of the chain counts: the worst p50 and p99 of them.
    const hops = allRuns(chain).map((r) => r.hopMs!);
    const p50 = Math.max(...hops.map((h) => h.p50));
    const p99 = Math.max(...hops.map((h) => h.p99));
    checks.push({ target: 'chain hop p50 <= 0.5 ms (worst run)', measured: ms(p50), met: p50 <= 0.5 });
    checks.push({ target: 'chain hop p99 <= 5 ms (worst run)', measured: ms(p99), met: p99 <= 5 });
  }
  for (const [steps, limit] of [
    [2_000, 300],
    [10_000, 1_500],
  ] as const) {
    const b = report.bootstrapOnly.find((x) => x.steps === steps);
    if (b)
      checks.push({
        target: `bootstrap + scan of ${int(steps)} steps < ${int(limit)} ms`,
        measured: ms(b.bootstrapMs),
        met: b.bootstrapMs < limit,
      });
  }
  const largeFlow = report.largeFlowMemory ?? [];
  if (largeFlow.length) {
    const peak = Math.max(...largeFlow.map((m) => m.peakRssMiB));
    const byShape = (['layered', 'independent'] as const).flatMap((shape) => {
      const peaks = largeFlow.filter((m) => m.shape === shape).map((m) => m.peakRssMiB);
      return peaks.length ? [`${shape} ${mibRange(peaks)}`] : [];
    });
    const inScenario = report.scenarios.filter((s) => s.engine.steps >= 10_000).map((s) => s.engine.peakRssMiB);
    checks.push({
      target: 'peak RSS with a 10,000-step flow < 200 MiB (bootstrap and four timeperiods, a process of its own; more: rss-over-runs.js)',
      measured:
        `${byShape.join(', ')} MiB (${largeFlow.length} processes)` +
        (inScenario.length ? `; in the scenarios' processes, after their baselines: ${mibRange(inScenario)} MiB` : ''),
      met: peak < 200 && largeFlow.every((m) => m.problems.length === 0),
    });
  }
  for (const shape of ['layered', 'independent']) {
    const small = find(shape, 1_000)?.engine;
    const large = find(shape, 10_000)?.engine;
    if (small && large) {
      const r = large.nextMedian.stepsPerSecond / small.nextMedian.stepsPerSecond;
      checks.push({
        target: `${shape}: steps/s at 10,000 within 20% of 1,000 (next timeperiods)`,
        measured: `${int(large.nextMedian.stepsPerSecond)} vs ${int(small.nextMedian.stepsPerSecond)} (${ratio(r)})`,
        met: r >= 0.8,
      });
    }
  }
  const maxOpen = Math.max(0, ...report.scenarios.map((s) => s.engine.maxOpenLogFiles));
  checks.push({ target: 'at most 64 log files open at once', measured: `${maxOpen}`, met: maxOpen <= 64 });
  const runs = report.scenarios.flatMap((s) => allRuns(s.engine).map((run) => ({ e: s.engine, run })));
  const incomplete = runs.filter(({ e, run }) => run.persistedProcessed !== e.steps || run.orderedEdges !== e.edges);
  checks.push({
    target: 'every step persisted processed, each dependency finished before its dependents started',
    measured: incomplete.length
      ? incomplete
          .map(
            ({ e, run }) =>
              `${e.scenario} ${run.timeperiod}: ${run.persistedProcessed}/${e.steps} rows, ${run.orderedEdges}/${e.edges} edges`,
          )
          .join('; ')
      : `all ${runs.length} runs`,
    met: incomplete.length === 0,
  });
  return checks;
}

/** How many raw SQLite samples each scenario took, and their steps/s (the spread is the machine's). */
/** '174' or '171-176': the lowest and highest of some peaks, whole MiB. */
function mibRange(peaks: readonly number[]): string {
  const [low, high] = [Math.min(...peaks), Math.max(...peaks)].map((mib) => mib.toFixed(0));
  return low === high ? low : `${low}-${high}`;
}

function samplesNote(report: BenchReport): string {
  const spreads = report.scenarios.map(
    (s) => `${s.engine.scenario} ${(s.sqlite.samples ?? [s.sqlite.stepsPerSecond]).map(int).join(' / ')}`,
  );
  const count = Math.max(1, ...report.scenarios.map((s) => s.sqlite.samples?.length ?? 1));
  return `${count} samples (${spreads.join('; ')})`;
}

function allRuns(e: EngineFigures): RunFigures[] {
  return [e.first, ...e.next];
}

/** Two rows per scenario: its first run, and the median of the next ones. */
function rows(report: BenchReport, cells: (s: ScenarioFigures, run: RunFigures, label: string) => string[]): string[][] {
  return report.scenarios.flatMap((s) => [
    [s.engine.scenario, ...cells(s, s.engine.first, 'first')],
    ['', ...cells(s, s.engine.nextMedian, `next (${s.engine.next.length})`)],
  ]);
}

export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)];
}

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const ratio = (r: number) => `${r.toFixed(2)}x`;
export const ms = (n: number) => (n < 10 ? `${n.toFixed(3)} ms` : `${n.toFixed(0)} ms`);
const lat = (d: Distribution) => `p50 ${ms(d.p50)} p99 ${ms(d.p99)}`;
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
