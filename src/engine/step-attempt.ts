import type { Action } from '../actions/action';
import { resolveArgs } from '../actions/action';
import { BoundCluster } from '../clusters/bound-cluster';
import type { ActionDefinition, StepDefinition } from '../metadata/flow-definition';
import { abortable, timeoutController } from './abortable';
import { now, type ActionState } from './flow-event';
import { CLUSTER, EXECUTION_CONTEXT, STEP_CONTEXT, STEP_LOGGER } from './injection-tokens';
import { StepContext } from './step-context';
import type { StepRunScope } from './step-run-scope';
import { StepTimeoutError } from '../errors';
import { describeError } from './describe-error';

/** An action that ran to completion in this attempt, kept for rollback and cleanup. */
interface Completed {
  action: ActionDefinition;
  instance: Action | undefined;
  ctx: StepContext;
}

/**
 * Runs one attempt of one step: pre actions in order, the main action, post actions in order.
 * Everything is resolved from a fresh child container, so no state survives into the next attempt,
 * run or timeperiod; the container is disposed when the attempt ends, whatever happened.
 */
export async function runStepAttempt(step: StepDefinition, ctx: StepContext, scope: StepRunScope): Promise<void> {
  const child = scope.container.createChildContainer();
  child.register(StepContext, { useValue: ctx });
  child.register(STEP_CONTEXT, { useValue: ctx });
  child.register(EXECUTION_CONTEXT, { useValue: ctx });
  child.register(STEP_LOGGER, { useValue: ctx.logger });
  child.register(CLUSTER, { useValue: ctx.cluster });
  const completed: Completed[] = [];
  try {
    const stepInstance = child.resolve(step.stepClass) as Record<string, unknown>;
    try {
      for (const action of [...step.pre, step.main, ...step.post]) {
        const done = await runAction(action, stepInstance, child, ctx, scope);
        if (done) completed.push(done);
      }
    } catch (err) {
      await rollback(completed, step, stepInstance, ctx, scope);
      throw err;
    } finally {
      await cleanup(completed, ctx, scope);
    }
  } finally {
    await child.dispose();
  }
}

async function runAction(
  action: ActionDefinition,
  stepInstance: Record<string, unknown>,
  child: import('tsyringe').DependencyContainer,
  stepCtx: StepContext,
  scope: StepRunScope,
): Promise<Completed | undefined> {
  const logger = scope.logs.actionLogger(stepCtx.flowName, stepCtx.stepName, action.name);
  const emit = (state: ActionState, extra: { durationMs?: number; error?: string } = {}) =>
    scope.emit({
      type: 'action',
      flowName: stepCtx.flowName,
      timeperiod: stepCtx.timeperiod,
      stepName: stepCtx.stepName,
      actionName: action.name,
      phase: action.phase,
      state,
      attempt: stepCtx.attempt,
      at: now(),
      ...extra,
    });
  if (action.options.skip) {
    logger.info(`skipped (${action.phase})`);
    emit('skipped');
    return undefined;
  }
  const timeout = timeoutController(stepCtx.signal, action.options.timeoutMs, () => new StepTimeoutError(stepCtx.stepName, action.options.timeoutMs!, action.name));
  const ctx = stepCtx.forAction(logger, new BoundCluster(stepCtx.cluster, { logger, signal: timeout.signal }), timeout.signal);
  const started = performance.now();
  logger.info(`started (${action.phase})`);
  emit('started');
  try {
    let instance: Action | undefined;
    let work: Promise<unknown>;
    if (action.kind === 'method') {
      const method = stepInstance[action.methodName!] as (c: StepContext) => unknown;
      work = Promise.resolve().then(() => method.call(stepInstance, ctx));
    } else {
      instance = child.resolve(action.actionClass!) as Action;
      work = Promise.resolve().then(() => instance!.run(ctx, resolveArgs(action.args, ctx)));
    }
    await abortable(work, timeout.signal);
    const durationMs = performance.now() - started;
    logger.info(`completed in ${durationMs.toFixed(1)} ms`);
    emit('completed', { durationMs });
    return { action, instance, ctx };
  } catch (err) {
    const durationMs = performance.now() - started;
    const error = scope.redact(describeError(err));
    logger.error(`failed after ${durationMs.toFixed(1)} ms: ${scope.redact(err instanceof Error && err.stack ? err.stack : error)}`);
    emit('failed', { durationMs, error });
    throw err;
  } finally {
    timeout.clear();
  }
}

/** Undoes what the attempt already did, newest first; a failing rollback is logged, not thrown. */
async function rollback(completed: Completed[], step: StepDefinition, stepInstance: Record<string, unknown>, ctx: StepContext, scope: StepRunScope): Promise<void> {
  for (const done of [...completed].reverse()) {
    const undo = done.instance?.rollback;
    if (!undo) continue;
    await bestEffort(`rollback of ${done.action.name}`, ctx, scope, () => undo.call(done.instance, done.ctx, resolveArgs(done.action.args, done.ctx)));
  }
  for (const methodName of step.rollback) {
    await bestEffort(`rollback ${methodName}`, ctx, scope, () => (stepInstance[methodName] as (c: StepContext) => unknown).call(stepInstance, ctx));
  }
}

async function cleanup(completed: Completed[], ctx: StepContext, scope: StepRunScope): Promise<void> {
  for (const done of completed) {
    const clean = done.instance?.cleanup;
    if (!clean) continue;
    await bestEffort(`cleanup of ${done.action.name}`, ctx, scope, () => clean.call(done.instance, done.ctx, resolveArgs(done.action.args, done.ctx)));
  }
}

async function bestEffort(what: string, ctx: StepContext, scope: StepRunScope, fn: () => unknown): Promise<void> {
  try {
    await fn();
    ctx.logger.info(`${what} done`);
  } catch (err) {
    ctx.logger.error(`${what} failed: ${scope.redact(describeError(err))}`);
  }
}
