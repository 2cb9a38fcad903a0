import 'reflect-metadata';
import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { bootstrap, Flow, Main, Step, type Type } from '../src';
import { scratchDirectory } from './scratch';
import { distribution } from './stats';

const HOUR = 3_600_000;
const YEAR_START = Date.UTC(2025, 0, 1);
const NOW = new Date('2026-01-01T00:00:00Z');
const hourOf = (i: number) => new Date(YEAR_START + i * HOUR).toISOString().slice(0, 13).replace(/[-T]/g, '');
/** The flag the measuring processes are started with: the SQLite file, flows and ticks follow. */
const CHILD_FLAG = '--scheduler-process';

@Step({ name: 'work' })
class Work {
  @Main() run() {}
}

function scheduledFlow(name: string): Type {
  @Flow({ name, steps: [Work], schedule: { every: 'hour', start: '2025010100' } })
  class BenchFlow {}
  return BenchFlow;
}

const flowNames = (count: number) => Array.from({ length: count }, (_, i) => `flow_${String(i).padStart(3, '0')}`);

/** What one scheduler process measured: its first tick, its later ticks and the baseline beside them (ms). */
interface ProcessFigures {
  firstMs: number;
  firstBaselineMs: number;
  tickMs: number[];
  baselineMs: number[];
}

/**
 * What one scheduler tick costs on a database with history: `flows` hourly flows, each with a year
 * (8,760 periods) of processed flow rows and their claims, and two failed periods without a retry
 * left, on a SQLite file. The tick at 2026-01-01T00:00Z finds nothing due: it is all decision, the
 * cost every tick pays however little it starts.
 *
 * Each scheduler is a fresh Node process on the file (a restart: nothing in memory, a cold
 * connection), as a deployment's is. The first process meets a database without marks (as after the
 * upgrade): it counts every flow's periods from its start once, and writes the marks. The next
 * `restarts` processes find the marks: their first tick is what a restart costs. Each process
 * compares its ticks with a baseline measured in the same process: one indexed lookup of a flow
 * row per flow (the least a tick could read).
 *
 *   node dist/bench/scheduler-tick.js [flows=100] [ticks=21] [restarts=5]
 */
