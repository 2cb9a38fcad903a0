import type { Action } from './action';
import { resolveArgs } from './action';
import { BoundCluster } from '../clusters/bound-cluster';
import type { Cluster } from '../clusters/cluster';
import type { Logger } from '../logging/logger';
import type { ActionDefinition, StepDefinition } from '../metadata/flow-definition';
import { abortReason, timeoutController } from './abortable';
import { AttemptContainerFactory, type AttemptInstances } from './attempt-container.factory';
import type { ExecutionContextInit } from './execution-context';
import { GraceDeadline } from './grace-deadline';
import { now, type ActionState, type ActionStateEvent } from '../domain/flow-event';
import { DEFAULT_GRACE_PERIOD_MS } from './grace-period';
import { StepContext } from './step-context';
import type { StepRunScope } from './step-run-scope';
import { StepTimeoutError } from '../errors';
import { describeError } from './describe-error';
import {
  NO_ACTION_TELEMETRY,
  type ActionTelemetry,
  type ActionTelemetryPhase,
  type AttemptTelemetry,
} from '../telemetry/run-telemetry.port';

/** A class action that started in this attempt: what its rollback and cleanup need. */
interface Started {
  action: ActionDefinition;
  instance: Action;
  /** Resolved once, so that rollback and cleanup see the very arguments `run` saw. */
  args: unknown;
  logger: Logger;
  ctx: StepContext;
  completed: boolean;
}

/** What an attempt is started with by the step executor. */
export interface AttemptStart {
  step: StepDefinition;
  /** 1 for the first attempt. */
  attempt: number;
  /** The run's context, which the attempt's StepContext extends. */
  execution: ExecutionContextInit;
  /** The step's log. */
  logger: Logger;
  /** The cluster the attempt runs on, taken from the run's pool. */
  cluster: Cluster;
  /** The run's signal (cancel, lease lost, fail-fast): the attempt's own aborts with it. */
  runSignal: AbortSignal;
  /** The attempt's span, parent of its actions' spans. */
  telemetry?: AttemptTelemetry;
}

/**
 * One attempt of one step (like Temporal's Activity): it owns its abort signal (the step's
 * timeout, on top of the run's signal), its grace deadline, its StepContext, its logger and the
 * instances it runs, and releases them all when it ends.
 *
 * `run()` runs pre actions in order, the main action, post actions in order. When one fails, the
 * class actions that completed are rolled back newest first, then the step's @Rollback() methods
 * run; every class action that started is cleaned up, newest first, whatever happened. Once the
 * attempt is aborted (timeout, cancel, signal), all it still does shares one deadline, the grace
 * period: so it always settles, even if user code ignores its signal.
 *
 * Everything is resolved from a fresh child container, so no state survives into the next attempt,
 * run or timeperiod; the container is disposed when the attempt ends, whatever happened.
 */
export class StepAttempt {
  readonly logger: Logger;
  private readonly deadline: GraceDeadline;
  private readonly graceMs: number;
  private readonly started: Started[] = [];

  private constructor(
    private readonly step: StepDefinition,
    readonly context: StepContext,
    /** The attempt's abort: the step's timeout over the run's signal; cleared when the attempt ends. */
    private readonly abort: { signal: AbortSignal; clear: () => void },
    private readonly scope: StepRunScope,
    private readonly telemetry?: AttemptTelemetry,
  ) {
    this.logger = context.logger;
    this.graceMs = scope.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS;
    this.deadline = new GraceDeadline(context.signal, this.graceMs);
  }

  /** An attempt of a run's step: aborted by the run's signal, or by the step's own timeout. */
  static start(init: AttemptStart, scope: StepRunScope): StepAttempt {
    const { step, logger } = init;
    const abort = timeoutController(init.runSignal, step.options.timeoutMs, (ms) => new StepTimeoutError(step.name, ms));
    const context = StepContext.of(init.execution, {
      stepName: step.name,
      attempt: init.attempt,
      logger,
      cluster: new BoundCluster(init.cluster, { logger, signal: abort.signal }),
      signal: abort.signal,
    });
    return new StepAttempt(step, context, abort, scope, init.telemetry);
  }

  /** An attempt in a context made by the caller (the testing app), aborted by that context's signal. */
  static inContext(step: StepDefinition, context: StepContext, scope: StepRunScope): StepAttempt {
    return new StepAttempt(step, context, { signal: context.signal, clear: () => undefined }, scope);
  }

