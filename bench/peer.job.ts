import { runBullmqPeer } from './bullmq.peer';
import { runEngineScenario, TIMEPERIODS } from './engine.scenario';
import { runGraphileWorkerPeer } from './graphile-worker.peer';
import { mainActionProbe, noOpFlow, type FlowShape } from './no-op-flows';
import { distribution } from './stats';
import { hopsFromRecords, verifyStepRecords, type StepRecord } from './step-record.verifier';
import { nowMs, type PeerEngine, type PeerRunFigures } from './peer-run';
import type { PostgresTestOptions } from '../spec/support/postgres-server';

/** One engine, one shape, in a fresh process: a warm-up run, then the measured run. */
export interface PeerJob {
  kind: 'peer';
  engine: PeerEngine;
  shape: FlowShape;
  steps: number;
  concurrency: number;
  /** A fresh database of the bench's PostgreSQL (synergy-flow and graphile-worker). */
  postgres?: PostgresTestOptions;
  redisPort?: number;
}

/** Which engine and store a memory job runs: synergy-flow on either database, or BullMQ. */
export type MemoryEngine = 'synergy-flow-sqlite' | 'synergy-flow-postgres' | 'bullmq';

/** A fresh process that bootstraps and runs a DAG (the layered one unless `shape` says) `runs` times, and nothing else: its peak RSS. */
export interface MemoryJob {
  kind: 'memory';
  engine: MemoryEngine;
  /** Default layered; synergy-flow only (issue 8's 10,000-step flows are measured on both shapes). */
  shape?: FlowShape;
  steps: number;
  runs: number;
  concurrency: number;
  postgres?: PostgresTestOptions;
  redisPort?: number;
}

export interface MemoryFigures {
  engine: MemoryEngine;
  shape: FlowShape;
  steps: number;
  runs: number;
  /** The kernel's high-water mark of the whole process's resident size, from its start to the end of the last run. */
  peakRssMiB: number;
  problems: string[];
}

export async function runPeerJob(job: PeerJob): Promise<PeerRunFigures> {
  const flow = noOpFlow(job.shape, job.steps);
  switch (job.engine) {
    case 'synergy-flow-postgres': {
      // The hop between the steps' main actions, as the peers' jobs time theirs: the events' hop
      // (issue 8's) starts at a dependency's durable `processed`, which the engine may commit in
      // the same batch as its dependent's `in_progress`, and would leave the engine's commit out.
      const timeperiods = TIMEPERIODS.slice(0, 2);
      const ranAt = new Float64Array(flow.steps);
      const calls = new Uint16Array(flow.steps);
      mainActionProbe.onRun = (i) => {
        ranAt[i] = nowMs();
        calls[i]++;
      };
      // The first timeperiod is the warm-up (JIT, TypeORM's metadata, the log files); the second is measured.
      const figures = await runEngineScenario(flow, job.concurrency, timeperiods, job.postgres);
      mainActionProbe.onRun = undefined;
      const run = figures.next[0];
      const actions: StepRecord[] = flow.stepNames.map((step, i) => ({
        step,
        startedAt: ranAt[i],
        finishedAt: ranAt[i],
        runs: calls[i] / timeperiods.length,
      }));
      const problems = [...run.problems, ...verifyStepRecords(flow, actions).map((p) => `main actions: ${p}`)];
      return {
        engine: job.engine,
        shape: job.shape,
        steps: job.steps,
        concurrency: job.concurrency,
        runMs: run.runMs,
        stepsPerSecond: run.stepsPerSecond,
        hopMs: distribution(hopsFromRecords(flow, actions)),
        problems,
      };
    }
    case 'graphile-worker':
      return runGraphileWorkerPeer(flow, connectionString(job.postgres!), job.concurrency);
    case 'bullmq':
      return runBullmqPeer(flow, job.redisPort!, job.concurrency);
  }
}

export function connectionString(options: PostgresTestOptions): string {
  return `postgres://${encodeURIComponent(options.username)}:${encodeURIComponent(options.password)}@${options.host}:${options.port}/${encodeURIComponent(options.database)}`;
}
