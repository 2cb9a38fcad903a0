import type { EntityManager } from 'typeorm';
import { isProcessGone, thisHost } from '../persistence/lease/lease-holder';
import { liveLeases } from '../persistence/lease/live-leases';
import type { ScheduleClaimRecord } from '../persistence/schedule/schedule-claim.entity';
import type { ScheduleStore } from '../persistence/schedule/schedule-store';
import { liveSchedulers } from './live-schedulers';

/**
 * How long a claim of another host may go without its run taking the lease before the claiming
 * scheduler is judged dead: a live one takes the lease milliseconds after claiming.
 */
export const SILENT_CLAIM_MS = 60_000;

/**
 * Why the scheduler that made `claim` is dead, or undefined while it may be alive. On this host,
 * by its process (and, for this very process, by whether that scheduler still runs); on another,
 * by its run's lease (expired by the database's clock), or by the claim's age when the run never
 * took one.
 */
export async function claimerDeath(m: EntityManager, store: ScheduleStore, claim: ScheduleClaimRecord): Promise<string | undefined> {
  if (claim.host === thisHost()) {
    if (claim.pid === process.pid) {
      if (!liveSchedulers.has(claim.holderId)) return 'its scheduler in this process stopped';
      return liveSchedulers.runs(claim.holderId, claim) ? undefined : 'its run in this process ended without its end recorded';
    }
    return isProcessGone(claim.pid) ? `its scheduler's process ${claim.pid} is gone` : undefined;
  }
  const { lease, now } = await store.leaseOf(m, claim.flowName, claim.timeperiod);
  if (lease) return lease.expiresAt <= now ? `the lease of its run on ${claim.host} expired` : undefined;
  return claim.claimedAt + SILENT_CLAIM_MS <= now ? `its scheduler on ${claim.host} took no lease within ${SILENT_CLAIM_MS} ms` : undefined;
}

/** Why the engine running [flow, timeperiod] (a run with no live claim: started by hand, say) is dead, or undefined while it may be alive. */
export async function runnerDeath(
  m: EntityManager,
  store: ScheduleStore,
  flowName: string,
  timeperiod: string,
): Promise<string | undefined> {
  const { lease, now } = await store.leaseOf(m, flowName, timeperiod);
  if (!lease) return 'its run holds no lease';
  if (lease.host === thisHost()) {
    if (lease.pid === process.pid) return liveLeases.has(lease.holderId) ? undefined : 'its application in this process closed';
    if (isProcessGone(lease.pid)) return `its process ${lease.pid} is gone`;
  }
  return lease.expiresAt <= now ? 'its lease expired' : undefined;
}