  /** Runs the attempt; settles within the grace period of an abort, whatever the step's code does. */
  async run(): Promise<void> {
    const { step, context: ctx, scope, deadline } = this;
    let instances: AttemptInstances | undefined;
    try {
      instances = (scope.attemptContainers ?? new AttemptContainerFactory(scope.container)).instancesFor(step, ctx);
      const stepInstance = instances.step();
      let failure: { error: unknown } | undefined;
      try {
        for (const action of [...step.pre, step.main, ...step.post]) {
          // Aborted between two actions: the next one must not start.
          if (ctx.signal.aborted) throw abortReason(ctx.signal);
          await this.runAction(action, stepInstance, instances);
        }
      } catch (error) {
        failure = { error };
      }
      const finalizers = new Finalizers(ctx, scope, deadline, this.telemetry);
      if (failure) await finalizers.rollback(this.started, step, stepInstance);
      await finalizers.cleanup(this.started);
      if (failure) throw failure.error;
    } finally {
      const dispose = instances?.dispose;
      if (dispose) {
        await deadline
          .race(Promise.resolve().then(() => dispose()))
          .catch((err) => ctx.logger.error(`disposing the step's container failed: ${scope.redact(describeError(err))}`));
      }
      deadline.clear();
      this.abort.clear();
    }
  }

  private async runAction(action: ActionDefinition, stepInstance: Record<string, unknown>, instances: AttemptInstances): Promise<void> {
    const stepCtx = this.context;
    const scope = this.scope;
    const logger = scope.logs.actionLogger(stepCtx.flowName, stepCtx.stepName, action.name, {
      timeperiod: stepCtx.timeperiod,
      runId: stepCtx.runId,
      attempt: stepCtx.attempt,
    });
    const emit = (state: ActionState, durationMs?: number, error?: string) => {
      const event: ActionStateEvent = {
        type: 'action',
        flowName: stepCtx.flowName,
        timeperiod: stepCtx.timeperiod,
        runId: stepCtx.runId,
        stepName: stepCtx.stepName,
        actionName: action.name,
        phase: action.phase,
        state,
        attempt: stepCtx.attempt,
        at: now(),
      };
      // Set field by field, not spread: a spread here was a visible share of a no-op step.
      if (durationMs !== undefined) event.durationMs = durationMs;
      if (error !== undefined) event.error = error;
      scope.emit(event);
    };
    if (action.options.skip) {
      logger.info(`skipped (${action.phase})`);
      emit('skipped');
      return;
    }
    // An action with a timeout of its own gets its own abort, and its own grace period from it.
    const { timeoutMs } = action.options;
    const own =
      timeoutMs === undefined
        ? undefined
        : timeoutController(stepCtx.signal, timeoutMs, () => new StepTimeoutError(stepCtx.stepName, timeoutMs, action.name));
    const signal = own ? own.signal : stepCtx.signal;
    const deadline = own ? new GraceDeadline(own.signal, this.graceMs) : this.deadline;
    const ctx = stepCtx.forAction(logger, new BoundCluster(stepCtx.cluster, { logger, signal }), signal);
    const startedAt = performance.now();
    logger.info(`started (${action.phase})`);
    emit('started');
    const span = actionTelemetry(this.telemetry, action.name, action.phase);
    try {
      let work: Promise<unknown>;
      if (action.kind === 'method') {
        const method = stepInstance[action.methodName] as (c: StepContext) => unknown;
        work = Promise.resolve().then(() => span.within(() => method.call(stepInstance, ctx)));
      } else {
        const instance = instances.action(action.actionClass);
        const entry: Started = { action, instance, args: undefined, logger, ctx, completed: false };
        this.started.push(entry);
        work = Promise.resolve().then(() => {
          entry.args = resolveArgs(action.args, ctx);
          return span.within(() => instance.run(ctx, entry.args));
        });
        work = work.then((value) => {
          entry.completed = true;
          return value;
        });
      }
      await deadline.settle(work);
      const durationMs = performance.now() - startedAt;
      logger.info(`completed in ${durationMs.toFixed(1)} ms`);
      span.completed();
      emit('completed', durationMs);
    } catch (err) {
      const durationMs = performance.now() - startedAt;
      const error = scope.redact(describeError(err));
      logger.error(`failed after ${durationMs.toFixed(1)} ms: ${scope.redact(err instanceof Error && err.stack ? err.stack : error)}`);
      span.failed(err);
      emit('failed', durationMs, error);
      throw err;
    } finally {
      if (own) {
        deadline.clear();
        own.clear();
      }
    }
  }
}

