import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { FlowLease, FlowLeaseTakeover, FlowLock } from '../../domain/flow-lock.port';
import { FlowLockedError } from '../../errors';
import { nowMillisSql } from '../database-clock';
import { FlowLeaseRecord } from '../flow-lease.entity';
import { DatabaseFlowLease, type LeaseKey } from './database-flow-lease';
import type { LeaseDatabase } from './lease-database';
import { describeHolder } from './lease-holder';
import type { LeaseOptions, ResolvedLeaseOptions } from './lease-options';
import { checkLeaseOptions } from './lease-options.check';
import { leaseDeath } from './lease-death';
import { thisProcess, type ProcessIdentity } from './process-identity';

/** Enough for any real race (each lost race means another engine changed the row meanwhile). */
const MAX_ATTEMPTS = 5;

type Attempt =
  | { outcome: 'acquired'; takenOver?: FlowLeaseTakeover }
  | { outcome: 'held'; holder: FlowLeaseRecord }
  | { outcome: 'raced'; holder: FlowLeaseRecord | null };

interface Claimant extends ProcessIdentity {
  holderId: string;
}

/**
 * The default FlowLock: a row per running [flow, timeperiod] in `flow_lease`, safe across processes
 * and machines that share the database. Taking it is one transaction: insert the row unless it
 * exists; if it exists, its holder is judged - alive (FlowLockedError naming it), or dead (its
 * process is gone, or its lease expired by the database's clock) - and a dead holder's
 * row is taken over by a compare-and-set on the version it was judged on, so of two engines racing
 * for a dead holder's run exactly one wins.
 */
export class DatabaseFlowLock implements FlowLock {
  private readonly options: ResolvedLeaseOptions;

  constructor(
    private readonly db: LeaseDatabase,
    options?: LeaseOptions,
  ) {
    this.options = checkLeaseOptions(options);
  }

  async acquire(flowName: string, timeperiod: string): Promise<FlowLease> {
    const key = { flowName, timeperiod };
    const me: Claimant = { holderId: randomUUID(), ...thisProcess };
    let last: Attempt | undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      last = await this.db.transaction((manager) => this.tryAcquire(manager, key, me));
      if (last.outcome === 'acquired') return new DatabaseFlowLease(this.db, key, me.holderId, this.options, last.takenOver);
      if (last.outcome === 'held') break;
    }
    const holder = last && last.outcome !== 'acquired' ? last.holder : null;
    throw new FlowLockedError(flowName, timeperiod, holder ? describeHolder(holder) : 'another engine', holder?.instanceId ?? null);
  }

  private async tryAcquire(manager: EntityManager, key: LeaseKey, me: Claimant): Promise<Attempt> {
    const now = nowMillisSql(manager.connection);
    await manager
      .createQueryBuilder()
      .insert()
      .into(FlowLeaseRecord)
      .values({
        ...key,
        ...me,
        version: 1,
        acquiredAt: () => now,
        heartbeatAt: () => now,
        expiresAt: () => `${now} + ${this.options.ttlMs}`,
      })
      .orIgnore()
      .execute();
    const holder = await manager.getRepository(FlowLeaseRecord).findOneBy(key);
    if (!holder) return { outcome: 'raced', holder };
    if (holder.holderId === me.holderId) return { outcome: 'acquired' };

    const deathReason = await this.deathOf(manager, holder);
    if (!deathReason) return { outcome: 'held', holder };
    const version = manager.connection.driver.escape('version');
    const takeover = await manager
      .createQueryBuilder()
      .update(FlowLeaseRecord)
      .set({
        ...me,
        version: () => `${version} + 1`,
        acquiredAt: () => now,
        heartbeatAt: () => now,
        expiresAt: () => `${now} + ${this.options.ttlMs}`,
      })
      .where({ ...key, holderId: holder.holderId, version: holder.version })
      .execute();
    if (takeover.affected !== 1) return { outcome: 'raced', holder };
    return { outcome: 'acquired', takenOver: { holder: describeHolder(holder), reason: deathReason } };
  }

  /** Why the holder is dead (leaseDeath, the rule everyone judges an engine by), or undefined while it may be alive. */
  private async deathOf(manager: EntityManager, holder: FlowLeaseRecord): Promise<string | undefined> {
    const [{ now }] = await manager.query<Array<{ now: string | number }>>(`SELECT ${nowMillisSql(manager.connection)} AS now`);
    return leaseDeath(holder, Number(now));
  }
}
