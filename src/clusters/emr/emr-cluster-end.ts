import { DescribeClusterCommand, type EMRClient } from '@aws-sdk/client-emr';
import { isEndedClusterState } from './emr-waiter';

/** How an EMR cluster ended, as EMR reports it. */
export interface ClusterEnd {
  state: string;
  code?: string;
  message?: string;
}

/** `TERMINATED_WITH_ERRORS (INSTANCE_FAILURE - primary lost)`: the state and EMR's reason for it. */
export function describeClusterEnd(end: ClusterEnd): string {
  const reason = [end.code, end.message].filter(Boolean).join(' - ');
  return `${end.state}${reason ? ` (${reason})` : ''}`;
}

/**
 * How the cluster ended, if it has (TERMINATING counts: it is on its way out); undefined when it is
 * still up or its state cannot be read. Asked when a call to the cluster failed, to tell a cluster
 * that went away from a refusal that has another cause.
 */
export async function findClusterEnd(client: EMRClient, clusterId: string): Promise<ClusterEnd | undefined> {
  try {
    const { Cluster: cluster } = await client.send(new DescribeClusterCommand({ ClusterId: clusterId }));
    const state = cluster?.Status?.State;
    if (!isEndedClusterState(state)) return undefined;
    const reason = cluster?.Status?.StateChangeReason;
    return { state: state!, code: reason?.Code, message: reason?.Message };
  } catch {
    return undefined;
  }
}
