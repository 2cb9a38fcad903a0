import { inspect } from 'node:util';
import {
  AddJobFlowStepsCommand,
  CancelStepsCommand,
  EMRClient,
  type ClusterSummary,
  type EMRClientConfig,
  type StepConfig,
} from '@aws-sdk/client-emr';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ClusterError, EmrStepTextError, EmrStepTooLongError } from '../../errors';
import { silentLogger, type Logger } from '../../logging/logger';
import type { Redactor } from '../../logging/redaction';
import { learnAwsSecretsProcessWide, learnResolvedCredentials, resolveCredentialsEarly } from '../../config/aws-resolved-secrets';
import { buildS3ClientConfig } from '../../filesystems/s3/s3-client-config';
import { S3Filesystem, type S3FilesystemTuning } from '../../filesystems/s3/s3-filesystem';
import type { Cluster, CommandOptions, CommandResult, SparkStepOptions, TerminationOutcome } from '../cluster';
import { xmlTextProblem, type EmrClusterOptions } from './emr-options.schema';
import { buildEmrClientConfig } from './emr-client-config';
import { EmrClusterScan, findClusterByClientToken } from './emr-cluster-scan';
import { describeClusterEnd, findClusterEnd } from './emr-cluster-end';
import type { EmrRunScope } from './emr-job-flow-builder';
import { createJobFlow } from './emr-job-flow-create';
import { EMR_TAGS } from './emr-tags';
import { terminateJobFlow } from './emr-termination';
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

/** What the cluster knows of the run it serves: its slot (`index`), the flow and the timeperiod it tags new clusters with. */
export interface EmrClusterScope extends EmrRunScope {
  /** The engine's log for launch and terminate; steps log to the logger of their CommandOptions. */
  logger?: Logger;
  /** The pool's shared ListClusters scan (createClusters gives every slot the same); a cluster of its own otherwise. */
  scan?: EmrClusterScan;
  /**
   * The application's known secrets. A step's text is shortened for its EMR name and for the errors
   * that quote it: masked first, or a secret across the cut would leave a piece no later redaction finds.
   */
  redact?: Redactor;
  /**
   * Told the credentials the SDK clients resolve (each identity, refreshed ones too): with none in
   * the options they come from the SDK's default chain, where the application's redactor cannot see them.
   * Without it, those of the default chain are learnt for every application of the process.
   */
  learnSecrets?: (secrets: readonly string[]) => void;
}

