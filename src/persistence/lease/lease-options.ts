import { z } from 'zod';
import { parseOptions } from '../../config/parse-options';
import { timerMs } from '../../config/whole-number.schema';
import { DEFAULT_LEASE_TTL_MS } from './lease-defaults';

export { DEFAULT_LEASE_TTL_MS };

/**
 * `lease` option of bootstrap(): how the default, database-backed FlowLock behaves. Both values
 * become timers, so both are bounded by 2^31 - 1 ms.
 */
export const leaseOptionsSchema = z
  .strictObject({
    /**
     * How long a lease lives without a heartbeat; once it is over, another engine may take the run
     * over. Default 30 000 ms. A holder on the same host whose process is gone is taken over at once.
     */
    ttlMs: timerMs(100).optional(),
    /** How often the running engine renews its lease. Default a third of `ttlMs`. */
    heartbeatMs: timerMs(10).optional(),
  })
  .transform((options, ctx) => {
    const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    const heartbeatMs = options.heartbeatMs ?? Math.floor(ttlMs / 3);
    if (heartbeatMs >= ttlMs) {
      ctx.issues.push({
        code: 'custom',
        input: options.heartbeatMs,
        path: ['heartbeatMs'],
        message: `must be below ttlMs (${ttlMs}), got ${heartbeatMs}; a third of ttlMs leaves room for two missed beats`,
      });
      return z.NEVER;
    }
    return { ttlMs, heartbeatMs };
  });

/** What users write in `bootstrap({ lease })`. */
export type LeaseOptions = z.input<typeof leaseOptionsSchema>;

/** The lease options with their defaults filled. */
export type ResolvedLeaseOptions = z.output<typeof leaseOptionsSchema>;

/** Checks the options once, at bootstrap, so a typo fails before any run starts. */
export function resolveLeaseOptions(options: LeaseOptions = {}): ResolvedLeaseOptions {
  return parseOptions(leaseOptionsSchema, options, 'lease options');
}
