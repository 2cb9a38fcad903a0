import { setTimeout as delay } from 'node:timers/promises';

/** Polls slow down by this factor each time... */
const GROWTH = 1.5;
/** ...up to this many poll intervals, so a long step is still noticed within a few intervals of finishing. */
const CAP_FACTOR = 4;

/**
 * The wait before poll number `attempt` (0-based): pollIntervalMs growing to CAP_FACTOR times it.
 * A +-10% jitter keeps the clusters of a pool from polling the EMR API in lockstep.
 */
export function backoffDelay(pollIntervalMs: number, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(pollIntervalMs * GROWTH ** attempt, pollIntervalMs * CAP_FACTOR);
  return Math.round(base * (0.9 + 0.2 * random()));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (err) {
    if (signal?.aborted) throw signal.reason ?? err;
    throw err;
  }
}
