import type { EntityManager } from 'typeorm';
import type { FlowLeaseRecord } from '../persistence/flow-lease.entity';
import { leaseDeath } from '../persistence/lease/lease-death';
import { isProcessGone, isThisProcess } from '../persistence/lease/process-identity';
import type { ScheduleClaimRecord } from '../persistence/schedule/schedule-claim.entity';
import type { ScheduleStore } from '../persistence/schedule/schedule-store';
import { liveSchedulers } from './live-schedulers';

/**
 * How long a claim of another process may go without its run taking the lease before the claiming
 * scheduler is judged dead: a live one takes the lease milliseconds after claiming.
 */
export const SILENT_CLAIM_MS = 60_000;

/**
 * Why the scheduler that made `claim` is dead, or undefined while it may be alive. Of this very
 * process (its instance id), by whether that scheduler still runs it; of another process of this
 * PID namespace, at once when its pid is gone; otherwise - and for a process whose pid is there
 * but hangs - by its run's lease (expired by the database's clock), or by the claim's age when the
 * run has not taken one since the claim. Host and pid alone never decide: another container may have both.
 */
export async function claimerDeath(m: EntityManager, store: ScheduleStore, claim: ScheduleClaimRecord): Promise<string | undefined> {
  if (isThisProcess(claim)) {
    if (!liveSchedulers.has(claim.holderId)) return 'its scheduler in this process stopped';
    return liveSchedulers.runs(claim.holderId, claim) ? undefined : 'its run in this process ended without its end recorded';
  }
  if (isProcessGone(claim)) return `its scheduler's process ${claim.pid} is gone`;
  const { lease, now } = await store.leaseOf(m, claim.flowName, claim.timeperiod);
  // A lease taken before the claim is the earlier run's (the dead engine a takeover replaces): its
  // expiry says nothing of a claimer that is about to take it over, so the claim's age decides.
  if (lease && lease.acquiredAt >= claim.claimedAt)
    return lease.expiresAt <= now ? `the lease of its run on ${claim.host} pid ${claim.pid} expired` : undefined;
  return claim.claimedAt + SILENT_CLAIM_MS <= now
    ? `its scheduler on ${claim.host} pid ${claim.pid} took no lease within ${SILENT_CLAIM_MS} ms`
    : undefined;
}

/** Why the engine running [flow, timeperiod] (a run with no live claim: started by hand, say) is dead, or undefined while it may be alive. */
export async function runnerDeath(
  m: EntityManager,
  store: ScheduleStore,
  flowName: string,
  timeperiod: string,
): Promise<string | undefined> {
  const { lease, now } = await store.leaseOf(m, flowName, timeperiod);
  return lease ? leaseDeath(lease, now) : 'its run holds no lease';
}

/**
 * The lease of an engine that holds [flow, timeperiod] and may be alive (running it, or starting
 * to), or undefined: its run would refuse this scheduler's with FlowLockedError, whatever the
 * period's row says.
 */
export async function liveLease(
  m: EntityManager,
  store: ScheduleStore,
  flowName: string,
  timeperiod: string,
): Promise<FlowLeaseRecord | undefined> {
  const { lease, now } = await store.leaseOf(m, flowName, timeperiod);
  return lease && !leaseDeath(lease, now) ? lease : undefined;
}
