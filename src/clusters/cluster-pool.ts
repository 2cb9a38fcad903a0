import { ClusterError } from '../errors';
import type { Logger } from '../logging/logger';
import type { Cluster, TerminationOutcome } from './cluster';

/** How the run's log tells what terminate() did: "terminated" only for a cluster that was. */
const TERMINATION_LOG: Readonly<Record<TerminationOutcome, string>> = {
  terminated: 'terminated',
  'kept-alive': 'kept alive (keepAliveOnFailure)',
  'already-ended': 'had already ended: nothing to terminate',
  'never-created': 'was never created: nothing to terminate',
};

/**
 * The clusters of one flow run. Launches them concurrently and keeps the ones that came up; the
 * scheduler never runs more steps than there are clusters, so `acquire` finds a free one unless a
 * cluster ended mid-run and was retired (then a step waits for another to come free).
 */
export class ClusterPool {
  private readonly free: Cluster[] = [];
  private launched: Cluster[] = [];
  private readonly candidates: Cluster[] = [];
  /** Clusters that ended on their own mid-run: no step is given them any more. */
  private readonly retired: Cluster[] = [];
  private readonly waiting: Array<{ resolve: (cluster: Cluster) => void; reject: (err: unknown) => void }> = [];
  readonly launchErrors: string[] = [];

  constructor(private readonly logger: Logger) {}

  /** The clusters to launch. */
  add(clusters: readonly Cluster[]): void {
    this.candidates.push(...clusters);
  }

  /**
   * Launches every candidate; resolves with how many came up (0 means the flow cannot run). An
   * abort of `signal` (the run was cancelled) stops every launch still waiting for its cluster.
   */
  async launch(signal?: AbortSignal): Promise<number> {
    const results = await Promise.allSettled(this.candidates.map((c) => c.launch(signal)));
    results.forEach((result, i) => {
      const cluster = this.candidates[i];
      if (result.status === 'fulfilled') {
        this.launched.push(cluster);
        this.free.push(cluster);
        this.logger.info(`cluster ${cluster.name} launched`);
      } else if (isCancelledLaunch(result.reason, signal)) {
        // The user's own cancel (SIGINT, app.cancel()): nothing failed, and the run says it was stopped.
        this.logger.info(`cluster ${cluster.name} launch cancelled: ${describeReason(result.reason)}`);
      } else {
        const reason = describeReason(result.reason);
        this.launchErrors.push(`${cluster.name}: ${reason}`);
        this.logger.error(`cluster ${cluster.name} failed to launch: ${reason}`);
      }
    });
    return this.launched.length;
  }

  get size(): number {
    return this.launched.length;
  }

  /** A free cluster now, if there is one: the common case, without a promise on every step's path. */
  take(): Cluster | undefined {
    return this.free.shift();
  }

  /**
   * A free cluster for a step. When clusters were retired, more steps may be in flight than there
   * are clusters left: the step waits for one to come free (or for `signal` to abort), and fails
   * with why they ended once none is left.
   */
  async acquire(signal?: AbortSignal): Promise<Cluster> {
    const cluster = this.take();
    if (cluster) return cluster;
    if (this.retired.length === 0) {
      throw new ClusterError('no free cluster: the scheduler started more steps than clusters (a bug, please report it)');
    }
    if (this.alive().length === 0) throw this.noneLeftError();
    signal?.throwIfAborted();
    return new Promise<Cluster>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal!.reason);
      };
      const waiter = {
        resolve: (c: Cluster) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(c);
        },
        reject: (err: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Gives a step's cluster back; one known to have ended is retired instead. */
  release(cluster: Cluster): void {
    if (cluster.endedBecause !== undefined) {
      if (!this.retired.includes(cluster)) {
        this.retired.push(cluster);
        this.logger.warn(`cluster ${cluster.name} is no longer used by this run: ${cluster.endedBecause}`);
      }
      if (this.alive().length === 0) for (const waiter of this.waiting.splice(0)) waiter.reject(this.noneLeftError());
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(cluster);
    else this.free.push(cluster);
  }

  /** Terminates every cluster, launched or not; never throws, a failed termination is logged. */
  async terminateAll(outcome: { flowFailed: boolean }): Promise<void> {
    const clusters = this.launched;
    this.launched = [];
    // Also the candidates whose launch failed half-way or was aborted: a cluster may exist even if it never became ready.
    const failedLaunches = this.candidates.filter((c) => !clusters.includes(c));
    await Promise.all(
      [...clusters, ...failedLaunches].map(async (cluster) => {
        try {
          const done = (await cluster.terminate(outcome)) ?? 'terminated';
          this.logger.info(`cluster ${cluster.name} ${TERMINATION_LOG[done]}`);
        } catch (err) {
          this.logger.error(`cluster ${cluster.name} failed to terminate: ${(err as Error).message}`);
        }
      }),
    );
  }

  private alive(): Cluster[] {
    return this.launched.filter((c) => !this.retired.includes(c));
  }

  private noneLeftError(): ClusterError {
    return new ClusterError(
      `no cluster of this run is left to run steps on: ${this.retired.map((c) => `cluster ${c.name} ${c.endedBecause}`).join('; ')}`,
      { clusters: this.retired.map((c) => c.name) },
    );
  }
}

function describeReason(err: unknown): string {
  return (err as Error)?.message ?? String(err);
}

/**
 * A launch stopped by the run's cancel, rather than one that failed: the signal was aborted and the
 * launch says it was interrupted (EmrCluster's ClusterError marks it `aborted`), or rejected with
 * the abort itself. A launch that failed on its own before the cancel keeps its error.
 */
function isCancelledLaunch(err: unknown, signal: AbortSignal | undefined): boolean {
  if (!signal?.aborted) return false;
  if (err === signal.reason || (err as Error)?.name === 'AbortError') return true;
  return err instanceof ClusterError && err.details.aborted === true;
}
