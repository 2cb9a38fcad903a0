/** How long a lease lives without a heartbeat, unless `bootstrap({ lease: { ttlMs } })` says otherwise. */
export const DEFAULT_LEASE_TTL_MS = 30_000;

/**
 * The lease options of an application that set none, as the lease schema fills them (lease-options.ts),
 * without loading it: most applications never set them, and the schema loads zod.
 */
export function defaultLeaseOptions(): { ttlMs: number; heartbeatMs: number } {
  return { ttlMs: DEFAULT_LEASE_TTL_MS, heartbeatMs: Math.floor(DEFAULT_LEASE_TTL_MS / 3) };
}
