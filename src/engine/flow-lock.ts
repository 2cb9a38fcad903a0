export interface FlowLease {
  release(): Promise<void>;
  /** Aborted (with the reason) when another engine took the run over: the run must stop. */
  readonly lost?: AbortSignal;
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
