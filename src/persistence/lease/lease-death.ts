import type { FlowLeaseRecord } from '../flow-lease.entity';
import { liveLeases } from './live-leases';
import { isProcessGone, isThisProcess } from './process-identity';

/**
 * Why a lease's holder is dead (as the run's own lock judges it), or undefined while it may be alive;
 * `now` by the database's clock. The scheduler's plan and ticks, and the runs in progress that
 * app.activeRuns() lists, all judge an engine by this.
 */
export function leaseDeath(lease: FlowLeaseRecord, now: number): string | undefined {
  if (isThisProcess(lease)) return liveLeases.has(lease.holderId) ? undefined : 'its application in this process closed';
  if (isProcessGone(lease)) return `its process ${lease.pid} is gone`;
  return lease.expiresAt <= now ? 'its lease expired' : undefined;
}
