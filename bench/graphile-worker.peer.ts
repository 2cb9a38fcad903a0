import { Logger, makeWorkerUtils, run, type Task } from 'graphile-worker';
import { Client } from 'pg';
import { nowMs, type PeerRunFigures } from './peer-run';
import type { NoOpFlow } from './no-op-flows';
import { distribution, perSecond } from './stats';
import { dependentsOf, hopsFromRecords, verifyStepRecords, type StepRecord } from './step-record.verifier';

const TASK = 'bench_step';

/**
 * graphile-worker on the same PostgreSQL, the way its users build a DAG: one job per step, the
 * roots added up front, and each job, when its work is done, records its result and adds the
 * dependents whose last dependency it was, in one statement (so one commit), counting down a
 * row per dependent. graphile then completes the job (a second commit). Runs the flow `runs`
 * times in one runner; the first is the warm-up, the figures are the last run's.
 */
export async function runGraphileWorkerPeer(
  flow: NoOpFlow,
  connectionString: string,
  concurrency: number,
  runs = 2,
): Promise<PeerRunFigures> {
  const utils = await makeWorkerUtils({ connectionString, logger: silent });
  await utils.migrate();
  await utils.release();
  const db = new Client({ connectionString });
  await db.connect();
  const { dependents, dependencyCount } = dependentsOf(flow);
  const invocations = new Map<string, number>();
  let completed = 0;
  let allDone: () => void = () => undefined;
  const task: Task = async (payload, helpers) => {
    const { step } = payload as { step: string };
    const startedAt = nowMs();
    invocations.set(step, (invocations.get(step) ?? 0) + 1);
    const finishedAt = nowMs();
    await helpers.query(
      `WITH done AS (INSERT INTO bench_results (step, started_at, finished_at) VALUES ($1, $2, $3)),
            ready AS (UPDATE bench_remaining SET remaining = remaining - 1 WHERE step = ANY($4::text[]) RETURNING step, remaining)
       SELECT graphile_worker.add_job($5, json_build_object('step', step)) FROM ready WHERE remaining = 0`,
      [step, startedAt, finishedAt, dependents.get(step) ?? [], TASK],
    );
  };
  const runner = await run({
    connectionString,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: silent,
    taskList: { [TASK]: task },
  });
  runner.events.on('job:complete', ({ error }) => {
    if (error) return;
    if (++completed === flow.steps) allDone();
  });
  try {
    await db.query(
      'CREATE TABLE bench_results (step text NOT NULL, started_at double precision NOT NULL, finished_at double precision NOT NULL)',
    );
    await db.query('CREATE TABLE bench_remaining (step text PRIMARY KEY, remaining integer NOT NULL)');
    let figures: PeerRunFigures | undefined;
    for (let i = 0; i < runs; i++) {
      await db.query('TRUNCATE bench_results, bench_remaining');
      await db.query('INSERT INTO bench_remaining SELECT * FROM unnest($1::text[], $2::int[])', [
        [...dependencyCount.keys()],
        [...dependencyCount.values()],
      ]);
      invocations.clear();
      completed = 0;
      const done = new Promise<void>((resolve) => (allDone = resolve));
      const roots = flow.stepNames.filter((step) => !dependencyCount.has(step));
      const started = performance.now();
      await db.query(`SELECT graphile_worker.add_job($1, json_build_object('step', step)) FROM unnest($2::text[]) AS step`, [TASK, roots]);
      await done;
      // graphile emits job:complete before its completion is committed (completions are batched in
      // the background): the run ends when the jobs table is empty, so every job is recorded as done.
      await untilNoJobsLeft(db);
      const runMs = performance.now() - started;
      figures = {
        engine: 'graphile-worker',
        shape: flow.shape,
        steps: flow.steps,
        concurrency,
        runMs,
        stepsPerSecond: perSecond(flow.steps, runMs),
        ...(await readBack(db, flow, invocations)),
      };
    }
    return figures!;
  } finally {
    await runner.stop();
    await db.end();
  }
}

async function untilNoJobsLeft(db: Client): Promise<void> {
  const deadline = performance.now() + 30_000;
  while ((await db.query<{ left: boolean }>('SELECT EXISTS (SELECT 1 FROM graphile_worker._private_jobs) AS left')).rows[0].left) {
    if (performance.now() > deadline) return; // readBack reports the jobs left
  }
}

/** The results table and graphile's own jobs table: every job gone (completed), one result per step. */
async function readBack(db: Client, flow: NoOpFlow, invocations: Map<string, number>): Promise<Pick<PeerRunFigures, 'hopMs' | 'problems'>> {
  const { rows } = await db.query<{ step: string; started_at: number; finished_at: number }>(
    'SELECT step, started_at, finished_at FROM bench_results',
  );
  const records: StepRecord[] = rows.map((r) => ({
    step: r.step,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    runs: invocations.get(r.step) ?? 0,
  }));
  const left = await db.query<{ n: string }>('SELECT count(*) AS n FROM graphile_worker._private_jobs');
  const problems = verifyStepRecords(flow, records);
  if (Number(left.rows[0].n) !== 0) problems.push(`${left.rows[0].n} jobs are still in graphile_worker's jobs table`);
  return { hopMs: distribution(hopsFromRecords(flow, records)), problems };
}

/** graphile-worker logs every job at info level: the benchmark's output is its figures. */
const silent = new Logger(() => () => undefined);
