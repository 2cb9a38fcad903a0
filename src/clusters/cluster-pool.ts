import { ClusterError } from '../errors';
import type { Logger } from '../logging/logger';
import type { Cluster } from './cluster';

/**
 * The clusters of one flow run. Launches them concurrently and keeps the ones that came up; the
 * scheduler never runs more steps than there are clusters, so `acquire` always finds a free one.
 */
export class ClusterPool {
  private readonly free: Cluster[] = [];
  private launched: Cluster[] = [];
  private readonly candidates: Cluster[] = [];
  readonly launchErrors: string[] = [];

  constructor(private readonly logger: Logger) {}

  /** The clusters to launch. */
  add(clusters: readonly Cluster[]): void {
    this.candidates.push(...clusters);
  }

  /** Launches every candidate; resolves with how many came up (0 means the flow cannot run). */
  async launch(): Promise<number> {
    const results = await Promise.allSettled(this.candidates.map((c) => c.launch()));
    results.forEach((result, i) => {
      const cluster = this.candidates[i];
      if (result.status === 'fulfilled') {
        this.launched.push(cluster);
        this.free.push(cluster);
        this.logger.info(`cluster ${cluster.name} launched`);
      } else {
        const reason = (result.reason as Error)?.message ?? String(result.reason);
        this.launchErrors.push(`${cluster.name}: ${reason}`);
        this.logger.error(`cluster ${cluster.name} failed to launch: ${reason}`);
      }
    });
    return this.launched.length;
  }

  get size(): number {
    return this.launched.length;
  }

  acquire(): Cluster {
    const cluster = this.free.shift();
    if (!cluster) throw new ClusterError('no free cluster: the scheduler started more steps than clusters (a bug, please report it)');
    return cluster;
  }

  release(cluster: Cluster): void {
    this.free.push(cluster);
  }

  /** Terminates every launched cluster; never throws, a failed termination is logged. */
  async terminateAll(outcome: { flowFailed: boolean }): Promise<void> {
    const clusters = this.launched;
    this.launched = [];
    // Also the candidates whose launch failed half-way: a cluster may exist even if it never became ready.
    const failedLaunches = this.candidates.filter((c) => !clusters.includes(c));
    await Promise.all(
      [...clusters, ...failedLaunches].map(async (cluster) => {
        try {
          await cluster.terminate(outcome);
          this.logger.info(`cluster ${cluster.name} terminated`);
        } catch (err) {
          this.logger.error(`cluster ${cluster.name} failed to terminate: ${(err as Error).message}`);
        }
      }),
    );
  }
}
