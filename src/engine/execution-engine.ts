import { setMaxListeners } from 'node:events';
import { createClusters } from '../clusters/cluster-factory';
import type { ClusterOptions } from '../clusters/cluster-options';
import { ClusterPool } from '../clusters/cluster-pool';
import { FlowCancelledError, FlowStateChangedError, LeaseLostError, UnknownStepError } from '../errors';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { RunMode } from '../persistence/flow.entity';
import { FlowState, STEP_DONE_STATES, StepState } from '../domain/states';
import type { StateStore } from '../persistence/state-store';
import { reportTakeover } from '../persistence/lease/zombie-step.reporter';
import { describeProcess, thisProcess } from '../persistence/lease/process-identity';
import { describeError } from './describe-error';
import { now } from '../domain/flow-event';
import { newRunId } from '../domain/run-id';
import type { FlowLease, FlowLock } from '../domain/flow-lock.port';
import { AttemptContainerFactory } from './attempt-container.factory';
import type { FlowRun } from './flow-run';
import { flowStateOf } from './flow-state-of';
import type { FlowRunResult, RunOptions } from './run-options';
import { checkRunOptions } from './run-options.check';
import { runKeepAlive } from './run-keep-alive';
import { currentSteps } from './retired-steps';
import { planRun, type RunPlan } from './run-plan';
import { executeStep } from './step-executor';
import { attemptEnd } from './attempt-end';
import type { StepRunScope } from './step-run-scope';
import { scheduleSteps } from './step-scheduler';
import { startRunTelemetry } from '../telemetry/run-telemetry';

export interface EngineServices {
  store: StateStore;
  lock: FlowLock;
  scope: StepRunScope;
  cluster: ClusterOptions;
  settings: Readonly<Record<string, unknown>>;
  credentials: Readonly<Record<string, unknown>>;
}

/**
 * Runs flows in the four modes: validates the request, takes the [flow, timeperiod] lease, sets
 * the rows up, launches the clusters, schedules the steps, and always terminates the clusters and
 * records the flow's final state.
 */
export class ExecutionEngine {
  private readonly running = new Map<string, AbortController>();
  /** The runs past their set-up, for a forced shutdown to record what they leave in_progress. */
  private readonly flowRuns = new Map<string, FlowRun>();

  constructor(private readonly services: EngineServices) {}

  async execute(definition: FlowDefinition, mode: RunMode, rawOptions: RunOptions, stepName?: string): Promise<FlowRunResult> {
    const { options, nominalClusters } = this.validate(definition, rawOptions, stepName);
    const release = runKeepAlive.hold();
    try {
      return await this.executeValid(definition, mode, options, nominalClusters, stepName);
    } finally {
      release();
    }
  }

  /** From the lease to its release: the run itself, its options valid. */
  private async executeValid(
    definition: FlowDefinition,
    mode: RunMode,
    options: RunOptions,
    nominalClusters: number,
    stepName: string | undefined,
  ): Promise<FlowRunResult> {
    const { timeperiod } = options;
    const lease = await this.services.lock.acquire(definition.name, timeperiod);
    const key = runKey(definition.name, timeperiod);
    const controller = new AbortController();
    const onExternalAbort = () =>
      controller.abort(new FlowCancelledError(definition.name, timeperiod, 'the run options signal was aborted'));
    let started: FlowRun | undefined;
    try {
      // Every running step and action listens to the run's signal: hundreds of listeners are expected.
      setMaxListeners(0, controller.signal);
      options.signal?.addEventListener('abort', onExternalAbort, { once: true });
      lease.lost?.addEventListener('abort', () => controller.abort(lease.lost!.reason), { once: true });
      this.running.set(key, controller);
      const { run, plan } = await this.setUp({
        definition,
        mode,
        options,
        stepName,
        timeperiod,
        nominalClusters,
        lease,
        signal: controller.signal,
        runId: newRunId(),
      });
      if (options.signal?.aborted) onExternalAbort();
      started = run;
      this.flowRuns.set(key, run);
      return await this.runToEnd(run, plan);
    } finally {
      options.signal?.removeEventListener('abort', onExternalAbort);
      this.running.delete(key);
      this.flowRuns.delete(key);
      await lease.release();
      // Announced only now that the run is over (lease released, logs written): whoever reacts to
      // the final event, an events$ subscriber calling runFrom say, can start the next run at once.
      // A run that lost its lease recorded no final state: events$ announces persisted changes only.
      if (started && !lostLease(started.signal)) this.emitFlow(started, started.flow.state);
    }
  }

  /** Rejects a bad request before anything is locked or written. */
  private validate(
    definition: FlowDefinition,
    rawOptions: RunOptions,
    stepName: string | undefined,
  ): { options: RunOptions; nominalClusters: number } {
    const options = checkRunOptions(rawOptions);
    const nominalClusters = options.clusters ?? this.services.cluster.count ?? 2;
    if (stepName !== undefined && !definition.graph.has(stepName))
      throw new UnknownStepError(definition.name, stepName, definition.graph.steps);
    return { options, nominalClusters };
  }

