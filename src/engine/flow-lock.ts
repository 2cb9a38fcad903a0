import * as os from 'node:os';
import { FlowLockedError } from '../errors';

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

/** Guards against two runs of the same [flow, timeperiod] inside this process. */
export class InProcessFlowLock implements FlowLock {
  private readonly held = new Map<string, Date>();

  async acquire(flowName: string, timeperiod: string): Promise<FlowLease> {
    const key = `${flowName}\u0000${timeperiod}`;
    const since = this.held.get(key);
    if (since) throw new FlowLockedError(flowName, timeperiod, `${os.hostname()} pid ${process.pid} since ${since.toISOString()}`);
    this.held.set(key, new Date());
    return { release: async () => void this.held.delete(key) };
  }
}
