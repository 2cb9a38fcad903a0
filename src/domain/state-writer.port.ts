/**
 * The fencing token of a run: the lease it holds. Every state write of the run proves, in the
 * transaction that commits it, that the `flow_lease` row still names this holder; a write that
 * finds another holder (or none) is refused and rolled back, and the run is told its lease is lost.
 */
export interface LeaseFence {
  readonly flowName: string;
  readonly timeperiod: string;
  /** The random token of this acquisition (`flow_lease.holder_id`): a takeover replaces it. */
  readonly holderId: string;
  /** A write found the lease gone: marks it lost (the run stops) and returns the error refused writes reject with. */
  refuse(reason: string): Error;
}

/** A state transition as data: set these fields of the row with this id. */
export interface RowUpdate {
  entity: abstract new (...args: never[]) => unknown;
  id: number | string;
  patch: Readonly<Record<string, unknown>>;
  /** The run's lease: the update is made only while the run still holds it (see LeaseFence). */
  fence?: LeaseFence;
}

/** A new row as data: insert these fields, its id among them (made by the caller, so later updates can name it at once). */
export interface RowInsert {
  entity: abstract new (...args: never[]) => unknown;
  row: Readonly<Record<string, unknown>>;
  /** The run's lease: the row is inserted only while the run still holds it (see LeaseFence). */
  fence?: LeaseFence;
}

/**
 * The one way this process writes run state to the database (docs/architecture.md, "The ports"). `Tx` is the transaction handle a
 * write given as code runs with (TypeORM's EntityManager for the implementations in persistence/).
 *
 * The contract the engine's scheduler relies on:
 * - **Group commit.** Every write queued (`update`, `insert`, `enqueue`) during one turn of the event loop is
 *   committed in one transaction at the next turn, with the writes queued meanwhile by anyone (all
 *   runs share one writer). One turn, one transaction: that is what makes a dependent's in_progress
 *   share its dependency's processed commit.
 * - **Ordering.** The writes of one run (one lease; writes without a lease count as one run) and
 *   the writes of one row (table and primary key) are applied, and their promises resolve, in the
 *   order they were queued: a group commit does not start while an earlier one that writes for one
 *   of its runs or one of its rows is still in flight (the engine queues a step's start once its
 *   dependencies' ends are queued, not once they are durable). Group commits of other runs and
 *   rows may be in flight at once (PostgreSQL: those made of row updates and inserts alone, at most
 *   min(4, pool size - 1), each on a connection of its own; SQLite: one at a time), and then commit,
 *   and resolve their promises, in any order. A group commit with a write given as code (`enqueue`),
 *   and `exclusive` work, run alone: after every transaction before them has ended, and before any
 *   after them starts. The promises of the writes of one group commit resolve in the order they
 *   were queued.
 * - **Durable.** A write's promise resolves only once the transaction holding it has committed:
 *   nothing that waits for it can observe a transition that a crash of this process could still
 *   undo. (A power loss is the database's settings' business: PostgreSQL with synchronous_commit on
 *   keeps every commit; SQLite in WAL with synchronous=NORMAL, the engine's default, may lose the
 *   last ones - docs/reliability.md, "Crashes".) It rejects if that transaction failed (after the
 *   retries below), and then nothing of it was written.
 * - **Fencing.** A write with a fence is made only while that lease is held, proven inside the very
 *   transaction that commits it. A refused write rejects with the lease's error (LeaseFence.refuse);
 *   the other runs' writes of the same group commit are committed without it.
 * - **Outages.** Lock contention and a database outage shorter than the writer's outage budget (the
 *   lease TTL) are retried with the whole transaction; past that the writes reject.
 */
export interface StateWriter<Tx> {
  /**
   * Queues a row update for the next group commit; resolves true once it is durable. With
   * `onlyIf`, the update is written only if that still holds when its group commit runs (after
   * everything else queued in the same turn); else it resolves false and writes nothing.
   */
  update(update: RowUpdate, onlyIf?: () => boolean): Promise<boolean>;
  /** Queues a row insert for the next group commit, as `update` does (same ordering, fencing and `onlyIf`). */
  insert(insert: RowInsert, onlyIf?: () => boolean): Promise<boolean>;
  /**
   * Queues a row insert as `insert` does, with the write queued just before it in the same turn:
   * the same group commit, committed or refused with it. It has no promise of its own (one fewer
   * per step for the attempt rows): its caller learns the outcome from that write's.
   */
  insertWithPrevious(insert: RowInsert, onlyIf?: () => boolean): void;
  /** Queues any write for the next group commit; with `fence`, made only while that lease is held. */
  enqueue(write: (tx: Tx) => Promise<unknown>, fence?: LeaseFence): Promise<void>;
  /**
   * Runs `work` in a transaction of its own, after everything queued before it is committed; with
   * `fence`, only while that lease is held (else the lease's error, and nothing is written).
   */
  exclusive<T>(work: (tx: Tx) => Promise<T>, fence?: LeaseFence): Promise<T>;
  /** Resolves once everything queued so far is committed: every group commit in flight has ended. */
  drain(): Promise<void>;
}
