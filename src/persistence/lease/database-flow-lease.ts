import type { EntityManager } from 'typeorm';
import type { FlowLease, FlowLeaseTakeover } from '../../domain/flow-lock.port';
import { LeaseLostError } from '../../errors';
import { nowMillisSql } from '../database-clock';
import { FlowLeaseRecord } from '../flow-lease.entity';
import type { LeaseDatabase } from './lease-database';
import type { LeaseFence } from './lease-fence';
import { leaseLostReason } from './lease-holder';
import type { ResolvedLeaseOptions } from './lease-options';
import { liveLeases } from './live-leases';

export interface LeaseKey {
  flowName: string;
  timeperiod: string;
}

/**
 * A lease this process holds on a [flow, timeperiod]: renewed every `heartbeatMs` while the run
 * goes on, deleted by `release()`. If a renewal finds the row taken over by another engine, or no
 * renewal succeeded for `ttlMs` (so another engine may have taken it over), `lost` is aborted and
 * the engine cancels the run rather than race the new holder.
 */
export class DatabaseFlowLease implements FlowLease {
  readonly lost: AbortSignal;
  /** The run's writes carry this: a write that finds the lease gone is refused and loses it here. */
  readonly fence: LeaseFence;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private lastRenewal = performance.now();
  private renewing: Promise<void> | undefined;
  private ended = false;

  constructor(
    private readonly db: LeaseDatabase,
    readonly key: LeaseKey,
    readonly holderId: string,
    private readonly options: ResolvedLeaseOptions,
    readonly takenOver?: FlowLeaseTakeover,
  ) {
    this.lost = this.controller.signal;
    this.fence = {
      flowName: key.flowName,
      timeperiod: key.timeperiod,
      holderId,
      refuse: (reason) => {
        this.lose(reason);
        const reasonLost = this.lost.reason as unknown;
        // Released already (a straggler's write after the run ended): the lease is not lost, only over.
        return reasonLost instanceof LeaseLostError ? reasonLost : new LeaseLostError(key.flowName, key.timeperiod, reason);
      },
    };
    liveLeases.add(holderId);
    this.timer = setInterval(() => void this.renew(), options.heartbeatMs);
    // The run keeps the process alive, not its heartbeat.
    this.timer.unref();
  }

  /** One heartbeat (the timer calls it; exposed so a caller can renew at a moment of its choosing). */
  renew(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.renewing ??= this.tryRenew().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  async release(): Promise<void> {
    if (this.ended) return;
    this.end();
    await this.renewing;
    const { flowName, timeperiod } = this.key;
    try {
      await this.db.transaction((manager) => manager.delete(FlowLeaseRecord, { flowName, timeperiod, holderId: this.holderId }));
    } catch {
      // Nothing to do about it: the row expires, or names a process that is gone.
    }
  }

  private async tryRenew(): Promise<void> {
    const { flowName, timeperiod } = this.key;
    try {
      const outcome = await this.db.transaction(async (manager) => {
        const now = nowMillisSql(manager.connection);
        const version = manager.connection.driver.escape('version');
        const result = await manager
          .createQueryBuilder()
          .update(FlowLeaseRecord)
          .set({ heartbeatAt: () => now, expiresAt: () => `${now} + ${this.options.ttlMs}`, version: () => `${version} + 1` })
          .where({ flowName, timeperiod, holderId: this.holderId })
          .execute();
        return result.affected === 1
          ? { renewed: true as const }
          : { renewed: false as const, holder: await currentHolder(manager, this.key) };
      });
      if (outcome.renewed) {
        this.lastRenewal = performance.now();
        return;
      }
      this.lose(leaseLostReason(outcome.holder ?? undefined));
    } catch (err) {
      if (performance.now() - this.lastRenewal >= this.options.ttlMs) {
        this.lose(`it could not be renewed for ${this.options.ttlMs} ms: ${(err as Error).message}`);
      }
    }
  }

  private lose(reason: string): void {
    if (this.ended) return;
    this.end();
    const { flowName, timeperiod } = this.key;
    this.controller.abort(new LeaseLostError(flowName, timeperiod, reason));
  }

  private end(): void {
    this.ended = true;
    clearInterval(this.timer);
    liveLeases.delete(this.holderId);
  }
}

function currentHolder(manager: EntityManager, key: LeaseKey): Promise<FlowLeaseRecord | null> {
  return manager.getRepository(FlowLeaseRecord).findOneBy({ flowName: key.flowName, timeperiod: key.timeperiod });
}
