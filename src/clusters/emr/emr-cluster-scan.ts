import { DescribeClusterCommand, ListClustersCommand, type ClusterSummary, type EMRClient } from '@aws-sdk/client-emr';
import { EMR_TAGS } from './emr-tags';

/** Clusters in these states can be reused: they are up or on their way up. */
export const ACTIVE_CLUSTER_STATES = ['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING'] as const;

/** Every active cluster of the account in the client's region, all ListClusters pages read. */
export async function listActiveClusters(client: EMRClient, signal?: AbortSignal): Promise<ClusterSummary[]> {
  const clusters: ClusterSummary[] = [];
  let Marker: string | undefined;
  do {
    const page = await client.send(new ListClustersCommand({ ClusterStates: [...ACTIVE_CLUSTER_STATES], Marker }), { abortSignal: signal });
    clusters.push(...(page.Clusters ?? []).filter((c) => c.Id));
    Marker = page.Marker;
  } while (Marker);
  return clusters;
}

/**
 * The active clusters as one pool saw them when it launched. ListClusters pages through every
 * cluster of the account, so its slots share one scan instead of each paging through it (and
 * each adding to the account's EMR API rate); every slot then picks its own name from it.
 */
export class EmrClusterScan {
  private scan?: Promise<ClusterSummary[]>;

  /** The first slot to ask runs the scan with its client; the others wait for that one. */
  async active(client: EMRClient, signal: AbortSignal): Promise<ClusterSummary[]> {
    // Not aborted with the first slot's signal: the other slots share the scan and must not see its abort.
    this.scan ??= listActiveClusters(client);
    return untilAborted(this.scan, signal);
  }
}

/**
 * The cluster a RunJobFlow with this client token created, if it exists: RunJobFlow has no
 * idempotency token of its own, so the engine tags each create and looks for the tag before
 * trying again after an answer it could not read.
 */
export async function findClusterByClientToken(client: EMRClient, name: string, token: string): Promise<string | undefined> {
  const candidates = (await listActiveClusters(client)).filter((c) => c.Name === name);
  for (const candidate of candidates) {
    const { Cluster: cluster } = await client.send(new DescribeClusterCommand({ ClusterId: candidate.Id }));
    if (cluster?.Tags?.some((tag) => tag.Key === EMR_TAGS.clientToken && tag.Value === token)) return candidate.Id;
  }
  return undefined;
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
