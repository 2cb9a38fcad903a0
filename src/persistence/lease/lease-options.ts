/** `lease` option of bootstrap(): how the default, database-backed FlowLock behaves. */
export interface LeaseOptions {
  /**
   * How long a lease lives without a heartbeat; once it is over, another engine may take the run
   * over. Default 30 000 ms. A holder on the same host whose process is gone is taken over at once.
   */
  ttlMs?: number;
  /** How often the running engine renews its lease. Default a third of `ttlMs`. */
  heartbeatMs?: number;
}

export interface ResolvedLeaseOptions {
  ttlMs: number;
  heartbeatMs: number;
}

export const DEFAULT_LEASE_TTL_MS = 30_000;

/** Checks the options once, at bootstrap, so a typo fails before any run starts. */
export function resolveLeaseOptions(options: LeaseOptions = {}): ResolvedLeaseOptions {
  const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  if (!Number.isInteger(ttlMs) || ttlMs < 100) {
    throw new TypeError(`lease.ttlMs must be a whole number of milliseconds >= 100, got ${String(options.ttlMs)}`);
  }
  const heartbeatMs = options.heartbeatMs ?? Math.floor(ttlMs / 3);
  if (!Number.isInteger(heartbeatMs) || heartbeatMs < 10 || heartbeatMs >= ttlMs) {
    throw new TypeError(
      `lease.heartbeatMs must be a whole number of milliseconds >= 10 and below lease.ttlMs (${ttlMs}), got ${String(options.heartbeatMs)}; a third of ttlMs leaves room for two missed beats`,
    );
  }
  return { ttlMs, heartbeatMs };
}
