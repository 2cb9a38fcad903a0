import * as os from 'node:os';

/** Who holds a lease, as the `flow_lease` row records it. */
export interface LeaseHolder {
  host: string;
  pid: number;
  /** Epoch milliseconds (database clock). */
  acquiredAt: number;
}

/** `host pid 1234 since 2026-11-29T13:00:00.000Z`: what FlowLockedError and the logs show. */
export function describeHolder(holder: LeaseHolder): string {
  return `${holder.host} pid ${holder.pid} since ${new Date(holder.acquiredAt).toISOString()}`;
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

export function thisHost(): string {
  return os.hostname();
}

/**
 * Whether a process of this host has ended. Signal 0 checks existence without signalling;
 * EPERM means it exists under another user, so only ESRCH counts as gone.
 */
export function isProcessGone(pid: number): boolean {
  // 0 and negative pids address process groups, never one process.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
