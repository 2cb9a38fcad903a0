import type { LeaseFence } from './state-writer.port';

/** The right to run one [flow, timeperiod], held until `release()`. */
export interface FlowLease {
  /** Gives the run up for others; the run's last state write is done by then. */
  release(): Promise<void>;
  /** Aborted (with the reason) when another engine took the run over: the run must stop. */
  readonly lost?: AbortSignal;
  /**
   * The fencing token the run's state writes carry, so that none is made once the lease is lost
   * (the default lock's leases have one; without it, writes are not fenced).
   */
  readonly fence?: LeaseFence;
  /** Set when this lease was taken over from a holder judged dead. */
  readonly takenOver?: FlowLeaseTakeover;
}

/** The dead holder a lease was taken over from. */
export interface FlowLeaseTakeover {
  /** `host pid 1234 since <ISO time>` of the dead holder. */
  holder: string;
  /** Why it was judged dead: its process is gone, or its lease expired. */
  reason: string;
}

/**
 * Who may run a [flow, timeperiod] now: the lock port the engine takes every run through, which
 * persistence implements (docs/architecture.md, "The ports").
 */
export interface FlowLock {
  /**
   * Takes the run for this engine.
   *
   * @throws {@link FlowLockedError} when a live holder runs it
   */
  acquire(flowName: string, timeperiod: string): Promise<FlowLease>;
}
