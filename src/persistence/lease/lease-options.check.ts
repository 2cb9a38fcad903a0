import { MAX_TIMER_MS } from '../../config/max-timer-ms';
import { isStrictObject, isWholeNumber, type QuickCheck } from '../../config/quick-check';
import type { LeaseOptions, ResolvedLeaseOptions } from './lease-options';

const certainShape = isStrictObject({ ttlMs: isWholeNumber(100, MAX_TIMER_MS), heartbeatMs: isWholeNumber(10, MAX_TIMER_MS) }, [
  'ttlMs',
  'heartbeatMs',
]);

/**
 * Lease options already complete and valid, vouched for without zod (config/quick-check.ts): what
 * bootstrap() hands the default lock, its options checked (or its defaults filled) already.
 */
export const certainResolvedLeaseOptions: QuickCheck = (value) =>
  certainShape(value) && (value as ResolvedLeaseOptions).heartbeatMs < (value as ResolvedLeaseOptions).ttlMs;

/**
 * The lease options with their defaults filled, checked by the schema (lease-options.ts) unless
 * the quick check vouches for them: loading zod there cost every cold `synergy-flow run` the schemas'
 * load, for options bootstrap() had checked already.
 */
export function checkLeaseOptions(options: LeaseOptions = {}): ResolvedLeaseOptions {
  if (certainResolvedLeaseOptions(options)) return { ...(options as ResolvedLeaseOptions) };
  const { resolveLeaseOptions } = require('./lease-options') as typeof import('./lease-options');
  return resolveLeaseOptions(options);
}
