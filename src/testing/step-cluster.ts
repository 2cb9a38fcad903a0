import type { Cluster } from '../clusters/cluster';
import { LocalCluster } from '../clusters/local-cluster';

/**
 * Which cluster a step run by runStep believes it runs on: an EMR cluster's `name` (`etl`) and job
 * flow id (`j-...`), for a step that reads `ctx.cluster.clusterId`. Its commands run on this machine.
 */
export interface StepClusterIdentity {
  name: string;
  clusterId?: string;
}

/** The local cluster under another cluster's name and id. */
class IdentifiedLocalCluster extends LocalCluster {
  constructor(
    name: string,
    readonly clusterId: string | undefined,
  ) {
    super(name);
  }
}

/** The cluster runStep gives a step: the one the test gave, the local cluster under the identity it gave, or `local-test`. */
export function stepCluster(given: Cluster | StepClusterIdentity | undefined): Cluster {
  if (given === undefined) return new LocalCluster('local-test');
  if (typeof (given as Partial<Cluster>).runShellCommand === 'function') return given as Cluster;
  const { name, clusterId } = given as Partial<StepClusterIdentity>;
  if (typeof name !== 'string' || name === '' || (clusterId !== undefined && typeof clusterId !== 'string')) {
    throw new TypeError(
      `runStep's cluster needs a name (a non-empty string) and, if any, a clusterId string (got name: ${typeof name}, clusterId: ${typeof clusterId}): ` +
        "give { name: 'etl', clusterId: 'j-...' } or a Cluster",
    );
  }
  return new IdentifiedLocalCluster(name, clusterId);
}
