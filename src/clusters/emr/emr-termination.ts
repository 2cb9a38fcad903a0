import { SetTerminationProtectionCommand, TerminateJobFlowsCommand, type EMRClient } from '@aws-sdk/client-emr';
import { ClusterError } from '../../errors';
import type { Logger } from '../../logging/logger';
import type { TerminationOutcome } from '../cluster';
import { describeClusterEnd, findClusterEnd } from './emr-cluster-end';

/**
 * SetTerminationProtection(false), then TerminateJobFlows. The protection call only matters for a
 * reused cluster someone protected (the engine creates its own unprotected), so its failure never
 * keeps TerminateJobFlows from being sent. A cluster found already ended is no failure: there is
 * nothing left running to warn about.
 */
export async function terminateJobFlow(
  client: EMRClient,
  cluster: { id: string; name: string },
  logger: Logger,
): Promise<Extract<TerminationOutcome, 'terminated' | 'already-ended'>> {
  const { id, name } = cluster;
  const alreadyEnded = async () => {
    const end = await findClusterEnd(client, id);
    if (end) logger.info(`EMR cluster '${name}' (${id}) had already ended ${describeClusterEnd(end)}`);
    return end !== undefined;
  };
  const protection = await client.send(new SetTerminationProtectionCommand({ JobFlowIds: [id], TerminationProtected: false })).then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  // EMR refuses to modify a cluster that has ended, which is the likeliest reason for a refusal here.
  if (protection && (await alreadyEnded())) return 'already-ended';
  try {
    await client.send(new TerminateJobFlowsCommand({ JobFlowIds: [id] }));
  } catch (err) {
    if (await alreadyEnded()) return 'already-ended';
    const lifting = protection ? `; lifting its termination protection failed too (${protection.name}: ${protection.message})` : '';
    throw new ClusterError(
      `could not terminate EMR cluster '${name}' (${id}): ${(err as Error).name}: ${(err as Error).message}${lifting}; ` +
        `it may still be running and costing money, end it in the EMR console or with: ` +
        `aws emr modify-cluster-attributes --cluster-id ${id} --no-termination-protected && aws emr terminate-clusters --cluster-ids ${id}`,
      { cluster: name, clusterId: id },
      { cause: err },
    );
  }
  if (protection)
    logger.warn(
      `could not lift the termination protection of EMR cluster '${name}' (${id}) (${protection.name}: ${protection.message}); TerminateJobFlows was sent anyway`,
    );
  logger.info(`terminating EMR cluster '${name}' (${id})`);
  return 'terminated';
}
