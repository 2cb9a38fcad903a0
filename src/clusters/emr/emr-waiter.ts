import {
  DescribeClusterCommand,
  DescribeStepCommand,
  type Cluster as EmrClusterDescription,
  type EMRClient,
  type Step,
} from '@aws-sdk/client-emr';
import { ClusterError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { backoffDelay, sleep } from './emr-backoff';

export interface WaitOptions {
  pollIntervalMs: number;
  logger: Logger;
  signal?: AbortSignal;
  /** Give up after this long (a cluster that never starts); steps have none: the engine's step timeout aborts the signal. */
  timeoutMs?: number;
}

/** RUNNING is ready too: it means a reused cluster is running someone's steps, and EMR queues ours behind them. */
const CLUSTER_READY: ReadonlySet<string> = new Set(['WAITING', 'RUNNING']);
const CLUSTER_ENDED: ReadonlySet<string> = new Set(['TERMINATING', 'TERMINATED', 'TERMINATED_WITH_ERRORS']);
/**
 * CANCEL_PENDING is not an end: a cancel someone asked for may not take effect, and the step then
 * goes back to RUNNING and may still complete (the service model's StepComplete waiter keeps
 * waiting in that state too). Treating it as failed would let a retry run the step a second time.
 */
const STEP_ACTIVE: ReadonlySet<string> = new Set(['PENDING', 'RUNNING', 'CANCEL_PENDING']);
/**
 * The StepComplete waiter's failure states (FAILED, CANCELLED), plus INTERRUPTED, which EMR gives a
 * step whose cluster went away under it and which no step ever leaves.
 */
const STEP_FAILED: ReadonlySet<string> = new Set(['FAILED', 'CANCELLED', 'INTERRUPTED']);
/** How many DescribeStep polls after a CancelSteps before saying the cancel was not confirmed. */
const CANCEL_CONFIRM_POLLS = 8;
/**
 * The first wait between those polls, at most: a cancel takes EMR seconds, and the engine waits
 * for an aborted step only its grace period, so they do not wait a whole step poll interval.
 */
const CANCEL_CONFIRM_INTERVAL_MS = 1_000;

export function isEndedClusterState(state: unknown): boolean {
  return typeof state === 'string' && CLUSTER_ENDED.has(state);
}

/** Polls DescribeCluster with backoff until the cluster can take steps; a cluster that ends on the way is a ClusterError. */
export async function waitForClusterReady(
  client: EMRClient,
  cluster: { id: string; name: string },
  options: WaitOptions,
): Promise<EmrClusterDescription> {
  const { logger, signal } = options;
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  let lastState: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const { Cluster: description } = await client.send(new DescribeClusterCommand({ ClusterId: cluster.id }), { abortSignal: signal });
    const state = description?.Status?.State ?? 'UNKNOWN';
    if (state !== lastState) {
      logger.info(`EMR cluster '${cluster.name}' (${cluster.id}) is ${state}`);
      lastState = state;
    }
    if (CLUSTER_READY.has(state)) return description!;
    if (CLUSTER_ENDED.has(state)) {
      const reason = description?.Status?.StateChangeReason;
      throw new ClusterError(
        `EMR cluster '${cluster.name}' (${cluster.id}) ended ${state} while starting: ${reason?.Code ?? 'no reason code'}` +
          `${reason?.Message ? ` - ${reason.Message}` : ''}. Check its events in the EMR console ` +
          `(aws emr describe-cluster --cluster-id ${cluster.id}), fix the cause (roles, instance type, quota, bootstrap actions) and run again`,
        { cluster: cluster.name, clusterId: cluster.id, state, stateChangeReason: { code: reason?.Code, message: reason?.Message } },
      );
    }
    const wait = backoffDelay(options.pollIntervalMs, attempt);
    if (Date.now() + wait > deadline) {
      throw new ClusterError(
        `EMR cluster '${cluster.name}' (${cluster.id}) was still ${state} after ${options.timeoutMs} ms; ` +
          `check it in the EMR console, or raise launchTimeoutMs in the cluster options`,
        { cluster: cluster.name, clusterId: cluster.id, state },
      );
    }
    await sleep(wait, signal);
  }
}

