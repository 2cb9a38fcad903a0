import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import {
  AddJobFlowStepsCommand,
  CancelStepsCommand,
  EMRClient,
  RunJobFlowCommand,
  SetTerminationProtectionCommand,
  TerminateJobFlowsCommand,
  type ClusterSummary,
  type EMRClientConfig,
  type StepConfig,
} from '@aws-sdk/client-emr';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ClusterError, EmrStepTextError, EmrStepTooLongError } from '../../errors';
import { silentLogger, type Logger } from '../../logging/logger';
import { buildS3ClientConfig } from '../../filesystems/s3/s3-client-config';
import { S3Filesystem, type S3FilesystemTuning } from '../../filesystems/s3/s3-filesystem';
import type { Cluster, CommandOptions, CommandResult, SparkStepOptions } from '../cluster';
import { xmlTextProblem, type EmrClusterOptions } from './emr-options.schema';
import { buildEmrClientConfig } from './emr-client-config';
import { backoffDelay, sleep } from './emr-backoff';
import { EmrClusterScan, findClusterByClientToken } from './emr-cluster-scan';
import { buildRunJobFlowInput, type EmrRunScope } from './emr-job-flow-builder';
import { EMR_TAGS } from './emr-tags';
import { resolveEmrSettings, type EmrSettings } from './emr-settings';
import {
  buildStepConfig,
  COMMAND_RUNNER_JAR,
  pigScriptArgs,
  shellCommandArgs,
  sparkSubmitArgs,
  STEP_ARGUMENTS_MAX,
  stepArgumentsLength,
  withStepScope,
} from './emr-step-builder';
import { isThrottling, isUnknownOutcome, sdkFailure } from './emr-sdk-failure';
import { isEndedClusterState, waitForClusterReady, waitForStep, waitForStepToStop, type StepRef, type StepStopOutcome } from './emr-waiter';

export interface EmrClusterScope extends EmrRunScope {
  /** The engine's log for launch and terminate; steps log to the logger of their CommandOptions. */
  logger?: Logger;
  /** The pool's shared ListClusters scan (createClusters gives every slot the same); a cluster of its own otherwise. */
  scan?: EmrClusterScan;
}

/** SDK settings merged last, e.g. a retry strategy with tiny delays in tests, or a custom request handler. */
export interface EmrClusterOverrides {
  emrClientConfig?: Partial<EMRClientConfig>;
  s3ClientConfig?: Partial<S3ClientConfig>;
  s3Tuning?: S3FilesystemTuning;
}

/**
 * One slot of the engine's cluster pool, backed by an EMR cluster: launch() reuses a running
 * cluster with this slot's name or creates one, steps are AddJobFlowSteps through
 * command-runner.jar, terminate() ends it. Credentials are handed to the SDK clients and kept
 * nowhere else, so neither this object's JSON nor its util.inspect form can show them.
 */
export class EmrCluster implements Cluster {
  readonly name: string;
  readonly filesystem: S3Filesystem;
  private readonly settings: EmrSettings;
  private readonly client: EMRClient;
  /** RunJobFlow only, without the SDK's retries: a retry after a lost answer could create a second cluster. */
  private readonly createClient: EMRClient;
  private readonly scan: EmrClusterScan;
  private readonly logger: Logger;
  private readonly scope: EmrRunScope;
  private readonly launchAbort = new AbortController();
  private id?: string;
  private reused = false;
  private ready = false;
  /** Terminated by us, or found terminated by EMR: nothing left to end. */
  private ended = false;
  private launching?: Promise<void>;
  private terminating?: Promise<void>;

