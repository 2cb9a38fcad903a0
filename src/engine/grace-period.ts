/**
 * How long aborted work (a timed-out or cancelled action, then its rollback and cleanup) gets to
 * wind down before the engine stops waiting for it, and what SIGINT/SIGTERM waits for.
 */
export const DEFAULT_GRACE_PERIOD_MS = 5_000;

/** After the grace period, how long terminating the clusters and the last state writes may take. */
export const TERMINATION_BUDGET_MS = 30_000;
