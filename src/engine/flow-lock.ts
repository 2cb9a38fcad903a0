import type { LeaseFence } from '../persistence/lease/lease-fence';

export interface FlowLease {
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

export interface FlowLeaseTakeover {
  /** `host pid 1234 since <ISO time>` of the dead holder. */
  holder: string;
  /** Why it was judged dead: its process is gone, or its lease expired. */
  reason: string;
}

/** Who may run a [flow, timeperiod] now. */
export interface FlowLock {
  acquire(flowName: string, timeperiod: string): Promise<FlowLease>;
}