  constructor(options: EmrClusterOptions, scope: EmrClusterScope, overrides: EmrClusterOverrides = {}) {
    this.settings = resolveEmrSettings(options, scope.index);
    this.name = this.settings.name;
    this.logger = scope.logger ?? silentLogger;
    this.scope = { index: scope.index, flowName: scope.flowName, timeperiod: scope.timeperiod };
    const credentials = options.credentials;
    this.scan = scope.scan ?? new EmrClusterScan();
    const emrConfig = { ...buildEmrClientConfig(this.settings, credentials), ...overrides.emrClientConfig };
    this.client = new EMRClient(emrConfig);
    this.createClient = new EMRClient({ ...emrConfig, maxAttempts: 1, retryStrategy: undefined });
    const s3Config = buildS3ClientConfig(
      {
        region: this.settings.region,
        endpoint: this.settings.s3Endpoint,
        forcePathStyle: this.settings.s3ForcePathStyle,
        maxAttempts: this.settings.maxAttempts,
        retryMode: this.settings.retryMode,
      },
      credentials,
    );
    // The engine's log gets S3's warnings (parts of a failed upload left billed); without one, process warnings do.
    const s3Tuning = scope.logger ? { logger: scope.logger, ...overrides.s3Tuning } : overrides.s3Tuning;
    this.filesystem = new S3Filesystem(new S3Client({ ...s3Config, ...overrides.s3ClientConfig }), s3Tuning);
  }

  /** The EMR cluster id (j-...), once launch() found or created it. */
  get clusterId(): string | undefined {
    return this.id;
  }

  launch(): Promise<void> {
    this.launching ??= this.doLaunch();
    return this.launching;
  }

  terminate(outcome: { flowFailed: boolean } = { flowFailed: false }): Promise<void> {
    this.terminating ??= this.doTerminate(outcome);
    return this.terminating;
  }

  // async: a bad argv or env name (withStepScope) must reject, not throw before a promise exists.
  async runShellCommand(command: string, options: CommandOptions = {}): Promise<CommandResult> {
    return this.runStep(`bash -c ${command}`, COMMAND_RUNNER_JAR, withStepScope(shellCommandArgs(command), options), options);
  }

  async runCommand(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const args = withStepScope(argv, options);
    return this.runStep(argv.join(' '), COMMAND_RUNNER_JAR, args, options);
  }

  async runPigStep(uri: string, params: Record<string, string> = {}, options: CommandOptions = {}): Promise<CommandResult> {
    return this.runStep(`pig ${uri}`, COMMAND_RUNNER_JAR, withStepScope(pigScriptArgs(uri, params), options), options);
  }

  async runSparkStep(uri: string, spark: SparkStepOptions = {}, options: CommandOptions = {}): Promise<CommandResult> {
    return this.runStep(`spark-submit ${uri}`, COMMAND_RUNNER_JAR, withStepScope(sparkSubmitArgs(uri, spark), options), options);
  }