/**
 * SDK settings merged last, e.g. a retry strategy with tiny delays in tests, or a custom request
 * handler. Credentials are the EMR client's: the S3 client signs with the same provider.
 */
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
  private readonly redact: Redactor;
  private readonly scope: EmrRunScope;
  private readonly launchAbort = new AbortController();
  private id?: string;
  /** The client token of a RunJobFlow whose answer was lost, while no cluster id is known: a cluster may exist with it. */
  private unconfirmedToken?: string;
  private reused = false;
  private ready = false;
  /** Terminated by us, or found terminated by EMR: nothing left to end. */
  private ended = false;
  private endedOnItsOwn?: string;
  private launching?: Promise<void>;
  private terminating?: Promise<TerminationOutcome>;

  constructor(options: EmrClusterOptions, scope: EmrClusterScope, overrides: EmrClusterOverrides = {}) {
    this.settings = resolveEmrSettings(options, scope.index);
    this.name = this.settings.name;
    this.logger = scope.logger ?? silentLogger;
    this.redact = scope.redact ?? ((text) => text);
    this.scope = { index: scope.index, flowName: scope.flowName, timeperiod: scope.timeperiod };
    const credentials = options.credentials;
    this.scan = scope.scan ?? new EmrClusterScan();
    const emrConfig = { ...buildEmrClientConfig(this.settings, credentials), ...overrides.emrClientConfig };
    this.client = new EMRClient(emrConfig);
    // Outside a flow, keys from the default chain are learnt for every application of the process:
    // none has been told of them. Keys given in the options are the user's to give to bootstrap().
    const learn = scope.learnSecrets ?? (credentials ? undefined : learnAwsSecretsProcessWide);
    if (learn) learnResolvedCredentials(this.client, learn);
    // The other clients sign with the EMR client's memoized provider, so the default chain (instance
    // metadata, SSO, a credential_process) is asked once per cluster and refreshed once, not once per client.
    const sharedCredentials = this.client.config.credentials;
    this.createClient = new EMRClient({ ...emrConfig, credentials: sharedCredentials, maxAttempts: 1, retryStrategy: undefined });
    const s3Config = buildS3ClientConfig({
      region: this.settings.region,
      endpoint: this.settings.s3Endpoint,
      forcePathStyle: this.settings.s3ForcePathStyle,
      maxAttempts: this.settings.maxAttempts,
      retryMode: this.settings.retryMode,
    });
    // The engine's log gets S3's warnings (parts of a failed upload left billed); without one, process warnings do.
    const s3Tuning = scope.logger ? { logger: scope.logger, ...overrides.s3Tuning } : overrides.s3Tuning;
    const s3Client = new S3Client({ ...s3Config, ...overrides.s3ClientConfig, credentials: sharedCredentials });
    this.filesystem = new S3Filesystem(s3Client, s3Tuning);
  }

  /** The EMR cluster id (j-...), once launch() found or created it. */
  get clusterId(): string | undefined {
    return this.id;
  }

  /** Why the cluster stopped taking steps, once a step found that EMR ended it mid-run. */
  get endedBecause(): string | undefined {
    return this.endedOnItsOwn;
  }

  launch(signal?: AbortSignal): Promise<void> {
    this.launching ??= this.doLaunch(signal);
    return this.launching;
  }

  terminate(outcome: { flowFailed: boolean } = { flowFailed: false }): Promise<TerminationOutcome> {
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

  private async doLaunch(runSignal: AbortSignal | undefined): Promise<void> {
    const signal = runSignal ? AbortSignal.any([this.launchAbort.signal, runSignal]) : this.launchAbort.signal;
    // Known before any step's output or error could quote them; the first request awaits the same resolution.
    resolveCredentialsEarly(this.client);
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
      // A failed launch ends the cluster it created at once, rather than leave it billed until the
      // run ends. An aborted one leaves that to terminate() (which the engine always calls, as it
      // does when the run is cancelled), and so does a create whose answer was lost: looking for
      // its cluster again later gives EMR more time to list it.
      if (!signal.aborted && this.id) {
        this.terminating ??= this.end({ flowFailed: true });
        // Its failure is reported once, by whoever awaits terminate() (it returns this same promise).
        await this.terminating.catch(() => undefined);
      }
      if (signal.aborted) {
        const reason = signal.reason as Error | undefined;
        throw new ClusterError(
          `launch of EMR cluster '${this.name}'${this.id ? ` (${this.id})` : ''} was interrupted: ${reason?.message ?? String(reason)}`,
          { cluster: this.name, clusterId: this.id, aborted: true },
          { cause: err },
        );
      }
      if (err instanceof ClusterError) throw err;
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
    const id = await createJobFlow({
      settings: this.settings,
      scope: this.scope,
      createClient: this.createClient,
      client: this.client,
      logger: this.logger,
      signal,
      onUnknownOutcome: (token) => (this.unconfirmedToken = token),
    });
    this.unconfirmedToken = undefined;
    this.logger.info(
      `created EMR cluster '${this.name}' (${id}): ${this.settings.releaseLabel}, ` +
        `${this.settings.instanceCount} x ${this.settings.instanceType}, ${this.settings.applications.join('/')}, ` +
        (this.settings.autoTerminateIdleSeconds === false
          ? 'no auto-termination'
          : `auto-terminates after ${this.settings.autoTerminateIdleSeconds} s idle`),
    );
    return id;
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

  private async doTerminate(outcome: { flowFailed: boolean }): Promise<TerminationOutcome> {
    if (this.launching && !this.ready) {
      // A launch still in progress (the run was interrupted): stop waiting, then end what it created.
      this.launchAbort.abort(new Error('terminate() called while launching'));
      await this.launching.catch(() => undefined);
    }
    return this.end(outcome);
  }

  /** Ends the EMR cluster (unless kept for debugging) and closes the SDK clients. Runs at most once. */
  private async end(outcome: { flowFailed: boolean }): Promise<TerminationOutcome> {
    try {
      const id = this.id ?? (await this.findUnconfirmed());
      if (!id) return 'never-created';
      if (this.ended) return 'already-ended';
      if (outcome.flowFailed && this.settings.keepAliveOnFailure) {
        this.logger.warn(
          `keeping EMR cluster '${this.name}' (${id}) alive for debugging, because the flow failed and keepAliveOnFailure is set; ` +
            `it costs money until ${this.autoTerminationNote()}; end it with: aws emr modify-cluster-attributes --cluster-id ${id} --no-termination-protected ` +
            `&& aws emr terminate-clusters --cluster-ids ${id}`,
        );
        return 'kept-alive';
      }
      const done = await terminateJobFlow(this.client, { id, name: this.name }, this.logger);
      this.ended = true;
      return done;
    } finally {
      this.client.destroy();
      this.createClient.destroy();
      this.filesystem.destroy();
    }
  }

  /**
   * The cluster a RunJobFlow with a lost answer may have created, looked for once more now that
   * EMR had time to list it. When it cannot be looked for, the error says how to find it by hand.
   */
  private async findUnconfirmed(): Promise<string | undefined> {
    const token = this.unconfirmedToken;
    if (!token) return undefined;
    const tag = `${EMR_TAGS.clientToken}=${token}`;
    const found = await findClusterByClientToken(this.client, this.name, token).catch((err: unknown) => {
      throw new ClusterError(
        `EMR cluster '${this.name}' may have been created and left running: RunJobFlow's answer was lost, and looking for ` +
          `the cluster it may have created failed (${(err as Error).name}: ${(err as Error).message}). It costs money until ` +
          `${this.autoTerminationNote()}: look for an active cluster named '${this.name}' tagged ${tag} ` +
          `(aws emr list-clusters --active, then aws emr describe-cluster --cluster-id <id>) and end it with: aws emr terminate-clusters --cluster-ids <id>`,
        { cluster: this.name, clientToken: token },
        { cause: err },
      );
    });
    if (!found) {
      this.logger.warn(
        `no active EMR cluster named '${this.name}' is tagged ${tag}: the RunJobFlow whose answer was lost created none, ` +
          `or EMR does not list it yet; if one shows up, end it with: aws emr terminate-clusters --cluster-ids <id>`,
      );
      return undefined;
    }
    this.logger.info(`found EMR cluster '${this.name}' (${found}), which the RunJobFlow whose answer was lost had created`);
    this.id = found;
    return found;
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
    if (this.endedOnItsOwn) throw new ClusterError(`cannot run ${display}: ${this.endedOnItsOwn}`, { cluster: this.name, clusterId });
    if (signal?.aborted) throw this.abortedError(display, clusterId, undefined, signal);
    const length = stepArgumentsLength(jar, args);
    if (length > STEP_ARGUMENTS_MAX) throw new EmrStepTooLongError(this.redact(display), this.name, length, STEP_ARGUMENTS_MAX);
    const textProblem = [jar, ...args].map((text, i) => xmlTextProblem(i === 0 ? 'the jar' : `argument ${i}`, text)).find(Boolean);
    if (textProblem) throw new EmrStepTextError(this.redact(display), this.name, textProblem);
    // The name is shown by EMR's console and quoted by its errors; the arguments are the step's own business.
    const step: StepConfig = buildStepConfig(this.redact(`${this.scope.flowName} ${this.scope.timeperiod}: ${display}`), jar, args);
    // Not abortable: a step EMR accepted after we stopped listening would run unseen; we cancel it instead.
    const out = await this.client.send(new AddJobFlowStepsCommand({ JobFlowId: clusterId, Steps: [step] })).catch(async (err: unknown) => {
      // EMR refuses steps on a cluster that has ended: say so, rather than hint at the endpoint.
      const refused = !isThrottling(err) && !isUnknownOutcome(err);
      throw (
        (refused && (await this.endedUnder(`could not submit ${display}`, clusterId, err))) ||
        sdkFailure(`could not submit ${display} to EMR cluster '${this.name}' (${clusterId})`, err, { cluster: this.name, clusterId })
      );
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
      if (err instanceof ClusterError && !signal?.aborted) {
        // INTERRUPTED is what EMR gives the steps of a cluster that went away; CANCELLED, those still pending.
        const stepState = err.details.state;
        const cut = stepState === 'INTERRUPTED' || stepState === 'CANCELLED';
        throw (cut && (await this.endedUnder(`${display} (EMR step ${stepId}) ended ${String(stepState)}`, clusterId, err))) || err;
      }
      // Aborted, or we lost track of the step (DescribeStep failed past the SDK's retries): either
      // way it must not keep running unseen, or a retry of this step would run it twice.
      const stop = await this.cancelStep({ clusterId, clusterName: this.name, stepId, display }, logger);
      if (signal?.aborted) throw this.abortedError(display, clusterId, stepId, signal, stop);
      throw this.lostTrackError(display, clusterId, stepId, err, stop);
    }
    logger.info(`EMR step ${stepId} completed; its output is in the cluster's step logs`);
    return { exitCode: 0, stdout: '' };
  }

  /**
   * After a step call failed: when the cause is that EMR ended the cluster, remembers it (the pool
   * then gives it no more steps, and a retry goes to another cluster) and says so with EMR's reason.
   */
  private async endedUnder(what: string, clusterId: string, err: unknown): Promise<ClusterError | undefined> {
    const end = await findClusterEnd(this.client, clusterId);
    if (!end) return undefined;
    this.ended = true;
    this.endedOnItsOwn = `EMR cluster '${this.name}' (${clusterId}) ended ${describeClusterEnd(end)}`;
    return new ClusterError(
      `${what}: ${this.endedOnItsOwn} (aws emr describe-cluster --cluster-id ${clusterId})`,
      { cluster: this.name, clusterId, state: end.state, stateChangeReason: { code: end.code, message: end.message } },
      { cause: err },
    );
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
