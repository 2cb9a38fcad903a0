import { randomUUID } from 'node:crypto';
import { RunJobFlowCommand, type EMRClient } from '@aws-sdk/client-emr';
import { ClusterError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { backoffDelay, sleep } from './emr-backoff';
import { findClusterByClientToken } from './emr-cluster-scan';
import { buildRunJobFlowInput, type EmrRunScope } from './emr-job-flow-builder';
import { isThrottling, isUnknownOutcome } from './emr-sdk-failure';
import type { EmrSettings } from './emr-settings';
import { EMR_TAGS } from './emr-tags';

export interface JobFlowCreateRequest {
  settings: EmrSettings;
  scope: EmrRunScope;
  /** Sends RunJobFlow, without the SDK's retries: a retry after a lost answer could create a second cluster. */
  createClient: EMRClient;
  /** Looks for the cluster a lost answer may have created. */
  client: EMRClient;
  logger: Logger;
  /** The run was cancelled: no further RunJobFlow is sent (the one in flight is awaited: it may create a cluster). */
  signal: AbortSignal;
  /**
   * Told the client token of a RunJobFlow whose outcome is unknown: until a cluster id is known, a
   * cluster with that tag may exist, and terminate() must look for it.
   */
  onUnknownOutcome: (token: string) => void;
}

/**
 * RunJobFlow, made idempotent by hand: EMR has no client token for it, and the SDK would retry a
 * 5xx or a lost answer blindly, creating a second cluster nobody terminates. Each create carries
 * a token tag; after an answer that leaves the outcome unknown, the cluster with that tag is
 * looked for before trying again. Resolves with the new cluster's id.
 */
export async function createJobFlow(req: JobFlowCreateRequest): Promise<string> {
  const { settings, logger, signal } = req;
  const name = settings.name;
  const token = randomUUID();
  const input = buildRunJobFlowInput(settings, req.scope, token);
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await req.createClient.send(new RunJobFlowCommand(input));
      if (!out.JobFlowId) throw new ClusterError(`EMR RunJobFlow for cluster '${name}' returned no cluster id`, { cluster: name });
      return out.JobFlowId;
    } catch (err) {
      const unknownOutcome = isUnknownOutcome(err);
      if (err instanceof ClusterError || !(unknownOutcome || isThrottling(err))) throw err;
      const e = err as Error;
      if (unknownOutcome) req.onUnknownOutcome(token);
      logger.warn(
        `RunJobFlow for EMR cluster '${name}' failed (${e.name}: ${e.message}), attempt ${attempt} of ${settings.maxAttempts}` +
          (unknownOutcome
            ? `; EMR may have created it anyway, so the engine first looks for the cluster tagged ${EMR_TAGS.clientToken}=${token}`
            : ''),
      );
      // Also gives a cluster EMR did create the time to show up in ListClusters. A cancel cuts the
      // wait short, but not the look-up: a cluster created then must be found, or nobody terminates it.
      await sleep(backoffDelay(settings.pollIntervalMs, attempt - 1), signal).catch(() => undefined);
      if (unknownOutcome) {
        const created = await lookUp(req, token, e);
        if (created) {
          logger.info(`RunJobFlow for EMR cluster '${name}' had created ${created} after all; using it`);
          return created;
        }
      }
      signal.throwIfAborted();
      if (attempt >= settings.maxAttempts) throw err;
    }
  }
}

/** The cluster with this client token; a failed look-up ends the create: a new RunJobFlow could make a second cluster. */
async function lookUp(req: JobFlowCreateRequest, token: string, lost: Error): Promise<string | undefined> {
  const name = req.settings.name;
  try {
    return await findClusterByClientToken(req.client, name, token);
  } catch (err) {
    throw new ClusterError(
      `RunJobFlow for EMR cluster '${name}' may have created it (its answer was lost: ${lost.name}: ${lost.message}), ` +
        `and looking for it failed (${(err as Error).name}: ${(err as Error).message}); the engine looks again when the run ends, ` +
        `to terminate it (the cluster tagged ${EMR_TAGS.clientToken}=${token})`,
      { cluster: name, clientToken: token },
      { cause: err },
    );
  }
}