  async runHadoopStep(jar: string, args: readonly string[] = [], options: CommandOptions = {}): Promise<CommandResult> {
    if (options.cwd !== undefined || options.env !== undefined) {
      // The jar runs as EMR's own Hadoop step (it may live on S3), which has no directory or environment to set.
      (options.logger ?? this.logger).warn(`cwd and env are ignored by EMR hadoop jar steps (${jar})`);
    }
    return this.runStep(`hadoop jar ${jar}`, jar, args, options);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'emr', name: this.name, region: this.settings.region, clusterId: this.id, reused: this.reused };
  }

  [inspect.custom](): string {
    return `EmrCluster ${inspect(this.toJSON())}`;
  }

  private async doLaunch(): Promise<void> {
    const signal = this.launchAbort.signal;
    try {
      this.id = await this.findOrCreate(signal);
      await waitForClusterReady(
        this.client,
        { id: this.id, name: this.name },
        {
          pollIntervalMs: this.settings.pollIntervalMs,
          logger: this.logger,
          signal,
          timeoutMs: this.settings.launchTimeoutMs,
        },
      );
      this.ready = true;
    } catch (err) {
      if (err instanceof ClusterError && isEndedClusterState(err.details.state)) this.ended = true;
      // The engine terminates only the clusters whose launch succeeded, so a failed launch ends its
      // own cluster; unless terminate() interrupted it, which then ends the cluster itself.
      if (!signal.aborted) {
        this.terminating ??= this.end({ flowFailed: true });
        await this.terminating.catch((cleanup: unknown) => this.logger.error((cleanup as Error).message));
      }
      if (err instanceof ClusterError) throw err;
      if (signal.aborted) {
        throw new ClusterError(
          `launch of EMR cluster '${this.name}' was interrupted by terminate()`,
          { cluster: this.name, clusterId: this.id },
          { cause: err },
        );
      }
      throw sdkFailure(`could not launch EMR cluster '${this.name}'${this.id ? ` (${this.id})` : ''}`, err, {
        cluster: this.name,
        clusterId: this.id,
      });
    }
  }

  private async findOrCreate(signal: AbortSignal): Promise<string> {
    const found = await this.findReusable(signal);
    if (found?.Id) {
      this.reused = true;
      this.logger.info(`reusing EMR cluster '${this.name}' (${found.Id}), which is ${found.Status?.State}`);
      return found.Id;
    }
    const id = await this.create();
    this.logger.info(
      `created EMR cluster '${this.name}' (${id}): ${this.settings.releaseLabel}, ` +
        `${this.settings.instanceCount} x ${this.settings.instanceType}, ${this.settings.applications.join('/')}, ` +
        (this.settings.autoTerminateIdleSeconds === false
          ? 'no auto-termination'
          : `auto-terminates after ${this.settings.autoTerminateIdleSeconds} s idle`),
    );
    return id;
  }

  /**
   * RunJobFlow, made idempotent by hand: EMR has no client token for it, and the SDK would retry a
   * 5xx or a lost answer blindly, creating a second cluster nobody terminates. Each create carries
   * a token tag; after an answer that leaves the outcome unknown, the cluster with that tag is
   * looked for before trying again. Not abortable: an aborted RunJobFlow may still create a cluster.
   */
  private async create(): Promise<string> {
    const token = randomUUID();
    const input = buildRunJobFlowInput(this.settings, this.scope, token);
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.createClient.send(new RunJobFlowCommand(input));
        if (!out.JobFlowId)
          throw new ClusterError(`EMR RunJobFlow for cluster '${this.name}' returned no cluster id`, { cluster: this.name });
        return out.JobFlowId;
      } catch (err) {
        const unknownOutcome = isUnknownOutcome(err);
        if (err instanceof ClusterError || !(unknownOutcome || isThrottling(err))) throw err;
        const e = err as Error;
        this.logger.warn(
          `RunJobFlow for EMR cluster '${this.name}' failed (${e.name}: ${e.message}), attempt ${attempt} of ${this.settings.maxAttempts}` +
            (unknownOutcome
              ? `; EMR may have created it anyway, so the engine first looks for the cluster tagged ${EMR_TAGS.clientToken}=${token}`
              : ''),
        );
        // Also gives a cluster EMR did create the time to show up in ListClusters.
        await sleep(backoffDelay(this.settings.pollIntervalMs, attempt - 1));
        // Even after the last attempt: a cluster created then must be found, or nobody terminates it.
        if (unknownOutcome) {
          const created = await findClusterByClientToken(this.client, this.name, token);
          if (created) {
            this.logger.info(`RunJobFlow for EMR cluster '${this.name}' had created ${created} after all; using it`);
            return created;
          }
        }
        if (attempt >= this.settings.maxAttempts) throw err;
      }
    }
  }

  /** An active cluster with this slot's name; if there are several, a ready one first. */
  private async findReusable(signal: AbortSignal): Promise<ClusterSummary | undefined> {
    const matches = (await this.scan.active(this.client, signal)).filter((c) => c.Name === this.name);
    if (matches.length > 1) {
      this.logger.warn(
        `${matches.length} active EMR clusters are named '${this.name}' (${matches.map((c) => c.Id).join(', ')}); reusing one of them`,
      );
    }
    const readyFirst = (c: ClusterSummary) => (c.Status?.State === 'WAITING' || c.Status?.State === 'RUNNING' ? 0 : 1);
    return [...matches].sort((a, b) => readyFirst(a) - readyFirst(b))[0];
  }

  private async doTerminate(outcome: { flowFailed: boolean }): Promise<void> {
    if (this.launching && !this.ready) {
      // A launch still in progress (the run was interrupted): stop waiting, then end what it created.
      this.launchAbort.abort(new Error('terminate() called while launching'));
      await this.launching.catch(() => undefined);
    }
    await this.end(outcome);
  }

  /** Ends the EMR cluster (unless kept for debugging) and closes the SDK clients. Runs at most once. */
  private async end(outcome: { flowFailed: boolean }): Promise<void> {
    try {
      const id = this.id;
      if (!id || this.ended) return;
      if (outcome.flowFailed && this.settings.keepAliveOnFailure) {
        this.logger.warn(
          `keeping EMR cluster '${this.name}' (${id}) alive for debugging, because the flow failed and keepAliveOnFailure is set; ` +
            `it costs money until ${this.autoTerminationNote()}; end it with: aws emr modify-cluster-attributes --cluster-id ${id} --no-termination-protected ` +
            `&& aws emr terminate-clusters --cluster-ids ${id}`,
        );
        return;
      }
      try {
        // A reused cluster may be termination-protected (by a person, or created so by an earlier version
        // of this engine): lift it first, or TerminateJobFlows is refused.
        await this.client.send(new SetTerminationProtectionCommand({ JobFlowIds: [id], TerminationProtected: false }));
        await this.client.send(new TerminateJobFlowsCommand({ JobFlowIds: [id] }));
      } catch (err) {
        throw new ClusterError(
          `could not terminate EMR cluster '${this.name}' (${id}): ${(err as Error).message}; it may still be running and costing money, ` +
            `end it in the EMR console or with: aws emr terminate-clusters --cluster-ids ${id}`,
          { cluster: this.name, clusterId: id },
          { cause: err },
        );
      }
      this.ended = true;
      this.logger.info(`terminating EMR cluster '${this.name}' (${id})`);
    } finally {
      this.client.destroy();
      this.createClient.destroy();
      this.filesystem.destroy();
    }
  }

  /** When a kept cluster stops costing money on its own. */
  private autoTerminationNote(): string {
    const idle = this.settings.autoTerminateIdleSeconds;
    if (this.reused) return 'you end it (it was reused: its own auto-termination policy, if any, applies)';
    return idle === false
      ? 'you end it (autoTerminateIdleSeconds is false)'
      : `you end it, or until EMR ends it after ${idle} s idle (autoTerminateIdleSeconds)`;
  }

  private async runStep(display: string, jar: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
    const logger = options.logger ?? this.logger;
    const { signal } = options;
    const clusterId = this.id;
    if (!clusterId || !this.ready || this.terminating) {
      throw new ClusterError(
        `cannot run ${display} on EMR cluster '${this.name}': it is ${this.terminating ? 'terminated' : 'not launched'}; the engine launches clusters before running steps`,
        { cluster: this.name, clusterId },
      );
    }
    if (signal?.aborted) throw this.abortedError(display, clusterId, undefined, signal);
    const length = stepArgumentsLength(jar, args);
    if (length > STEP_ARGUMENTS_MAX) throw new EmrStepTooLongError(display, this.name, length, STEP_ARGUMENTS_MAX);
    const textProblem = [jar, ...args].map((text, i) => xmlTextProblem(i === 0 ? 'the jar' : `argument ${i}`, text)).find(Boolean);
    if (textProblem) throw new EmrStepTextError(display, this.name, textProblem);
    const step: StepConfig = buildStepConfig(`${this.scope.flowName} ${this.scope.timeperiod}: ${display}`, jar, args);
    // Not abortable: a step EMR accepted after we stopped listening would run unseen; we cancel it instead.
    const out = await this.client.send(new AddJobFlowStepsCommand({ JobFlowId: clusterId, Steps: [step] })).catch((err: unknown) => {
      throw sdkFailure(`could not submit ${display} to EMR cluster '${this.name}' (${clusterId})`, err, { cluster: this.name, clusterId });
    });
    const stepId = out.StepIds?.[0];
    if (!stepId)
      throw new ClusterError(`EMR accepted no step for ${display} on cluster '${this.name}' (${clusterId})`, {
        cluster: this.name,
        clusterId,
      });
    logger.info(`submitted EMR step ${stepId} to cluster '${this.name}' (${clusterId}): ${display}`);
    try {
      await waitForStep(
        this.client,
        { clusterId, clusterName: this.name, stepId, display },
        { pollIntervalMs: this.settings.pollIntervalMs, logger, signal },
      );
    } catch (err) {
      if (err instanceof ClusterError && !signal?.aborted) throw err;
      // Aborted, or we lost track of the step (DescribeStep failed past the SDK's retries): either
      // way it must not keep running unseen, or a retry of this step would run it twice.
      const stop = await this.cancelStep({ clusterId, clusterName: this.name, stepId, display }, logger);
      if (signal?.aborted) throw this.abortedError(display, clusterId, stepId, signal, stop);
      throw this.lostTrackError(display, clusterId, stepId, err, stop);
    }
    logger.info(`EMR step ${stepId} completed; its output is in the cluster's step logs`);
    return { exitCode: 0, stdout: '' };
  }

  /** CancelSteps, then waits for EMR to confirm: the cancel is asynchronous and may not take effect. */
  private async cancelStep(ref: StepRef, logger: Logger): Promise<StepStopOutcome> {
    const { clusterId, stepId } = ref;
    let refusal: string | undefined;
    try {
      const out = await this.client.send(
        new CancelStepsCommand({ ClusterId: clusterId, StepIds: [stepId], StepCancellationOption: 'SEND_INTERRUPT' }),
      );
      const info = out.CancelStepsInfoList?.find((i) => i.StepId === stepId);
      if (info?.Status === 'FAILED') refusal = `EMR refused the cancel: ${info.Reason ?? 'no reason given'}`;
      else logger.info(`asked EMR to cancel step ${stepId}`);
    } catch (err) {
      refusal = `CancelSteps failed: ${(err as Error).name}: ${(err as Error).message}`;
    }
    if (refusal) logger.warn(`could not cancel EMR step ${stepId}: ${refusal}`);
    const stop = {
      ...(await waitForStepToStop(this.client, ref, {
        pollIntervalMs: this.settings.pollIntervalMs,
        logger,
        cancelRefused: refusal !== undefined,
      })),
      refusal,
    };
    if (stop.stopped) logger.info(`EMR step ${stepId} is ${stop.state}`);
    else logger.error(`EMR step ${stepId} was not confirmed cancelled (${stopSummary(stop)}); ${cancelCommand(clusterId, stepId)}`);
    return stop;
  }

  private abortedError(
    display: string,
    clusterId: string,
    stepId: string | undefined,
    signal: AbortSignal,
    stop?: StepStopOutcome,
  ): ClusterError {
    const what = !stepId
      ? ' before it was submitted'
      : stop?.stopped
        ? `; its EMR step ${stepId} was cancelled (EMR reports it ${stop.state})`
        : `, but its EMR step ${stepId} was not confirmed cancelled (${stop ? stopSummary(stop) : 'not checked'}): ` +
          `it may still be running; check it and ${cancelCommand(clusterId, stepId)}`;
    return new ClusterError(
      `${display} on EMR cluster '${this.name}' (${clusterId}) was aborted${what}`,
      {
        cluster: this.name,
        clusterId,
        stepId,
        aborted: true,
        cancelled: stepId ? stop?.stopped === true : undefined,
        stepState: stop?.state,
      },
      { cause: signal.reason },
    );
  }

  private lostTrackError(display: string, clusterId: string, stepId: string, err: unknown, stop: StepStopOutcome): ClusterError {
    const cause = isThrottling(err) ? 'DescribeStep was throttled by EMR past the retry limit' : 'DescribeStep kept failing';
    const outcome = stop.stopped
      ? `the step was cancelled so that it does not go on running unseen (EMR reports it ${stop.state})`
      : `the engine asked EMR to cancel it, but the cancel was not confirmed (${stopSummary(stop)}): it may still be running; check it and ${cancelCommand(clusterId, stepId)}`;
    const failure = sdkFailure(`lost track of EMR step ${stepId} (${display}) on cluster '${this.name}' (${clusterId}): ${cause}`, err, {});
    return new ClusterError(
      `${failure.message}. ${outcome}`,
      { ...failure.details, cluster: this.name, clusterId, stepId, cancelled: stop.stopped, stepState: stop.state },
      { cause: err },
    );
  }
}

function stopSummary(stop: StepStopOutcome & { refusal?: string }): string {
  const state = stop.error
    ? `its state could not be read: ${stop.error}`
    : stop.state
      ? `EMR reports it ${stop.state}`
      : 'its state is unknown';
  return stop.refusal ? `${stop.refusal}; ${state}` : state;
}

function cancelCommand(clusterId: string, stepId: string): string {
  return `cancel it with: aws emr cancel-steps --cluster-id ${clusterId} --step-ids ${stepId}`;
}
