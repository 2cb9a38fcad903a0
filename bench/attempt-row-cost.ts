import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createDataSource } from '../src/persistence';
import { scratchDirectory } from './scratch';
import { medianBy } from './stats';
import { ATTEMPT_IDS_PER_RUN } from '../src/persistence/history/attempt-ids';

/**
 * What a step's `step_attempt` row costs SQLite, apart from the engine: raw better-sqlite3 on the
 * engine's schema (created by its migrations), the statements the engine's group commits run,
 * `perCommit` steps a commit (the engine's layered and independent 1,000-step flows commit about
 * two steps at a time). Three ways, alternating round by round on their own files, in one process:
 *
 * - `step rows only`: the two step row updates of each step (the release before run history);
 * - `insert + update`: those, and the attempt row inserted when it starts and updated when it ends
 *   (run history as first released);
 * - `insert at end`: those, and the attempt row inserted once, finished, when it ends (today).
 *
 * Prints the CPU per step of each (the median of the rounds) and the ratios to the first.
 *
 *   node dist/bench/attempt-row-cost.js [steps=1000] [rounds=9] [perCommit=2]
 */
const WAYS = ['step rows only', 'insert + update', 'insert at end'] as const;
type Way = (typeof WAYS)[number];

async function main(): Promise<void> {
  const [stepsArg, roundsArg, perCommitArg] = process.argv.slice(2);
  const steps = Number(stepsArg ?? 1_000);
  const rounds = Number(roundsArg ?? 9);
  const perCommit = Number(perCommitArg ?? 2);
  console.log(`${steps.toLocaleString('en-US')} steps a run, ${perCommit} a commit, ${rounds} rounds, alternating`);
  const runners = Object.fromEntries(await Promise.all(WAYS.map(async (way) => [way, await runnerOf(way, steps, perCommit)]))) as Record<
    Way,
    (round: number) => number
  >;
  for (const way of WAYS) runners[way](-1); // warm-up
  const cpu = Object.fromEntries(WAYS.map((way) => [way, [] as number[]])) as Record<Way, number[]>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? WAYS : [...WAYS].reverse();
    for (const way of order) cpu[way].push(runners[way](round));
  }
  const base = medianBy(cpu['step rows only'], (x) => x);
  for (const way of WAYS) {
    const median = medianBy(cpu[way], (x) => x);
    console.log(`  ${way.padEnd(16)} ${median.toFixed(2).padStart(7)} us/step CPU   ${(median / base).toFixed(2)}x the step rows alone`);
  }
}

/** A file with the engine's schema and a run's step rows; returns what runs one run's writes `way` and says its CPU per step. */
async function runnerOf(way: Way, steps: number, perCommit: number): Promise<(round: number) => number> {
  const file = path.join(scratchDirectory('attempt-row-'), 'synergy-flow.db');
  const dataSource = await createDataSource({ type: 'better-sqlite3', database: file });
  await dataSource.destroy();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const now = () => new Date().toISOString().replace('T', ' ').slice(0, 23);
  const addStep = db.prepare(
    `INSERT INTO step (flow_id, flow_name, step_name, timeperiod, state, attempt, created_at) VALUES (1, 'bench', ?, '2026112600', 'embryo', 0, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < steps; i++) addStep.run(`step_${i}`, now());
  })();
  const ids = (db.prepare('SELECT id, step_name AS name FROM step ORDER BY id').all() as Array<{ id: number; name: string }>).slice();
  const start = db.prepare('UPDATE step SET state = ?, attempt = ?, started_at = ?, finished_at = NULL, error = NULL WHERE id = ?');
  const finish = db.prepare('UPDATE step SET state = ?, finished_at = ? WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO step_attempt (id, run_id, flow_name, timeperiod, step_name, attempt, state, cluster, started_at, finished_at, error)
     VALUES (?, ?, 'bench', '2026112600', ?, 1, ?, 'local-1', ?, ?, NULL)`,
  );
  const end = db.prepare('UPDATE step_attempt SET state = ?, finished_at = ?, error = NULL WHERE id = ?');
  // One commit: the ends of the steps before, the starts of the steps after (as the engine's commits hold them).
  // Each run's attempt ids are a range of its own, as the engine gives them (attempt-ids.ts).
  const attemptIdOf = (runNumber: number, i: number) => runNumber * ATTEMPT_IDS_PER_RUN + i;
  const commit = db.transaction((runNumber: number, runId: string, ending: number[], starting: number[]) => {
    for (const i of ending) {
      const at = now();
      finish.run('processed', at, ids[i].id);
      const attemptId = attemptIdOf(runNumber, i);
      if (way === 'insert + update') end.run('processed', at, attemptId);
      if (way === 'insert at end') insert.run(attemptId, runId, ids[i].name, 'processed', at, at);
    }
    for (const i of starting) {
      const at = now();
      start.run('in_progress', 1, at, ids[i].id);
      if (way === 'insert + update') insert.run(attemptIdOf(runNumber, i), runId, ids[i].name, 'in_progress', at, null);
    }
  });
  return (round) => {
    const runId = `run${String(round + 1).padStart(11, '0')}`;
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i <= steps; i += perCommit) {
      const ending = range(i - perCommit, Math.min(i, steps));
      const starting = range(i, Math.min(i + perCommit, steps));
      commit(round + 2, runId, ending, starting);
    }
    const { user, system } = process.cpuUsage(cpuBefore);
    return (user + system) / steps;
  };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, from); i < to; i++) out.push(i);
  return out;
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