  /**
   * Plans the run from the persisted state (StepBlockedError and friends are thrown here, before
   * any write), then sets its rows up and announces it in_progress.
   */
  private async setUp(req: {
    definition: FlowDefinition;
    mode: RunMode;
    options: RunOptions;
    stepName: string | undefined;
    timeperiod: string;
    nominalClusters: number;
    lease: FlowLease;
    signal: AbortSignal;
    runId: string;
  }): Promise<{ run: FlowRun; plan: RunPlan }> {
    const { definition, mode, options, timeperiod } = req;
    const { scope } = this.services;
    // Every write of the run, from its set-up on, proves the run still holds its lease.
    const store = req.lease.fence ? this.services.store.fencedBy(req.lease.fence) : this.services.store;
    const [existingFlow, existingSteps] = await Promise.all([
      store.findFlow(definition.name, timeperiod),
      store.findSteps(definition.name, timeperiod),
    ]);
    // Read under the lease: no other engine can change the period's state from here on.
    const found = existingFlow?.state ?? null;
    if (options.expectedState !== undefined && found !== options.expectedState)
      throw new FlowStateChangedError(definition.name, timeperiod, options.expectedState, found);
    const plan = planRun({
      definition,
      mode,
      step: req.stepName,
      timeperiod,
      flow: existingFlow,
      steps: existingSteps,
      nominalClusters: req.nominalClusters,
    });
    const {
      flow,
      steps: rows,
      firstAttemptId,
    } = await store.prepareRun({
      flowName: definition.name,
      timeperiod,
      startTimeperiod: options.startTimeperiod ?? null,
      endTimeperiod: options.endTimeperiod ?? null,
      runMode: mode,
      stepNames: definition.graph.steps,
      reset: plan.toRun,
      purge: plan.purge,
      history: { runId: req.runId, trigger: options.trigger ?? 'api', stepName: req.stepName ?? null },
    });
    // Rows of steps removed from the definition stay (history) but are no part of the run: they
    // would keep its state invalid for ever (a retired step that had failed), and nothing can run them.
    const steps = currentSteps(rows, definition.graph);
    const flowLogger = scope.logs.flowLogger(definition.name, { timeperiod, runId: req.runId });
    const run: FlowRun = {
      definition,
      context: {
        flowName: definition.name,
        timeperiod,
        runId: req.runId,
        startTimeperiod: options.startTimeperiod,
        endTimeperiod: options.endTimeperiod,
        runMode: mode,
        settings: this.services.settings,
        credentials: this.services.credentials,
      },
      flow,
      steps,
      store,
      // Filled by runToEnd, inside its try: a cluster that cannot even be created must still end
      // the run invalid rather than leave it in_progress.
      pool: new ClusterPool(flowLogger),
      // One container per run that every attempt's child hangs off (see AttemptContainerFactory).
      scope: { ...scope, attemptContainers: new AttemptContainerFactory(scope.container) },
      flowLogger,
      signal: req.signal,
      failFast: options.failFast ?? true,
      failed: false,
      canStart: () => !req.signal.aborted && !(run.failFast && run.failed),
      telemetry: startRunTelemetry({
        flowName: definition.name,
        timeperiod,
        runId: req.runId,
        runMode: mode,
        trigger: options.trigger ?? 'api',
        redact: scope.redact,
      }),
      attempts: new Map(),
      // The engine always asks prepareRun for the run's flow_run row, which numbers its attempts.
      firstAttemptId: firstAttemptId!,
      attemptCount: 0,
    };
    // Which engine runs it, as FlowLockedError names a lease's holder: another engine's error is traced to this log.
    flowLogger.info(
      `${mode} of timeperiod ${timeperiod} started by ${describeProcess(thisProcess)}: ` +
        `${plan.toRun.size} of ${definition.graph.steps.length} steps, ${plan.clusters} cluster(s)`,
    );
    this.emitFlow(run, FlowState.IN_PROGRESS);
    reportTakeover({
      flowName: definition.name,
      timeperiod,
      runId: req.runId,
      lease: req.lease,
      steps: existingSteps,
      toRun: plan.toRun,
      logger: flowLogger,
      emit: scope.emit,
    });
    return { run, plan };
  }

