import 'reflect-metadata';
import Database from 'better-sqlite3';
import * as path from 'node:path';
import { bootstrap, Flow, Main, Step, type Type } from '../src';
import { scratchDirectory } from './scratch';
import { distribution } from './stats';

const HOUR = 3_600_000;
const YEAR_START = Date.UTC(2025, 0, 1);
const hourOf = (i: number) => new Date(YEAR_START + i * HOUR).toISOString().slice(0, 13).replace(/[-T]/g, '');

@Step({ name: 'work' })
class Work {
  @Main() run() {}
}

function scheduledFlow(name: string): Type {
  @Flow({ name, steps: [Work], schedule: { every: 'hour', start: '2025010100' } })
  class BenchFlow {}
  return BenchFlow;
}

/**
 * What one scheduler tick costs on a database with history: `flows` hourly flows, each with a year
 * (8,760 periods) of processed flow rows and their claims, and two failed periods without a retry
 * left, on a SQLite file. The tick at 2026-01-01T00:00Z finds nothing due: it is all decision, the
 * cost every tick pays however little it starts. Compared with a baseline measured in the same
 * process: one indexed lookup of a flow row per flow (the least a tick could read).
 *
 *   node dist/bench/scheduler-tick.js [flows=100] [ticks=21]
 */
async function main(): Promise<void> {
  const flowCount = Number(process.argv[2] ?? 100);
  const ticks = Number(process.argv[3] ?? 21);
  const file = path.join(scratchDirectory('scheduler-tick-'), 'state.db');
  const names = Array.from({ length: flowCount }, (_, i) => `flow_${String(i).padStart(3, '0')}`);
  const app = await bootstrap({
    flows: names.map(scheduledFlow),
    database: { type: 'better-sqlite3', database: file },
    logDirectory: path.dirname(file),
  });
  await app.ready();

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
  const lookup = fill.prepare('SELECT state FROM flow WHERE flow_name = ? AND timeperiod = ?');
  console.log(
    `scheduler tick: ${flowCount} hourly flows x ${periods.toLocaleString('en-US')} periods of history ` +
      `(${(flowCount * periods).toLocaleString('en-US')} flow rows, as many claims) written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const scheduler = app.scheduler();
  const now = new Date('2026-01-01T00:00:00Z');
  // The first tick of a scheduler counts each flow's rows from its start once (an index range of a
  // year), to learn where the periods without a row begin; later ticks count from there.
  let t0 = performance.now();
  const first = await scheduler.tick(now);
  const firstMs = performance.now() - t0;
  if (first.triggered.length || first.skipped.length !== 2 * flowCount)
    throw new Error(`unexpected tick: ${first.triggered.length} triggered, ${first.skipped.length} skipped`);
  for (let i = 0; i < 3; i++) await scheduler.tick(now);
  const tickMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < ticks; i++) {
    t0 = performance.now();
    await scheduler.tick(now);
    tickMs.push(performance.now() - t0);
    t0 = performance.now();
    for (const name of names) lookup.get(name, '2025123123');
    baselineMs.push(performance.now() - t0);
  }
  const tick = distribution(tickMs)!;
  const baseline = distribution(baselineMs)!;
  console.log(`first tick of a scheduler: ${firstMs.toFixed(1)} ms`);
  console.log(`tick():   median ${tick.p50.toFixed(2)} ms, max ${tick.max.toFixed(2)} ms over ${ticks} ticks`);
  console.log(`baseline: median ${baseline.p50.toFixed(3)} ms (${flowCount} indexed flow-row lookups)`);
  console.log(`ratio:    ${(tick.p50 / baseline.p50).toFixed(0)}x the baseline; target < 50 ms: ${tick.p50 < 50 ? 'met' : 'NOT met'}`);
  fill.close();
  await scheduler.stop();
  await app.close();
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
