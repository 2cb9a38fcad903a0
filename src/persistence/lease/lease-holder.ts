import { describeProcess } from './process-identity';

/** Who holds a lease, as the `flow_lease` row records it. */
export interface LeaseHolder {
  host: string;
  pid: number;
  /** The holding process's random id (ProcessIdentity); null on rows of versions before it. */
  instanceId: string | null;
  /** Epoch milliseconds (database clock). */
  acquiredAt: number;
}

/**
 * `host pid 1234 (instance 0a1b2c3d-...) since 2026-11-29T13:00:00.000Z`: what FlowLockedError and
 * the logs show. The instance id is what tells apart two containers with one hostname, both pid 1.
 */
export function describeHolder(holder: LeaseHolder): string {
  return `${describeProcess(holder)} since ${new Date(holder.acquiredAt).toISOString()}`;
}

/**
 * Why a run's lease is lost, from the lease row found now (none: deleted), in the same words
 * whichever notices first: the heartbeat's renewal or a fenced write (both race after a pause).
 */
export function leaseLostReason(holder: LeaseHolder | undefined): string {
  return holder
    ? `another engine took it over: ${describeHolder(holder)}`
    : 'its flow_lease row is gone: another engine took the run over and has released it since';
}