/**
 * Rollback and cleanup of one attempt. Each runs with a context whose signal is the attempt's
 * deadline (not the aborted step signal, or every cluster command they issue would refuse to
 * start); a failing or abandoned one is logged and emitted, never thrown, so the others still run.
 */
class Finalizers {
  constructor(
    private readonly stepCtx: StepContext,
    private readonly scope: StepRunScope,
    private readonly deadline: GraceDeadline,
    private readonly telemetry: AttemptTelemetry | undefined,
  ) {}

  async rollback(started: readonly Started[], step: StepDefinition, stepInstance: Record<string, unknown>): Promise<void> {
    for (const done of [...started].reverse()) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with .call(done.instance)
      const undo = done.instance.rollback;
      if (!done.completed || !undo) continue;
      const ctx = this.contextFor(done.ctx, done.logger);
      await this.run('rollback', done.action.name, done.logger, () => undo.call(done.instance, ctx, done.args));
    }
    for (const methodName of step.rollback) {
      const { flowName, stepName, timeperiod, runId, attempt } = this.stepCtx;
      const logger = this.scope.logs.actionLogger(flowName, stepName, methodName, { timeperiod, runId, attempt });
      const ctx = this.contextFor(this.stepCtx, logger);
      await this.run('rollback', methodName, logger, () =>
        (stepInstance[methodName] as (c: StepContext) => unknown).call(stepInstance, ctx),
      );
    }
  }

  async cleanup(started: readonly Started[]): Promise<void> {
    for (const done of [...started].reverse()) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with .call(done.instance)
      const clean = done.instance.cleanup;
      if (!clean) continue;
      const ctx = this.contextFor(done.ctx, done.logger);
      await this.run('cleanup', done.action.name, done.logger, () => clean.call(done.instance, ctx, done.args));
    }
  }

  private contextFor(ctx: StepContext, logger: Logger): StepContext {
    const signal = this.deadline.signal;
    return ctx.forAction(logger, new BoundCluster(ctx.cluster, { logger, signal }), signal);
  }

  private async run(kind: 'rollback' | 'cleanup', actionName: string, logger: Logger, fn: () => unknown): Promise<void> {
    const startedAt = performance.now();
    const emit = (state: 'completed' | 'failed', durationMs: number, error?: string) =>
      this.scope.emit({
        type: kind,
        flowName: this.stepCtx.flowName,
        timeperiod: this.stepCtx.timeperiod,
        runId: this.stepCtx.runId,
        stepName: this.stepCtx.stepName,
        actionName,
        attempt: this.stepCtx.attempt,
        state,
        durationMs,
        at: now(),
        ...(error === undefined ? {} : { error }),
      });
    const span = actionTelemetry(this.telemetry, actionName, kind);
    try {
      // Called even past the deadline, and synchronously: a synchronous cleanup (remove a temp
      // file) gets done whatever the grace period has left; only asynchronous work can be cut.
      const outcome = span.within(fn);
      if (isThenable(outcome)) await this.deadline.race(Promise.resolve(outcome));
      const durationMs = performance.now() - startedAt;
      logger.info(`${kind} completed in ${durationMs.toFixed(1)} ms`);
      span.completed();
      emit('completed', durationMs);
    } catch (err) {
      const durationMs = performance.now() - startedAt;
      const error = this.deadline.passed
        ? `abandoned, the grace period ran out: ${describeError(abortReason(this.deadline.watched))}`
        : describeError(err);
      const redacted = this.scope.redact(error);
      logger.error(`${kind} failed after ${durationMs.toFixed(1)} ms: ${redacted}`);
      span.failed(this.deadline.passed ? new Error(error) : err);
      emit('failed', durationMs, redacted);
    }
  }
}

/** The action's span: none for an attempt without telemetry (the testing app's). */
function actionTelemetry(telemetry: AttemptTelemetry | undefined, actionName: string, phase: ActionTelemetryPhase): ActionTelemetry {
  return telemetry ? telemetry.actionStarted(actionName, phase) : NO_ACTION_TELEMETRY;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