export interface StepRef {
  clusterId: string;
  clusterName: string;
  stepId: string;
  /** What the step runs, for messages. */
  display: string;
}

/** Polls DescribeStep with backoff until the step completes; FAILED and the other dead ends are a ClusterError with its FailureDetails. */
export async function waitForStep(client: EMRClient, ref: StepRef, options: WaitOptions): Promise<Step> {
  const { logger, signal } = options;
  let lastState: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const { Step: step } = await client.send(new DescribeStepCommand({ ClusterId: ref.clusterId, StepId: ref.stepId }), {
      abortSignal: signal,
    });
    const state = step?.Status?.State ?? 'UNKNOWN';
    if (state !== lastState) {
      logger.info(`EMR step ${ref.stepId} is ${state}`);
      lastState = state;
    }
    if (state === 'COMPLETED') return step!;
    if (STEP_FAILED.has(state)) {
      const failure = step?.Status?.FailureDetails;
      const failureDetails = { reason: failure?.Reason, message: failure?.Message, logFile: failure?.LogFile };
      throw new ClusterError(
        `EMR step ${ref.stepId} (${ref.display}) on cluster '${ref.clusterName}' (${ref.clusterId}) ended ${state}` +
          `${failure?.Reason ? `: ${failure.Reason}` : ''}${failure?.Message ? ` - ${failure.Message}` : ''}` +
          `${failure?.LogFile ? `; its log is ${failure.LogFile}` : '; set logUri in the cluster options to keep step logs'}` +
          ` (aws emr describe-step --cluster-id ${ref.clusterId} --step-id ${ref.stepId})`,
        { cluster: ref.clusterName, clusterId: ref.clusterId, stepId: ref.stepId, state, failureDetails },
      );
    }
    if (!STEP_ACTIVE.has(state)) logger.warn(`EMR step ${ref.stepId} is in an unexpected state ${state}; still waiting`);
    await sleep(backoffDelay(options.pollIntervalMs, attempt), signal);
  }
}

/** Where a step stands after the engine asked EMR to cancel it. */
export interface StepStopOutcome {
  /** The last state seen, or undefined when DescribeStep could not be read. */
  state?: string;
  /** True only when EMR reported the step CANCELLED (or INTERRUPTED): it no longer runs. */
  stopped: boolean;
  /** Why it could not be read, when it could not. */
  error?: string;
}

/**
 * Polls DescribeStep after a CancelSteps until the step reaches an end, at most CANCEL_CONFIRM_POLLS
 * times: the cancel is asynchronous (CANCEL_PENDING) and may not take effect, so "cancelled" is
 * reported only once EMR says so. When EMR refused the cancel, one poll tells the state the step is
 * in. Not abortable: it runs because the step's signal was aborted.
 */
export async function waitForStepToStop(
  client: EMRClient,
  ref: StepRef,
  options: Omit<WaitOptions, 'signal' | 'timeoutMs'> & { cancelRefused: boolean },
): Promise<StepStopOutcome> {
  let state: string | undefined;
  const polls = options.cancelRefused ? 1 : CANCEL_CONFIRM_POLLS;
  const interval = Math.min(options.pollIntervalMs, CANCEL_CONFIRM_INTERVAL_MS);
  for (let attempt = 0; attempt < polls; attempt++) {
    try {
      const { Step: step } = await client.send(new DescribeStepCommand({ ClusterId: ref.clusterId, StepId: ref.stepId }));
      state = step?.Status?.State ?? 'UNKNOWN';
    } catch (err) {
      return { state, stopped: false, error: `${(err as Error).name}: ${(err as Error).message}` };
    }
    if (state === 'CANCELLED' || state === 'INTERRUPTED') return { state, stopped: true };
    if (state === 'COMPLETED' || state === 'FAILED') return { state, stopped: false };
    if (attempt < polls - 1) await sleep(backoffDelay(interval, attempt));
  }
  if (!options.cancelRefused)
    options.logger.warn(`EMR step ${ref.stepId} is still ${state} after ${polls} checks since it was asked to cancel`);
  return { state, stopped: false };
}
