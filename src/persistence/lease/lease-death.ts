import type { FlowLeaseRecord } from '../flow-lease.entity';
import { liveLeases } from './live-leases';
import { isProcessGone, isThisProcess } from './process-identity';

/**
 * Why a lease's holder is dead, or undefined while it may be alive; `now` by the database's clock.
 * The one rule: the lock takes a run over by it (its takeover reason is this text), and the
 * scheduler's plan and ticks and the runs in progress that app.activeRuns() lists judge an engine by
 * it too, so all of them say the same of one dead engine.
 *
 * It is this process only by its instance id, and its pid is checked only in this PID namespace
 * (ProcessIdentity): any other holder - a container with the same hostname and pid, an older
 * version's row - lives until its lease expires, and so does a hung (SIGSTOPped) process whose pid
 * is still there. A lease of this process that it still holds expires too: another process would
 * take it over then, so this one judges it as they would.
 */
export function leaseDeath(lease: FlowLeaseRecord, now: number): string | undefined {
  if (isThisProcess(lease) && !liveLeases.has(lease.holderId)) return 'its application in this process closed in the middle of the run';
  if (isProcessGone(lease)) return `its process ${lease.pid} is gone`;
  // When it expired: a heartbeat that stopped then is what to look for in that engine's logs.
  if (lease.expiresAt <= now) return `its lease expired at ${new Date(lease.expiresAt).toISOString()} without a heartbeat`;
  return undefined;
}
