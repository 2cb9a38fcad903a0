import type { Distribution } from './stats';

/** The engines of the comparison with its peers (issue 22). */
export type PeerEngine = 'synergy-flow-postgres' | 'graphile-worker' | 'bullmq';

/** One measured run of one engine on one DAG shape, in a process of its own, after a warm-up run. */
export interface PeerRunFigures {
  engine: PeerEngine;
  shape: string;
  steps: number;
  /** Steps the engine runs at once: local clusters for synergy-flow, worker concurrency for the peers. */
  concurrency: number;
  /** From handing the flow to the engine until its last step is done and recorded. */
  runMs: number;
  stepsPerSecond: number;
  /** A dependency finished -> its dependent started (null: no step has dependencies). */
  hopMs: Distribution | null;
  /** What verifyStepRecords found wrong in the records read back after the run; empty: none. */
  problems: string[];
}

/** Epoch milliseconds with sub-millisecond precision, comparable across the processes of one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
