import { randomBytes } from 'node:crypto';

/**
 * Who started a run: the API (the default), the CLI, the viewer's buttons, a backfill, or the
 * scheduler. Recorded with the run's history, so an operator can tell a hand-made rerun from a
 * scheduled one.
 */
export type RunTrigger = 'api' | 'cli' | 'viewer' | 'backfill' | 'scheduler';

export const RUN_TRIGGERS = ['api', 'cli', 'viewer', 'backfill', 'scheduler'] as const satisfies readonly RunTrigger[];

const RANDOM_CHARS = 6;

/**
 * A new run id: the start time in base 36 (8 characters until 2059), then 6 random base-36
 * characters. Made by the engine, not the database: every log line and event of the run carries
 * it from its first write on, ids of several engines on one database never collide, and they sort
 * by start time (`mj9x3k2a` < `mj9x3k2b`), which is how history lists runs.
 */
export function newRunId(at = Date.now()): string {
  const random = randomBytes(RANDOM_CHARS);
  let suffix = '';
  for (const byte of random) suffix += (byte % 36).toString(36);
  return at.toString(36).padStart(8, '0') + suffix;
}

/** A run id as newRunId makes them: 14 lower-case base-36 characters. */
export const RUN_ID_PATTERN = /^[0-9a-z]{14}$/;

/** When the run whose id this is started (ms since the epoch), as newRunId wrote it; NaN for an id of another shape. */
export function runStartedAt(runId: string): number {
  return RUN_ID_PATTERN.test(runId) ? parseInt(runId.slice(0, 8), 36) : NaN;
}
