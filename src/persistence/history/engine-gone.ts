import type { FlowRunRecord } from '../../domain/flow-run-record';
import { FlowState } from '../../domain/states';
import type { FlowLeaseRecord } from '../flow-lease.entity';
import { leaseDeath } from '../lease/lease-death';
import { describeProcess } from '../lease/process-identity';

/**
 * Why the engine of a run in progress is dead, from the lease of its [flow, timeperiod] read in the
 * same statement as the run (so a run that ends and releases its lease between two reads is never
 * judged dead); undefined while it may be alive or once the run ended. `now`: the database's clock.
 */
export function engineGone(
  run: Pick<FlowRunRecord, 'state' | 'instanceId'>,
  lease: FlowLeaseRecord | null,
  now: number,
): string | undefined {
  if (run.state !== FlowState.IN_PROGRESS) return undefined;
  // The engine takes the lease before it writes the run's row, and releases it after the run's end.
  if (!lease) return 'its run holds no lease';
  if (run.instanceId !== null && lease.instanceId !== null && lease.instanceId !== run.instanceId)
    return `another engine holds its lease now (${describeProcess(lease)})`;
  return leaseDeath(lease, now);
}