async function main(): Promise<void> {
  const flowCount = Number(process.argv[2] ?? 100);
  const ticks = Number(process.argv[3] ?? 21);
  const restarts = Number(process.argv[4] ?? 5);
  const file = path.join(scratchDirectory('scheduler-tick-'), 'state.db');
  const names = flowNames(flowCount);
  // The schema, by the application's migrations.
  await (await openApp(file, flowCount)).close();

  // History written directly, in one transaction: the bench measures reading it, not writing it.
  const periods = 365 * 24;
  const fill = new Database(file);
  const insertFlow = fill.prepare(
    `INSERT INTO flow (flow_name, timeperiod, state, run_mode, created_at, started_at, finished_at) VALUES (?, ?, ?, 'run', ?, ?, ?)`,
  );
  const insertClaim = fill.prepare(
    `INSERT INTO schedule_claim (flow_name, timeperiod, attempt, kind, holder_id, host, pid, claimed_at, finished_at, outcome) VALUES (?, ?, ?, ?, 'bench', 'bench', 1, ?, ?, ?)`,
  );
  const started = performance.now();
  fill.transaction(() => {
    for (const name of names) {
      for (let i = 0; i < periods; i++) {
        const tp = hourOf(i);
        const failed = i === 1000 || i === 5000;
        const at = new Date(YEAR_START + (i + 1) * HOUR).toISOString();
        insertFlow.run(name, tp, failed ? 'invalid' : 'processed', at, at, at);
        const claimedAt = YEAR_START + (i + 1) * HOUR;
        insertClaim.run(name, tp, 1, 'run', claimedAt, claimedAt, failed ? 'invalid' : 'processed');
        if (failed) for (const attempt of [2, 3]) insertClaim.run(name, tp, attempt, 'retry', claimedAt, claimedAt, 'invalid');
      }
    }
  })();
  fill.exec('ANALYZE');
  // The history in the database file, not in a WAL that the ticks' first commits would checkpoint.
  fill.pragma('wal_checkpoint(TRUNCATE)');
  fill.close();
  console.log(
    `scheduler tick: ${flowCount} hourly flows x ${periods.toLocaleString('en-US')} periods of history ` +
      `(${(flowCount * periods).toLocaleString('en-US')} flow rows, as many claims) written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const unmarked = await inProcess(file, flowCount, ticks);
  const marked: ProcessFigures[] = [];
  for (let i = 0; i < restarts; i++) marked.push(await inProcess(file, flowCount, ticks));

  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const firsts = distribution(marked.map((p) => p.firstMs))!;
  const firstBaselines = distribution(marked.map((p) => p.firstBaselineMs))!;
  const later = distribution(marked.flatMap((p) => p.tickMs))!;
  const baseline = distribution(marked.flatMap((p) => p.baselineMs))!;
  console.log(
    `first tick, no marks yet (once, after the upgrade): ${ms(unmarked.firstMs)} ` +
      `(baseline ${ms(unmarked.firstBaselineMs)}, ${(unmarked.firstMs / unmarked.firstBaselineMs).toFixed(0)}x)`,
  );
  console.log(
    `first tick of a restarted scheduler process: median ${ms(firsts.p50)}, max ${ms(firsts.max)} over ${restarts} processes ` +
      `(baseline median ${ms(firstBaselines.p50)}, ${(firsts.p50 / firstBaselines.p50).toFixed(0)}x)`,
  );
  console.log(`later ticks: median ${ms(later.p50)}, max ${ms(later.max)} over ${later.count} ticks`);
  console.log(`baseline:    median ${baseline.p50.toFixed(3)} ms (${flowCount} indexed flow-row lookups, in the same processes)`);
  console.log(`ratio:       later ticks ${(later.p50 / baseline.p50).toFixed(0)}x the baseline`);
  const worst = Math.max(firsts.max, later.p50);
  console.log(`target < 50 ms for a tick, the first included: ${worst < 50 ? 'met' : 'NOT met'}`);
}

/** Runs one scheduler process on the file: its figures. */
function inProcess(file: string, flowCount: number, ticks: number): Promise<ProcessFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [CHILD_FLAG, file, String(flowCount), String(ticks)], {
      execArgv: ['--enable-source-maps'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let figures: ProcessFigures | undefined;
    child.on('message', (message) => (figures = message as ProcessFigures));
    child.on('error', reject);
    child.on('exit', (code) =>
      figures && code === 0 ? resolve(figures) : reject(new Error(`scheduler process exited with code ${code}`)),
    );
  });
}

/** An application of `flowCount` scheduled flows on the SQLite file, its schema migrated. */
async function openApp(file: string, flowCount: number) {
  const app = await bootstrap({
    flows: flowNames(flowCount).map(scheduledFlow),
    database: { type: 'better-sqlite3', database: file },
    logDirectory: path.dirname(file),
  });
  await app.ready();
  return app;
}

/** One scheduler process: a new app on the file, its first tick, then `ticks` more, each beside the baseline. */
async function measure(file: string, flowCount: number, ticks: number): Promise<ProcessFigures> {
  const names = flowNames(flowCount);
  const app = await openApp(file, flowCount);
  const db = new Database(file, { readonly: true });
  const lookup = db.prepare('SELECT state FROM flow WHERE flow_name = ? AND timeperiod = ?');
  const lookups = () => {
    const t0 = performance.now();
    for (const name of names) lookup.get(name, '2025123123');
    return performance.now() - t0;
  };
  const scheduler = app.scheduler();
  const tick = async () => {
    const t0 = performance.now();
    const report = await scheduler.tick(NOW);
    const ms = performance.now() - t0;
    if (report.triggered.length || report.skipped.length !== 2 * flowCount)
      throw new Error(`unexpected tick: ${report.triggered.length} triggered, ${report.skipped.length} skipped`);
    return ms;
  };
  const firstMs = await tick();
  const firstBaselineMs = lookups();
  for (let i = 0; i < 3; i++) await tick();
  const tickMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < ticks; i++) {
    tickMs.push(await tick());
    baselineMs.push(lookups());
  }
  db.close();
  await scheduler.stop();
  await app.close();
  return { firstMs, firstBaselineMs, tickMs, baselineMs };
}

if (process.argv[2] === CHILD_FLAG) {
  const [file, flows, ticks] = process.argv.slice(3);
  void measure(file, Number(flows), Number(ticks))
    .then(
      (figures) => new Promise<void>((resolve, reject) => process.send!(figures, (err: Error | null) => (err ? reject(err) : resolve()))),
    )
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
} else {
  void main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