  /** Launches the clusters, schedules the steps; always terminates the clusters and records the flow's final state. */
  private async runToEnd(run: FlowRun, plan: RunPlan): Promise<FlowRunResult> {
    const { definition, pool, flowLogger, steps, signal } = run;
    const { timeperiod, runMode: mode } = run.context;
    let error: string | undefined;
    let state = FlowState.INVALID;
    const started = performance.now();
    try {
      pool.add(
        createClusters(this.services.cluster, plan.clusters, {
          flowName: definition.name,
          timeperiod,
          logger: flowLogger,
          redact: run.scope.redact,
          learnSecrets: run.scope.learnSecrets,
        }),
      );
      // A cancel stops the launch too: waiting for clusters to start can take as long as launchTimeoutMs.
      // Then no step starts, and the run ends canceled below, as with a cancel during the steps.
      const launched = await pool.launch(signal);
      if (signal.aborted) {
        flowLogger.warn(`the run was stopped while its clusters launched (${describeError(signal.reason)}): no step started`);
      } else if (launched === 0) {
        // A launch error may echo the credentials it was given (an endpoint's message, say).
        error = run.scope.redact(`no cluster could be launched: ${pool.launchErrors.join('; ')}`);
      } else {
        await scheduleSteps({
          graph: definition.graph,
          toRun: plan.toRun,
          concurrency: pool.size,
          execute: (step) => executeStep(run, step),
          canStart: run.canStart,
        });
      }
      // A cancel that came after the last step was processed had nothing left to stop.
      const unfinished = [...plan.toRun].some((name) => !STEP_DONE_STATES.has(steps.get(name)!.state));
      if (signal.aborted && unfinished) error = describeError(signal.reason);
      state = flowStateOf(steps.values(), error !== undefined);
    } catch (err) {
      error = run.scope.redact(describeError(err));
      throw err;
    } finally {
      await pool.terminateAll({ flowFailed: state !== FlowState.PROCESSED });
      await run.store
        .finishFlow(run.flow, state, { runId: run.context.runId, error, attempts: run.attempts.values() })
        .catch((err) => flowLogger.error(`cannot record the flow's final state: ${describeError(err)}`));
      if (lostLease(signal))
        flowLogger.error(`${mode} of timeperiod ${timeperiod} stopped: ${describeError(signal.reason)}; this engine wrote nothing more`);
      else
        flowLogger[endLevel(state, signal, steps.values())](
          `${mode} of timeperiod ${timeperiod} ended ${state} in ${(performance.now() - started).toFixed(0)} ms${error ? `: ${error}` : ''}`,
        );
      run.telemetry.ended(state, error);
      // run() returns with its logs in their files (tests and users read them next), but waiting
      // for a slow disk must not freeze the process's other runs and lease heartbeats.
      await run.scope.logs.written();
    }
    const result: FlowRunResult = {
      flowName: definition.name,
      timeperiod,
      runId: run.context.runId,
      state,
      steps: Object.fromEntries([...steps].map(([name, s]) => [name, s.state])),
    };
    if (error) result.error = error;
    return result;
  }

  private emitFlow(run: FlowRun, state: FlowState): void {
    const { flowName, timeperiod, runId, runMode } = run.context;
    this.services.scope.emit({ type: 'flow', flowName, timeperiod, runId, state, runMode, at: now() });
  }

  /** Cancels a run of this engine; false if it is not running here. */
  cancel(flowName: string, timeperiod: string, reason = 'cancelled by app.cancel()'): boolean {
    const controller = this.running.get(runKey(flowName, timeperiod));
    if (!controller) return false;
    controller.abort(new FlowCancelledError(flowName, timeperiod, reason));
    return true;
  }

  /** Cancels every run of this engine (application shutdown, signals). */
  cancelAll(reason: string, byFailure = false): void {
    for (const [key, controller] of this.running) {
      const [flowName, timeperiod] = key.split('\u0000');
      controller.abort(new FlowCancelledError(flowName, timeperiod, reason, byFailure));
    }
  }

  /**
   * For a shutdown that cannot wait any longer: records every step still in_progress as canceled
   * and the runs as invalid, without waiting for the steps themselves.
   */
  async abandonAll(reason: string): Promise<void> {
    const writes: Promise<unknown>[] = [];
    for (const run of this.flowRuns.values()) {
      for (const step of run.steps.values()) {
        if (step.state !== StepState.IN_PROGRESS) continue;
        const ended = { state: StepState.CANCELED, finishedAt: new Date(), error: reason };
        // A step waiting for its retry has its last attempt finished already.
        const attempt = run.attempts.get(step.stepName);
        const open = attempt?.state === StepState.IN_PROGRESS ? attempt : undefined;
        writes.push(run.store.updateStep(step, ended, open && attemptEnd(run, open, ended)));
      }
      writes.push(
        run.store.finishFlow(run.flow, FlowState.INVALID, { runId: run.context.runId, error: reason, attempts: run.attempts.values() }),
      );
    }
    await Promise.all(writes);
  }

  get activeRuns(): number {
    return this.running.size;
  }
}

function runKey(flowName: string, timeperiod: string): string {
  return `${flowName}\u0000${timeperiod}`;
}

/** The run stopped because another engine took it over: the fence refused its writes from then on. */
function lostLease(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof LeaseLostError;
}

/**
 * A run that failed is an ERROR; one the user cancelled (app.cancel, a SIGINT, a deploy's SIGTERM)
 * and in which no step failed is a WARN: it did not complete, but nothing went wrong that an
 * alert on ERROR lines should page someone for.
 */
function endLevel(state: FlowState, signal: AbortSignal, steps: Iterable<{ state: StepState }>): 'error' | 'warn' | 'info' {
  if (state !== FlowState.INVALID) return 'info';
  if (!(signal.aborted && signal.reason instanceof FlowCancelledError) || signal.reason.byFailure) return 'error';
  for (const step of steps) if (step.state === StepState.INVALID) return 'error';
  return 'warn';
}
